"""The activity kinds added to version 1 of the export (issue 23, item 13: part-time job, community
or forum, social media post or chat) travel in exports and imports; files written before them
still import; drafting turns a ladder's community into a community activity."""

import json
from copy import deepcopy

import pytest
from django.urls import reverse

from goals.drafting import draft_from_gap
from goals.portability.checking import validate
from goals.portability.export import SCHEMA_PATH, export_person, validate_export
from goals.portability.reading import ImportRefused
from goals.portability.writing import import_document
from plans.models import Activity, SkillAssessment
from skills.models import LearningResource
from tests.conftest import TODAY
from tests.factories import LearningResourceFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

NEW_KINDS = ["part_time_job", "community", "social_post"]
OLD_KINDS = [
    "workshop",
    "webinar",
    "conference",
    "course",
    "degree",
    "book",
    "internship",
    "volunteering",
    "mentored",
    "mentoring",
    "networking_event",
    "association",
    "talk",
    "blog_post",
    "project",
]


def _without_export_time(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "exported_at"}


def test_the_schema_names_the_kinds_the_model_has():
    schema = json.loads(SCHEMA_PATH.read_text())
    kind = schema["$defs"]["plan"]["properties"]["activities"]["items"]["properties"]["kind"]
    assert kind["enum"] == Activity.Kind.values
    assert set(kind["enum"]) == set(OLD_KINDS + NEW_KINDS)  # version 1 only ever gains kinds


def test_the_new_kinds_survive_export_and_import(owned, alice, bob, plan):
    for kind in NEW_KINDS:
        Activity.objects.create(plan=plan, kind=kind, title=f"A {kind}", date=TODAY, status="done")
    exported = export_person(alice)
    assert validate_export(exported) == []

    import_document(json.loads(json.dumps(exported)), user=bob)

    assert _without_export_time(export_person(bob)) == _without_export_time(exported)
    imported = Activity.objects.filter(plan__owner=bob)
    assert {a.kind: a.category for a in imported if a.kind in NEW_KINDS} == {
        "part_time_job": "learning",
        "community": "network",
        "social_post": "visibility",
    }


def test_a_file_written_before_the_new_kinds_still_imports(document, bob):
    """Every kind a file could hold before, and none of the new ones."""
    older = deepcopy(document)
    template = older["plans"][0]["activities"][0]
    older["plans"][0]["activities"] = [
        {**template, "kind": kind, "title": f"An older {kind}"} for kind in OLD_KINDS
    ]
    assert validate_export(older) == []

    import_document(older, user=bob)

    kinds = Activity.objects.filter(plan__owner=bob).values_list("kind", flat=True)
    assert sorted(kinds) == sorted(OLD_KINDS)


def test_an_unknown_kind_is_refused_naming_the_activity_and_the_field(document, bob):
    document["plans"][0]["activities"][0]["kind"] = "podcast"
    with pytest.raises(ImportRefused) as refused:
        validate(document)
    assert str(refused.value).startswith(
        "plans[0].activities[0] ('Pricing course'): kind: 'podcast' is not one of 'workshop', "
    )
    with pytest.raises(ImportRefused):
        import_document(document, user=bob)
    assert not Activity.objects.filter(plan__owner=bob).exists()


# --- Drafting ---------------------------------------------------------------------------------


@pytest.fixture
def forum(plan, ladder):
    """Market analysis assessed at 2 (Senior PM asks 4): a community at level 3 is next for it."""
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["market"], level=2)
    return LearningResourceFactory(
        skill=ladder.skills["market"],
        title="r/ProductManagement",
        kind=LearningResource.Kind.COMMUNITY,
        level=3,
        provider="Reddit",
        url="https://www.reddit.com/r/ProductManagement/",
        hours=None,
    )


def test_drafting_proposes_a_community_as_a_community_or_forum(alice_client, plan, forum):
    proposed = [d for d in draft_from_gap(plan, TODAY).activities if d.resource == forum]
    assert [d.kind for d in proposed] == [Activity.Kind.COMMUNITY]

    page = alice_client.get(reverse("goals:draft", args=[plan.pk])).content.decode()
    assert "Community or forum · Reddit · Market analysis to level 3" in page
    assert "Professional association" not in page

    alice_client.post(reverse("goals:draft", args=[plan.pk]), {"activities": [forum.pk]})
    kept = Activity.objects.get(plan=plan)
    assert (kept.kind, kept.category, kept.title) == ("community", "network", "r/ProductManagement")
    assert kept.note.startswith("Community by Reddit.")
