"""A plan's industry in the export (a slug, with the industry in the document's ladder) and back
through the import, with the rules every other ladder slug follows there."""

import json

import pytest

from goals.portability.checking import check
from goals.portability.export import export_person, export_plan, validate_export
from goals.portability.reading import ImportRefused
from goals.portability.writing import import_document
from plans.models import CareerPlan
from skills.models import Industry
from tests.factories import IndustryFactory
from tests.goals.import_fixtures import as_ladder_editor

pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def in_health(owned, plan):
    """Alice's plan names Healthcare, which tags none of its roles."""
    plan.industry = IndustryFactory(name="Healthcare")
    plan.save()
    return plan


def _without_export_time(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "exported_at"}


def test_the_export_names_the_industry_and_carries_it_in_its_ladder(in_health, alice):
    document = export_plan(in_health)

    assert document["plans"][0]["industry"] == "healthcare"
    assert {"name": "Healthcare", "slug": "healthcare"} in document["ladder"]["industries"]
    assert validate_export(document) == []


def test_a_plan_without_an_industry_exports_null(owned, alice):
    document = export_person(alice)

    assert [plan["industry"] for plan in document["plans"]] == [None, None]


def test_a_round_trip_keeps_the_industry(in_health, alice, bob):
    exported = export_person(alice)

    import_document(json.loads(json.dumps(exported)), user=bob)

    assert CareerPlan.objects.get(owner=bob, title=in_health.title).industry.slug == "healthcare"
    assert _without_export_time(export_person(bob)) == _without_export_time(exported)


def test_an_export_from_before_plans_named_an_industry_still_imports(owned, alice, bob):
    document = export_person(alice)
    for plan in document["plans"]:
        del plan["industry"]

    report = import_document(document, user=bob)

    assert [plan.industry for plan in report.plans] == [None, None]


def test_an_industry_neither_here_nor_in_the_files_ladder_is_refused(in_health, alice, bob):
    document = export_person(alice)
    document["plans"][0]["industry"] = "space-travel"

    with pytest.raises(ImportRefused) as refused:
        check(document, user=bob)

    [problem] = refused.value.problems
    assert problem.startswith("plans[0] (")
    assert (
        "industry: 'space-travel' is an industry neither this CareerPath nor the file's ladder has" in problem
    )


def test_a_malformed_industry_is_refused_by_the_schema(in_health, alice, bob):
    document = export_person(alice)
    document["plans"][0]["industry"] = "Not a slug"

    with pytest.raises(ImportRefused) as refused:
        check(document, user=bob)

    assert any("industry" in problem for problem in refused.value.problems)


@pytest.fixture
def from_elsewhere_industry(in_health, alice):
    """A file from an instance that has Healthcare; this one no longer does."""
    document = export_person(alice)
    Industry.objects.filter(slug="healthcare").delete()
    return document


def test_an_industry_this_instance_lacks_is_reported_and_skipping_it_keeps_the_plan(
    from_elsewhere_industry, bob
):
    title = from_elsewhere_industry["plans"][0]["title"]

    preview = check(from_elsewhere_industry, user=bob)

    assert preview.lacking["industry"] == ["healthcare"]
    assert f"“{title}”: the industry healthcare" in preview.left_out
    import_document(from_elsewhere_industry, user=bob)
    assert CareerPlan.objects.get(owner=bob, title=title).industry is None


def test_a_ladder_editor_may_import_the_industry_with_the_plan(from_elsewhere_industry, bob):
    bob = as_ladder_editor(bob)

    report = import_document(from_elsewhere_industry, user=bob, with_ladder=True)

    assert "1 industry" in report.ladder
    plan = CareerPlan.objects.get(owner=bob, title=from_elsewhere_industry["plans"][0]["title"])
    assert plan.industry.name == "Healthcare"
