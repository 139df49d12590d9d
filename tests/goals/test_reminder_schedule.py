"""next_reminder_at stays right through goals.services, whoever calls them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from goals import services
from goals.models import Goal
from tests.goals.factories import GoalFactory

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("frozen_time")
def test_changing_the_cadence_reschedules(plan):
    # The owner's slot (Monday 09:00 UTC by default) that is last within the cadence interval
    # from NOW, Monday 15 June 2026 at noon.
    goal = GoalFactory(plan=plan, reminder_cadence=Goal.Cadence.WEEKLY)
    services.goal_save(goal=goal)
    assert goal.next_reminder_at == datetime(2026, 6, 22, 9, 0, tzinfo=UTC)  # 7 days less 3 hours

    goal.reminder_cadence = Goal.Cadence.MONTHLY
    services.goal_save(goal=goal)
    assert goal.next_reminder_at == datetime(2026, 7, 13, 9, 0, tzinfo=UTC)  # by Wednesday 15 July

    goal.reminder_cadence = Goal.Cadence.NEVER
    services.goal_save(goal=goal)
    assert goal.next_reminder_at is None


def test_editing_other_fields_keeps_the_reminder_time(plan):
    goal = services.goal_save(goal=GoalFactory.build(plan=plan))
    before = goal.next_reminder_at
    goal.title = "Sharper title"
    services.goal_save(goal=goal)
    assert Goal.objects.get(pk=goal.pk).next_reminder_at == before


def test_due_for_reminder_finds_only_active_goals_whose_time_has_passed(plan):
    now = timezone.now()
    due = GoalFactory(plan=plan, next_reminder_at=now - timedelta(minutes=1))
    GoalFactory(plan=plan, next_reminder_at=now + timedelta(hours=1))
    GoalFactory(plan=plan, next_reminder_at=now - timedelta(hours=1), status=Goal.Status.PAUSED)
    assert list(Goal.objects.due_for_reminder(now)) == [due]
