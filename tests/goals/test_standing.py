"""goals.standing works out in the database (ORM expressions) what the Goal model's rules work out in
Python for goals in memory: the two must agree on every goal, or the plan page's summary and its
rows would disagree. Run on SQLite and on PostgreSQL."""

import itertools
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest

from base import versions
from goals.models import CheckIn, Goal
from goals.progress.status import TrackStatus
from goals.sections import _URGENCY, PLAN_PAGE_GOALS
from goals.standing import NextStep, Order, plan_standings
from plans.models import CareerPlan, PlanCertification, SkillAssessment
from tests.conftest import NOW, TODAY
from tests.factories import CertificationFactory, SkillFactory
from tests.goals.factories import CheckInFactory, GoalFactory
from tests.plans.factories import CareerPlanFactory, PlanCertificationFactory

pytestmark = pytest.mark.usefixtures("frozen_time")


def goals_summary(goals: list[Goal]) -> dict:
    """The summary, in Python: counts by track status of the active goals, how many are due for a
    check-in, and the next one (date, then goal id)."""
    active = [g for g in goals if g.is_active]
    counts = Counter(g.track_status(TODAY) for g in active)
    check_ins = sorted(
        ((d, g) for g in active if (d := g.next_check_in_on()) is not None),
        key=lambda pair: (pair[0], pair[1].pk),
    )
    return {
        "active": len(active),
        "completed": sum(1 for g in goals if g.status == Goal.Status.COMPLETED),
        "counts": [(status, counts[status]) for status in TrackStatus if counts[status]],
        "due": sum(1 for day, _ in check_ins if day <= TODAY),
        "next_check_in": check_ins[0] if check_ins else None,
    }


def slipping(goals: list[Goal]) -> list[Goal]:
    """A mentor's order, in Python: behind, then at risk, nearest deadline first."""
    late = (TrackStatus.BEHIND, TrackStatus.AT_RISK)
    return sorted(
        (g for g in goals if g.is_active and g.track_status(TODAY) in late),
        key=lambda g: (_URGENCY[g.track_status(TODAY)], g.deadline, g.pk),
    )


def by_urgency(goals: list[Goal]) -> list[Goal]:
    """The plan page's order, in Python: due for a check-in first, then behind, at risk, on track,
    done; then by deadline."""

    def urgency(goal: Goal) -> tuple:
        due = goal.next_check_in_on()
        return (due is None or due > TODAY, _URGENCY[goal.track_status(TODAY)], goal.deadline, goal.pk)

    return sorted((g for g in goals if g.is_active), key=urgency)


def next_step(goals: list[Goal]) -> tuple[int, Goal] | None:
    """The next step, in Python: the first goal due by deadline, else the first behind, else the
    first without a check-in."""
    active = sorted((g for g in goals if g.is_active), key=lambda g: (g.deadline, g.pk))
    rules = [
        (NextStep.CHECK_IN, lambda g: (day := g.next_check_in_on()) is not None and day <= TODAY),
        (NextStep.CATCH_UP, lambda g: g.track_status(TODAY) == TrackStatus.BEHIND),
        (NextStep.FIRST_CHECK_IN, lambda g: g.latest_check_in() is None),
    ]
    for step, rule in rules:
        if first := next((g for g in active if rule(g)), None):
            return step, first
    return None


def grid_plan(owner) -> CareerPlan:
    """A plan with goals in every shape the rules tell apart: rising and falling metrics, no
    check-in and several, start dates past and future, deadlines passed, today and far, every
    cadence, every status, skill-level goals with and without an assessment, certification goals
    held, lapsed and planned."""
    plan = CareerPlanFactory(owner=owner)
    # The grid's goals and check-ins are written in bulk, a statement each (neither model's save()
    # computes a field), with one move of the plan's version: the claims are about reading them.
    goals, check_ins = [], []
    shapes = itertools.product(
        [(0, 10), (10, 0), (Decimal("2.5"), Decimal("7.5"))],  # baseline, target
        [None, "start", "half", "six tenths", "past target"],  # check-ins
        [(-90, 30), (-10, 0), (-200, -20), (5, 60)],  # start, deadline (days from today)
        list(Goal.Cadence),
    )
    for n, ((baseline, target), history, (start, deadline), cadence) in enumerate(shapes):
        goal = GoalFactory.build(
            plan=plan,
            baseline=baseline,
            target=target,
            reminder_cadence=cadence,
            start_date=TODAY + timedelta(days=start),
            deadline=TODAY + timedelta(days=deadline),
            status=Goal.Status.ACTIVE if n % 7 else [*Goal.Status][n % 4],
        )
        values = {
            "start": [baseline],
            "half": [baseline, (baseline + target) / 2],
            "six tenths": [baseline + (target - baseline) * Decimal("0.6")],
            "past target": [target * 2],
        }
        goals.append(goal)
        check_ins += [
            CheckInFactory.build(goal=goal, value=value, checked_on=TODAY - timedelta(days=3 + 9 * days_ago))
            for days_ago, value in enumerate(values.get(history, []))
        ]
    Goal.objects.bulk_create(goals)
    CheckIn.objects.bulk_create(check_ins)
    versions.bump(versions.plan(plan.pk))
    skill, assessed = SkillFactory(), SkillFactory()
    SkillAssessment.objects.create(plan=plan, skill=assessed, level=3)
    for skill_ in (skill, assessed):
        GoalFactory(
            plan=plan, unit="Level", skill=skill_, baseline=1, target=4, start_date=TODAY - timedelta(60)
        )
    for status, expires in [("earned", 30), ("earned", -1), ("planned", None), (None, None)]:
        certification = CertificationFactory()
        if status:
            PlanCertificationFactory(
                plan=plan,
                certification=certification,
                status=status,
                earned_on=TODAY - timedelta(400) if status == "earned" else None,
            )
            if expires is not None:
                PlanCertification.objects.filter(certification=certification).update(
                    expires_on=TODAY + timedelta(expires)
                )
        GoalFactory(plan=plan, unit="certification", certification=certification, baseline=0, target=1)
    return plan


def in_memory(plan: CareerPlan) -> list[Goal]:
    from goals.models import prefetch_measured_facts

    return prefetch_measured_facts(list(CareerPlan.objects.get(pk=plan.pk).goals.with_latest_check_in()))


def other_plans(beside: bool) -> list[CareerPlan]:
    """Another person's plan with goals of its own, when the standing is worked out beside it (the
    dashboard's several plans: one query numbers each plan's rows) rather than alone (a plan page)."""
    if not beside:
        return []
    plan = CareerPlanFactory()
    # Due, behind and with the nearest deadline: first in either order, were the plans numbered as one.
    GoalFactory.create_batch(
        3, plan=plan, start_date=TODAY - timedelta(days=90), deadline=TODAY + timedelta(days=1)
    )
    return [plan]


BESIDE = pytest.mark.parametrize("beside", [False, True], ids=["alone", "beside another plan"])


@BESIDE
def test_the_sql_standing_agrees_with_the_python_rules(alice, beside):
    plan = grid_plan(alice)
    goals = in_memory(plan)
    assert len(goals) > 150
    assert {goal.track_status(TODAY) for goal in goals} == set(TrackStatus)  # the grid has them all

    active = sum(1 for goal in goals if goal.is_active)
    standing = plan_standings([plan, *other_plans(beside)], today=TODAY, limit=active)[plan.pk]

    expected = goals_summary(goals)
    summary = standing.summary()
    assert summary["counts"] == expected["counts"]
    assert (summary["active"], summary["completed"], summary["due"]) == (
        expected["active"],
        expected["completed"],
        expected["due"],
    )
    assert summary["next_check_in"][0] == expected["next_check_in"][0]
    assert summary["next_check_in"][1].pk == expected["next_check_in"][1].pk
    assert standing.total == len(goals)
    # Every active goal, in the order of urgency the page shows them.
    assert [g.pk for g in standing.goals] == [g.pk for g in by_urgency(goals)]
    step, goal = next_step(goals)
    assert (standing.next_step[0], standing.next_step[1].pk) == (step, goal.pk)


def test_each_goals_status_matches_its_row(alice):
    """The rows the standing reads show the status the Python rule gives the same goal."""
    plan = grid_plan(alice)
    by_pk = {g.pk: g for g in in_memory(plan)}
    standing = plan_standings([plan], today=TODAY, limit=1000)[plan.pk]
    for goal in standing.goals:
        twin = by_pk[goal.pk]
        assert goal.current_value() == twin.current_value(), goal.title
        assert goal.track_status(TODAY) == twin.track_status(TODAY), goal.title
        assert goal.next_check_in_on() == twin.next_check_in_on(), goal.title


def test_the_standing_reads_a_few_rows_per_plan(alice, bob):
    plans = [grid_plan(alice), CareerPlanFactory(owner=bob)]
    standings = plan_standings(plans, today=TODAY, limit=PLAN_PAGE_GOALS)
    assert len(standings[plans[0].pk].goals) == PLAN_PAGE_GOALS
    assert standings[plans[1].pk].total == 0 and standings[plans[1].pk].next_step is None


def test_the_next_step_agrees_when_nothing_is_due_and_nothing_is_behind(alice):
    plan = grid_plan(alice)
    Goal.objects.filter(plan=plan).update(reminder_cadence=Goal.Cadence.NEVER)  # nothing due
    pauses = [
        lambda g: g.track_status(TODAY) == TrackStatus.BEHIND,  # then nothing is behind
        lambda g: g.latest_check_in() is None,  # then every active goal has a check-in
    ]
    seen = []
    for pause in [*pauses, None]:
        goals = in_memory(plan)
        standing = plan_standings([plan], today=TODAY, limit=PLAN_PAGE_GOALS)[plan.pk]
        step = next_step(goals)
        seen.append(step and step[0])
        assert (standing.next_step and (standing.next_step[0], standing.next_step[1].pk)) == (
            step and (step[0], step[1].pk)
        )
        if pause:
            paused = [g.pk for g in goals if g.is_active and pause(g)]
            Goal.objects.filter(pk__in=paused).update(status=Goal.Status.PAUSED)
    assert seen == [NextStep.CATCH_UP, NextStep.FIRST_CHECK_IN, None]


@BESIDE
def test_the_slipping_order_agrees_with_the_python_rule(alice, beside):
    plan = grid_plan(alice)
    goals = in_memory(plan)
    late = slipping(goals)
    plans = [*other_plans(beside), plan]
    standing = plan_standings(plans, today=TODAY, limit=len(late), order=Order.SLIPPING)[plan.pk]
    assert [g.pk for g in standing.goals] == [g.pk for g in late]


def test_the_latest_of_a_day_is_the_one_recorded_last(alice):
    """Two check-ins on one day, two self-assessments at one moment: the standing reads the one
    recorded last, as Goal.latest_check_in and CareerPlan.latest_assessments do."""
    plan = CareerPlanFactory(owner=alice)
    dates = {"start_date": TODAY - timedelta(days=50), "deadline": TODAY + timedelta(days=10)}
    counted = GoalFactory(plan=plan, baseline=0, target=10, **dates)
    CheckInFactory(goal=counted, value=9, checked_on=TODAY - timedelta(days=20))
    last = CheckInFactory(goal=counted, value=1, checked_on=TODAY - timedelta(days=20))
    skill = SkillFactory()
    for level in (4, 1):
        SkillAssessment.objects.create(plan=plan, skill=skill, level=level, assessed_at=NOW)
    levelled = GoalFactory(plan=plan, unit="level", skill=skill, baseline=1, target=4, **dates)
    goals = {g.pk: g for g in in_memory(plan)}

    standing = plan_standings([plan], today=TODAY, limit=2)[plan.pk]

    rows = {g.pk: g for g in standing.goals}
    assert rows[counted.pk].latest_check_in().pk == last.pk == goals[counted.pk].latest_check_in().pk
    assert rows[levelled.pk].current_value() == goals[levelled.pk].current_value() == 1
    # Both behind, fifty days into sixty: 1 of 10 (not 9), and level 1 of 1 to 4 (not 4).
    assert {goals[pk].track_status(TODAY) for pk in rows} == {TrackStatus.BEHIND}
    assert standing.counts[TrackStatus.BEHIND] == 2
