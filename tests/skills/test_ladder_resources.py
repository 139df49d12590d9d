"""Learning resources in ladder files: checked, imported by slug (idempotent), exported in order."""

import json

import pytest

from skills.ladder import SCHEMA_PATH, LadderError, export_ladder, import_ladder, schema_errors
from skills.models import MAX_RESOURCE_HOURS, LearningResource, Proficiency, Skill, Track
from tests.factories import LearningResourceFactory, SkillFactory
from tests.skills.test_ladder_import_export import ladder

pytestmark = pytest.mark.django_db


def resources() -> list[dict]:
    return [
        {
            "title": "SQL for Data Analysis",
            "slug": "sql-for-data-analysis",
            "skill": "data-analytics",
            "kind": "course",
            "level": 2,
            "provider": "Udacity",
            "url": "https://www.udacity.com/course/sql-for-data-analysis--ud198",
            "hours": 30,
        },
        {
            "title": "Storytelling with Data",
            "slug": "storytelling-with-data",
            "skill": "data-analytics",
            "kind": "book",
            "level": 4,
            "provider": "Cole Nussbaumer Knaflic (Wiley)",
            "url": "",
            "hours": 10,
        },
        {
            "title": "Toastmasters club",
            "slug": "toastmasters",
            "skill": "communication",
            "kind": "community",
            "level": 3,
            "provider": "Toastmasters International",
            "url": "https://www.toastmasters.org/",
            "hours": None,
        },
    ]


def with_resources() -> dict:
    return {**ladder(), "resources": resources()}


def analysis() -> dict:
    return export_ladder(Track.objects.filter(slug="analysis"))


# --- The model ------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [("level", 0), ("level", 6), ("hours", 0), ("hours", 2001)])
def test_the_database_refuses_values_off_the_scale(field, value):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        LearningResourceFactory(**{field: value})


@pytest.mark.parametrize(
    ("current", "required", "helps"),
    [(None, 3, True), (2, 3, True), (3, 3, False), (4, 5, False), (1, 2, False)],
)
def test_a_resource_helps_those_below_its_level_whose_role_asks_for_it(current, required, helps):
    assert LearningResource(level=3).helps_from(current, required) is helps


def test_a_resource_reads_as_its_title_and_kind_and_goes_with_its_skill():
    resource = LearningResourceFactory(title="The Mom Test", kind=LearningResource.Kind.BOOK)
    assert str(resource) == "The Mom Test (book)"
    resource.skill.delete()
    assert not LearningResource.objects.exists()


# --- Import -------------------------------------------------------------------------


def test_import_creates_the_resources_and_counts_them():
    result = import_ladder(with_resources())

    assert result.created["resources"] == 3
    assert "3 learning resources" in str(result)
    sql = LearningResource.objects.get(slug="sql-for-data-analysis")
    assert (sql.skill.slug, sql.kind, sql.level, sql.provider, sql.hours) == (
        "data-analytics",
        LearningResource.Kind.COURSE,
        2,
        "Udacity",
        30,
    )
    assert LearningResource.objects.get(slug="toastmasters").hours is None


def test_importing_twice_changes_nothing():
    import_ladder(with_resources())

    result = import_ladder(with_resources())

    assert (result.total_created, result.total_updated) == (0, 0)
    assert LearningResource.objects.count() == 3


def test_reimport_updates_a_resource_by_slug():
    import_ladder(with_resources())
    data = with_resources()
    data["resources"][0].update(title="SQL for analysts", skill="communication", level=3, hours=None)

    result = import_ladder(data)

    assert (result.created["resources"], result.updated["resources"]) == (0, 1)
    sql = LearningResource.objects.get(slug="sql-for-data-analysis")
    assert (sql.title, sql.skill.slug, sql.level, sql.hours) == ("SQL for analysts", "communication", 3, None)


def test_optional_fields_take_their_defaults():
    data = with_resources()
    data["resources"] = [
        {
            "title": "Mentor circle",
            "slug": "mentor-circle",
            "skill": "communication",
            "kind": "mentoring",
            "level": 2,
        }
    ]
    import_ladder(data)

    circle = LearningResource.objects.get(slug="mentor-circle")
    assert (circle.provider, circle.url, circle.hours) == ("", "", None)


def test_a_file_of_resources_alone_may_name_a_skill_already_in_the_database():
    SkillFactory(name="Negotiation", slug="negotiation")
    data = {
        "format": "careerpath-ladder",
        "version": 1,
        "resources": [
            {
                "title": "Never Split the Difference",
                "slug": "never-split-the-difference",
                "skill": "negotiation",
                "kind": "book",
                "level": 3,
                "provider": "Chris Voss",
                "url": "",
                "hours": 8,
            },
        ],
    }

    assert import_ladder(data).created == {"resources": 1}


def test_import_never_deletes_a_resource_the_file_leaves_out():
    import_ladder(with_resources())
    data = with_resources()
    del data["resources"][0]

    import_ladder(data)

    assert LearningResource.objects.filter(slug="sql-for-data-analysis").exists()


# --- Refusals: every problem names the entry and the field, and nothing is written ---------------


def spoil(change):
    def apply(data: dict) -> None:
        change(data["resources"][1])

    return apply


BAD_RESOURCES = [
    (
        spoil(lambda r: r.update(skill="market-sizing")),
        "resources[1] (storytelling-with-data): skill: unknown skill 'market-sizing'",
    ),
    (
        spoil(lambda r: r.update(kind="podcast")),
        "resources[1] (storytelling-with-data): kind: 'podcast' is not one of 'course', 'book'",
    ),
    (
        spoil(lambda r: r.update(level=6)),
        "resources[1] (storytelling-with-data): level: 6 is out of range 1..5",
    ),
    (
        spoil(lambda r: r.update(hours=0)),
        "resources[1] (storytelling-with-data): hours: 0 is out of range 1..2000",
    ),
    (
        spoil(lambda r: r.update(url="javascript:alert(1)")),
        "resources[1] (storytelling-with-data): url: 'javascript:alert(1)' must be an http:// or https:// address",
    ),
    (
        spoil(lambda r: r.update(slug="sql-for-data-analysis")),
        "resources[1] (sql-for-data-analysis): slug: duplicate slug 'sql-for-data-analysis' (also at resources[0])",
    ),
    (spoil(lambda r: r.pop("title")), "resources[1] (storytelling-with-data): title: is required"),
    (
        spoil(lambda r: r.update(link="https://example.com")),
        "resources[1] (storytelling-with-data): link: unknown field (allowed: title, slug, skill, kind, level",
    ),
]


@pytest.mark.parametrize(
    ("spoil", "message"), BAD_RESOURCES, ids=[m.split(": ")[1] for _, m in BAD_RESOURCES]
)
def test_a_bad_resource_is_refused_with_its_entry_and_field(spoil, message):
    import_ladder(ladder())
    data = with_resources()
    spoil(data)

    with pytest.raises(LadderError) as caught:
        import_ladder(data)

    assert any(line.startswith(message) for line in caught.value.errors), caught.value.errors
    assert not LearningResource.objects.exists()


def test_schema_matches_the_model():
    schema = json.loads(SCHEMA_PATH.read_text())["$defs"]["resource"]["properties"]
    assert schema["kind"]["enum"] == LearningResource.Kind.values
    assert (schema["hours"]["minimum"], schema["hours"]["maximum"]) == (1, MAX_RESOURCE_HOURS)
    assert schema["title"]["maxLength"] == LearningResource._meta.get_field("title").max_length
    assert schema["url"]["maxLength"] == LearningResource._meta.get_field("url").max_length
    assert schema["level"] == {"$ref": "#/$defs/proficiency"} and max(Proficiency.values) == 5


# --- Export ---------------------------------------------------------------------------


def test_export_writes_the_exported_skills_resources_in_order():
    import_ladder(with_resources())
    elsewhere = SkillFactory(name="Juggling")
    LearningResourceFactory(skill=elsewhere, title="Juggling for beginners")
    LearningResourceFactory(skill=Skill.objects.get(slug="data-analytics"), title="A-level", level=2)

    data = analysis()

    # Skills' order (hard, then soft; by slug), then level, then slug.
    assert [r["slug"] for r in data["resources"]] == [
        "a-level",
        "sql-for-data-analysis",
        "storytelling-with-data",
        "toastmasters",
    ]
    assert list(data["resources"][1]) == [
        "title",
        "slug",
        "skill",
        "kind",
        "level",
        "provider",
        "url",
        "hours",
        "industries",
    ]
    assert data["resources"][1] == {**resources()[0], "industries": []}
    assert schema_errors(data) == []


def test_round_trip_into_an_empty_database_gives_the_same_document():
    import_ladder(with_resources())
    original = analysis()
    for model in (LearningResource, Track, Skill):
        model.objects.all().delete()

    result = import_ladder(original)

    assert result.created["resources"] == 3
    assert analysis() == original
    assert import_ladder(original).total_created == 0


def test_every_shipped_resource_can_show_beside_a_gap():
    """Each resource in a shipped ladder names a skill some shipped role requires, at a level some
    role asks for (a resource above every requirement would never be suggested), and links over
    https. Skills are shared between ladders, so the highest requirement is over every file."""
    from pathlib import Path

    from skills.ladder import load_ladder_file

    files = [load_ladder_file(path) for path in sorted((Path(SCHEMA_PATH).parent / "ladders").glob("*.json"))]
    highest: dict[str, int] = {}
    for requirement in (
        requirement
        for data in files
        for track in data.get("tracks", [])
        for role in track["roles"]
        for requirement in role.get("requirements", [])
    ):
        highest[requirement["skill"]] = max(highest.get(requirement["skill"], 0), requirement["level"])
    shipped = [resource for data in files for resource in data.get("resources", [])]
    assert shipped, "the shipped ladders carry learning resources"
    for resource in shipped:
        assert resource["level"] <= highest.get(resource["skill"], 0), resource["slug"]
        assert resource["url"] == "" or resource["url"].startswith("https://"), resource["slug"]
