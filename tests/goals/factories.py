"""factory_boy factories for the goals app."""

import datetime

import factory
from django.utils import timezone

from goals.models import CheckIn, Goal, Milestone
from tests.plans.factories import CareerPlanFactory


class GoalFactory(factory.django.DjangoModelFactory):
    """An active, short-term, measurable goal; next_reminder_at is left as given (None by default).

    Use goals.services.goal_save when a test needs the reminder scheduled.
    """

    class Meta:
        model = Goal

    plan = factory.SubFactory(CareerPlanFactory)
    title = factory.Sequence(lambda n: f"Complete {n + 3} product courses")
    description = "Build a stronger foundation."
    metric = "Courses completed"
    unit = "courses"
    baseline = 0
    target = 3
    plan_of_attack = "One course a month, two evenings a week."
    effort = "3 hours a week"
    relevance = "Needed for the next role."
    start_date = factory.LazyFunction(timezone.localdate)
    deadline = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=180))
    status = Goal.Status.ACTIVE
    reminder_cadence = Goal.Cadence.WEEKLY


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    goal = factory.SubFactory(GoalFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = factory.LazyAttribute(lambda o: o.goal.start_date + datetime.timedelta(days=60))
    done_at = None


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    goal = factory.SubFactory(GoalFactory)
    value = 1
    note = ""
    checked_on = factory.LazyFunction(timezone.localdate)


# The most check-ins a compact export of one goal holds within the 5 MB an upload may be.
LARGEST_CHECK_INS = 43_000


def largest_export(plan, check_ins: int = LARGEST_CHECK_INS) -> bytes:
    """The plan's owner's export with one more goal on ``plan`` holding ``check_ins`` daily
    check-ins since 1950, compact as a script writing exports might make it: with the default,
    the largest kind of file a person may upload (4.9 MB)."""
    import json

    from goals.portability.export import export_person

    start = datetime.date(1950, 1, 1)
    goal = Goal.objects.create(
        plan=plan,
        title="Run every day",
        metric="Kilometres",
        unit="km",
        baseline=0,
        target=100000,
        start_date=start,
        deadline=datetime.date(2100, 1, 1),
    )
    CheckIn.objects.bulk_create(
        (
            CheckIn(goal=goal, value=i, checked_on=start + datetime.timedelta(days=i))
            for i in range(check_ins)
        ),
        batch_size=2000,
    )
    CheckIn.objects.filter(goal=goal).update(
        created_at=datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)
    )
    return json.dumps(export_person(plan.owner), separators=(",", ":"), ensure_ascii=False).encode()


def goal_admin_data(goal, **overrides) -> dict:
    """What the admin's goal change form posts for ``goal`` unchanged, with no milestone or check-in
    rows, and ``overrides``."""
    fields = [
        "title",
        "description",
        "metric",
        "unit",
        "baseline",
        "target",
        "plan_of_attack",
        "effort",
        "relevance",
        "start_date",
        "deadline",
        "status",
        "reminder_cadence",
    ]
    data = {name: str(getattr(goal, name)) for name in fields}
    data |= {"plan": goal.plan_id, "milestones-TOTAL_FORMS": 0, "milestones-INITIAL_FORMS": 0}
    data |= {"check_ins-TOTAL_FORMS": 0, "check_ins-INITIAL_FORMS": 0}
    return data | overrides
