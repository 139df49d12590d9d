"""A goal's next reminder: when its owner is next nudged about it, from their reminder settings
(goals.reminders.models.ReminderSettings) and the one slot rule (goals.reminders.schedule).

Every writer that changes what a reminder depends on (a goal's cadence or status, a check-in,
the owner's settings) calls ``schedule_next_reminder``: goals.services, the admin, an import.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from goals.models import Goal
from goals.reminders.models import ReminderSettings


def schedule_next_reminder(
    goal: Goal,
    *,
    now: datetime | None = None,
    reminder_settings: ReminderSettings | None = None,
    keep_due: bool = False,
) -> None:
    """Set goal.next_reminder_at (UTC) to the owner's next reminder slot; None when the goal can't be reminded.

    The slot is the last one on their weekday and local hour within one cadence interval from
    now (goals.reminders.schedule.next_reminder_slot), so a check-in pushes the next nudge about a full
    interval away; while they are paused, the first slot once the pause ends. None when the
    goal is not active, its cadence is "never", or the owner unsubscribed.

    ``keep_due`` (their reminder settings changed): the new slot, but no later than the time
    already due, so changing the hour never postpones a monthly nudge by a month.
    ``reminder_settings`` spares the owner's lookup. Does not save: callers save with the rest
    of their change.
    """
    now = now or timezone.now()
    days = Goal.CADENCE_DAYS.get(goal.reminder_cadence)
    if goal.status != Goal.Status.ACTIVE or days is None:
        goal.next_reminder_at = None
        return
    prefs = reminder_settings or ReminderSettings.for_user(goal.plan.owner)
    if not prefs.receives_reminders:
        goal.next_reminder_at = None
        return
    end = now + timedelta(days=days)
    if keep_due and goal.next_reminder_at is not None and now < goal.next_reminder_at < end:
        end = goal.next_reminder_at
    slot = prefs.slot(after=end - timedelta(days=days), interval_days=days)
    if slot <= now:  # none of their slots falls between now and the time already due
        slot = prefs.slot(after=now, interval_days=0)
    goal.next_reminder_at = slot
