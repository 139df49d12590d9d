"""Writes that span a goal and its history, keeping next_reminder_at right."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from goals.models import CheckIn, Goal


@transaction.atomic
def goal_save(*, goal: Goal) -> Goal:
    """Create or update a goal; (re)schedule its reminder when it is new or its cadence/status changed."""
    stored = (
        Goal.objects.filter(pk=goal.pk).values_list("reminder_cadence", "status").first() if goal.pk else None
    )
    if stored != (goal.reminder_cadence, goal.status) or goal.next_reminder_at is None or not goal.is_active:
        goal.schedule_next_reminder()
    goal.save()
    return goal


@transaction.atomic
def check_in_record(*, goal: Goal, value: Decimal, note: str = "", checked_on: date | None = None) -> CheckIn:
    """Record progress; the next reminder moves a full cadence interval away."""
    check_in = CheckIn.objects.create(
        goal=goal, value=value, note=note, checked_on=checked_on or timezone.localdate()
    )
    goal.schedule_next_reminder()
    goal.save(update_fields=["next_reminder_at"])
    return check_in


@transaction.atomic
def goal_set_status(*, goal: Goal, status: str) -> Goal:
    """Complete, pause, abandon or resume a goal; only active goals keep a reminder time."""
    goal.status = status
    goal.completed_at = timezone.now() if status == Goal.Status.COMPLETED else None
    goal.schedule_next_reminder()
    goal.save(update_fields=["status", "completed_at", "next_reminder_at"])
    return goal
