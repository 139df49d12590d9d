"""Mentors' ratings and the owner's chosen levels in the export (issue 24): out and back in whole,
older files without them still import, a broken one is refused where it is broken."""

import copy

import pytest

from goals.portability.checking import validate
from goals.portability.export import export_person, validate_export
from goals.portability.reading import ImportRefused
from goals.portability.writing import import_document
from plans.models import CareerPlan, SkillAssessment
from plans.ratings import services
from plans.ratings.models import SkillRating
from plans.sharing.models import Share


@pytest.fixture
def rated(alice, mentor, plan, ladder):
    """Alice assessed market at 1; her mentor rated it 4 then 3 (with a note) and strategy 2; she
    counts the 3, and an agreed 4 for communication."""
    market, strategy = ladder.skills["market"], ladder.skills["strategy"]
    communication = ladder.skills["communication"]
    SkillAssessment.objects.create(plan=plan, skill=market, level=1)
    share = Share.objects.create(plan=plan, email=mentor.email, user=mentor, may_rate=True)
    share.plan = plan
    services.rating_add(share=share, rater=mentor, skill=market, level=4, note="")
    chosen = services.rating_add(share=share, rater=mentor, skill=market, level=3, note="Pricing study")
    services.rating_add(share=share, rater=mentor, skill=strategy, level=2, note="")
    services.level_choose(plan=plan, skill=market, rating=chosen)
    services.level_choose(plan=plan, skill=communication, level=4)
    return plan


def plan_doc(document: dict) -> dict:
    [plan] = document["plans"]
    return plan


def test_the_owners_export_holds_the_ratings_and_her_choices(alice, rated, mentor):
    document = export_person(alice)
    assert validate_export(document) == []
    doc = plan_doc(document)
    assert [(r["skill"], r["level"], r["note"]) for r in doc["ratings"]] == [
        ("market", 4, ""),
        ("market", 3, "Pricing study"),
        ("strategy", 2, ""),
    ]
    assert {r["rater"] for r in doc["ratings"]} == {"mentor"}  # the name shown, never the address
    assert "mentor@example.com" not in str(doc["ratings"])
    chosen = {c["skill"]: (c["level"], c["rating"]) for c in doc["chosen_levels"]}
    assert chosen == {"market": (3, doc["ratings"][1]["id"]), "communication": (4, None)}


def test_export_then_import_keeps_ratings_choices_and_readiness(alice, bob, rated):
    document = export_person(alice)
    import_document(document, user=bob)
    imported = CareerPlan.objects.with_gap_data().get(owner=bob)
    original = CareerPlan.objects.with_gap_data().get(pk=rated.pk)
    assert imported.counted_levels() == original.counted_levels()
    assert len(original.counted_levels()) == 2  # market's chosen 3, communication's agreed 4
    assert imported.readiness() == original.readiness()
    ratings = SkillRating.objects.filter(plan=imported).order_by("created_at", "pk")
    assert [(r.skill.slug, r.level, r.rater_name, r.rater, r.share) for r in ratings] == [
        ("market", 4, "mentor", None, None),
        ("market", 3, "mentor", None, None),
        ("strategy", 2, "mentor", None, None),
    ]
    assert [r.created_at for r in ratings] == [
        r.created_at for r in SkillRating.objects.filter(plan=rated).order_by("created_at", "pk")
    ]
    # And out again, the same.
    again = plan_doc(export_person(bob))
    assert (again["ratings"], again["chosen_levels"]) == (
        plan_doc(document)["ratings"],
        plan_doc(document)["chosen_levels"],
    )


def test_a_file_written_before_ratings_still_imports(alice, bob, rated):
    document = export_person(alice)
    for doc in document["plans"]:
        del doc["ratings"], doc["chosen_levels"]
    import_document(document, user=bob)
    imported = CareerPlan.objects.get(owner=bob)
    assert not SkillRating.objects.filter(plan=imported).exists()
    assert imported.chosen_levels == {}


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (
            lambda doc: doc["ratings"][0].update(created_at="2999-01-01T00:00:00+00:00"),
            "ratings[0].created_at",
        ),
        (lambda doc: doc["ratings"][1].update(id=doc["ratings"][0]["id"]), "ratings[1].id"),
        (lambda doc: doc["chosen_levels"][0].update(rating="rating-999"), "chosen_levels[0].rating"),
        (lambda doc: doc["chosen_levels"][0].update(level=5), "chosen_levels[0].rating"),
        (lambda doc: doc["chosen_levels"][0].update(chosen_at="yesterday"), "chosen_levels[0].chosen_at"),
        (lambda doc: doc["chosen_levels"].append(dict(doc["chosen_levels"][0])), "chosen_levels[2].skill"),
        (lambda doc: doc["ratings"][0].update(level=6), "ratings[0].level"),
    ],
)
def test_a_wrong_value_refuses_the_file_naming_its_place_and_writes_nothing(alice, bob, rated, change, place):
    document = copy.deepcopy(export_person(alice))
    change(plan_doc(document))
    with pytest.raises(ImportRefused) as refused:
        validate(document)
        import_document(document, user=bob)
    assert place in str(refused.value)
    assert not CareerPlan.objects.filter(owner=bob).exists()
