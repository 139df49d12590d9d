"""Industry tags on goal templates and learning resources in ladder files: checked, imported
(idempotent), cleared when left out, and exported sorted with the industries they name."""

import pytest

from skills.ladder import LadderError, export_ladder, import_ladder, schema_errors
from skills.models import GoalTemplate, Industry, LearningResource, Track
from tests.skills.test_ladder_import_export import ladder
from tests.skills.test_ladder_resources import resources

pytestmark = pytest.mark.django_db


def tagged() -> dict:
    """The small ladder with a second industry, one template and one resource tagged with both."""
    data = {**ladder(), "resources": resources()}
    data["industries"] = [*data["industries"], {"name": "Healthcare", "slug": "healthcare"}]
    data["goal_templates"][0]["industries"] = ["healthcare", "finance"]
    data["resources"][0]["industries"] = ["healthcare", "finance"]
    return data


def slugs(entry) -> list[str]:
    return sorted(entry.industries.values_list("slug", flat=True))


def test_import_tags_templates_and_resources():
    import_ladder(tagged())

    assert slugs(GoalTemplate.objects.get(slug="learn-sql")) == ["finance", "healthcare"]
    assert slugs(LearningResource.objects.get(slug="sql-for-data-analysis")) == ["finance", "healthcare"]
    assert slugs(LearningResource.objects.get(slug="toastmasters")) == []


def test_importing_twice_changes_nothing():
    import_ladder(tagged())

    result = import_ladder(tagged())

    assert (result.total_created, result.total_updated) == (0, 0)


def test_a_changed_list_updates_the_entry_once_and_a_left_out_list_empties_it():
    import_ladder(tagged())
    data = tagged()
    data["goal_templates"][0]["industries"] = ["finance"]
    del data["resources"][0]["industries"]

    result = import_ladder(data)

    assert (result.updated["goal_templates"], result.updated["resources"]) == (1, 1)
    assert slugs(GoalTemplate.objects.get(slug="learn-sql")) == ["finance"]
    assert slugs(LearningResource.objects.get(slug="sql-for-data-analysis")) == []


def test_an_unknown_industry_is_an_error_naming_entry_and_field():
    data = tagged()
    data["goal_templates"][0]["industries"] = ["retail"]
    data["resources"][2]["industries"] = ["finance", "space"]

    with pytest.raises(LadderError) as error:
        import_ladder(data)

    assert error.value.errors == [
        "goal_templates[0] (learn-sql): industries[0]: unknown industry 'retail'",
        "resources[2] (toastmasters): industries[1]: unknown industry 'space'",
    ]
    assert not GoalTemplate.objects.exists()


def test_an_industry_already_in_the_database_may_be_named():
    Industry.objects.create(name="Retail", slug="retail")
    data = tagged()
    data["resources"][1]["industries"] = ["retail"]

    import_ladder(data)

    assert slugs(LearningResource.objects.get(slug="storytelling-with-data")) == ["retail"]


def test_the_schema_refuses_a_repeated_or_malformed_slug():
    data = tagged()
    data["goal_templates"][0]["industries"] = ["finance", "finance"]
    data["resources"][0]["industries"] = ["Not a slug"]

    errors = schema_errors(data)

    assert len(errors) == 2
    assert errors[0].startswith("goal_templates[0] (learn-sql): industries:")
    assert errors[1].startswith("resources[0] (sql-for-data-analysis): industries[0]:")


def test_export_writes_sorted_lists_and_the_industries_they_name():
    data = tagged()
    # Healthcare tags no role: the export carries it for the template and the resource.
    import_ladder(data)

    exported = export_ladder(Track.objects.filter(slug="analysis"))

    assert exported["goal_templates"][0]["industries"] == ["finance", "healthcare"]
    assert list(exported["goal_templates"][0])[-1] == "industries"
    by_slug = {r["slug"]: r for r in exported["resources"]}
    assert by_slug["sql-for-data-analysis"]["industries"] == ["finance", "healthcare"]
    assert by_slug["toastmasters"]["industries"] == []
    assert [i["slug"] for i in exported["industries"]] == ["finance", "healthcare"]
    assert (import_ladder(exported).total_created, import_ladder(exported).total_updated) == (0, 0)


def test_export_carries_industries_asked_for():
    import_ladder(ladder())
    retail = Industry.objects.create(name="Retail", slug="retail")

    exported = export_ladder(Track.objects.filter(slug="analysis"), industries=[retail])

    assert [i["slug"] for i in exported["industries"]] == ["finance", "retail"]
