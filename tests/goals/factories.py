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
