"""Importing while the clock runs (issue 28): a plan is known by the moment it was created, so
these tests let time tick (time-machine, tick=True) instead of stopping it. With the clock
stopped every plan, anyone's, is created at the same moment, and a file's plans would all look
already held by any account that has a plan."""

import json
from datetime import UTC, datetime

import pytest
import time_machine

from goals.models import CheckIn, Goal
from goals.portability.checking import check
from goals.portability.export import export_person, export_plan
from goals.portability.writing import import_document
from plans.models import CareerPlan
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

STARTS = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def ticking():
    """The clock runs from STARTS, as it does in production: no two rows share a moment."""
    with time_machine.travel(STARTS, tick=True):
        yield


@pytest.fixture
def alices_plans(ticking, alice, ladder):
    """Alice's primary plan with a goal and a check-in, and a second plan."""
    junior, senior = ladder.roles["apm"], ladder.roles["senior"]
    primary = CareerPlanFactory(
        owner=alice, title="Become senior", current_role=junior, target_role=senior, is_primary=True
    )
    goal = GoalFactory(plan=primary, title="Ship the pricing page", baseline=0, target=3)
    CheckIn.objects.create(goal=goal, value=1, checked_on=goal.start_date)
    second = CareerPlanFactory(owner=alice, title="Side path", current_role=junior, target_role=senior)
    return primary, second


def _copy(document: dict) -> dict:
    return json.loads(json.dumps(document))


def test_reimporting_ones_own_export_adds_no_plan(alices_plans, alice):
    exported = _copy(export_person(alice))

    preview = check(exported, user=alice)
    report = import_document(exported, user=alice)

    assert preview.new_plans == [] and sorted(preview.known_plans) == ["Become senior", "Side path"]
    assert report.plans == []
    assert CareerPlan.objects.filter(owner=alice).count() == 2
    assert Goal.objects.filter(plan__owner=alice).count() == 1


def test_reimporting_one_plans_export_later_adds_nothing(alices_plans, alice):
    primary, _ = alices_plans
    exported = _copy(export_plan(primary))
    with time_machine.travel(datetime(2026, 9, 1, 9, 0, tzinfo=UTC), tick=True):
        report = import_document(exported, user=alice)

    assert report.plans == [] and report.known_plans == ["Become senior"]
    assert CareerPlan.objects.filter(owner=alice).count() == 2


def test_another_persons_plans_are_new_to_an_account_with_plans_of_its_own(alices_plans, alice, bob):
    CareerPlanFactory(owner=bob, title="Bob's own", is_primary=True)
    exported = _copy(export_person(alice))

    report = import_document(exported, user=bob)

    assert sorted(plan.title for plan in report.plans) == ["Become senior", "Side path"]
    assert report.known_plans == []


def test_an_imported_primary_plan_does_not_displace_the_importers_own(alices_plans, alice, bob):
    CareerPlanFactory(owner=bob, title="Bob's own", is_primary=True)

    import_document(_copy(export_person(alice)), user=bob)

    assert CareerPlan.objects.filter(owner=bob).count() == 3
    primaries = CareerPlan.objects.filter(owner=bob, is_primary=True).values_list("title", flat=True)
    assert list(primaries) == ["Bob's own"]


def test_an_imported_primary_plan_is_primary_for_someone_without_one(alices_plans, alice, bob):
    CareerPlanFactory(owner=bob, title="Bob's own")

    import_document(_copy(export_person(alice)), user=bob)

    primaries = CareerPlan.objects.filter(owner=bob, is_primary=True).values_list("title", flat=True)
    assert list(primaries) == ["Become senior"]


def test_the_imported_plans_keep_their_moments_so_a_second_import_adds_nothing(alices_plans, alice, bob):
    exported = _copy(export_person(alice))
    import_document(exported, user=bob)
    with time_machine.travel(datetime(2026, 7, 1, 9, 0, tzinfo=UTC), tick=True):
        again = import_document(_copy(exported), user=bob)

    assert again.plans == [] and sorted(again.known_plans) == ["Become senior", "Side path"]
    assert CareerPlan.objects.filter(owner=bob).count() == 2
    created = {plan["title"]: plan["created_at"] for plan in exported["plans"]}
    held = CareerPlan.objects.filter(owner=bob).values_list("title", "created_at")
    assert {title: moment.isoformat() for title, moment in held} == created
