"""A pause ends on the person's own date: the digest of the day the pause ends goes out, none before.

Each person has a weekly goal whose next reminder is their Monday 22 June 2026 slot when, on
Wednesday 17 June, they pause their reminders; then the clock moves a few minutes past their Monday 22 June slot and the
sweep runs, as beat would run it. West of UTC a late slot falls on the next UTC date (Monday 20:00
in New York is Tuesday 00:00 UTC), east of UTC an early one on the previous (Monday 09:00 in
Sydney is Sunday 23:00 UTC): each side is tested beside the other.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from goals import services
from goals.models import Goal
from goals.reminders import sweep
from tests.goals.factories import GoalFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_time")]

MONDAY = 0
WEEK = timedelta(days=7)
MONDAY_22_JUNE, TUESDAY_23_JUNE = date(2026, 6, 22), date(2026, 6, 23)
WEDNESDAY_17_JUNE = datetime(2026, 6, 17, 12, 0, tzinfo=UTC)
# Monday 22 June at 20:00 in New York (EDT, UTC−4) and at 09:00 in Sydney (AEST, UTC+10).
NEW_YORK_SLOT = datetime(2026, 6, 23, 0, 0, tzinfo=UTC)
SYDNEY_SLOT = datetime(2026, 6, 21, 23, 0, tzinfo=UTC)


def emails_from_sweep_at(moment: datetime) -> int:
    """How many digests a sweep a few minutes after ``moment`` sends."""
    before = len(mail.outbox)
    with time_machine.travel(moment + timedelta(minutes=5), tick=False):
        sweep.sweep()
    return len(mail.outbox) - before


def paused(plan, *, zone: str, hour: int, until: date, slot: datetime) -> Goal:
    """Alice, reminded on Mondays at ``hour`` in ``zone``, has a weekly goal next due at ``slot``
    when, on Wednesday 17 June, she pauses her reminders until ``until``."""
    settings = {"user": plan.owner, "timezone": zone, "hour": hour, "weekday": MONDAY}
    services.reminder_settings_save(**settings, default_cadence=Goal.Cadence.WEEKLY, paused_until=None)
    goal = services.goal_save(goal=GoalFactory.build(plan=plan, reminder_cadence=Goal.Cadence.WEEKLY))
    emails_from_sweep_at(WEDNESDAY_17_JUNE)  # New York's Monday 15 June digest goes out
    goal.refresh_from_db()
    assert goal.next_reminder_at == slot
    with time_machine.travel(WEDNESDAY_17_JUNE, tick=False):
        services.reminder_settings_save(**settings, default_cadence=Goal.Cadence.WEEKLY, paused_until=until)
    return goal


# --- West of UTC: New York, Mondays at 20:00 (Tuesday 00:00 UTC) ------------------------------


def test_new_york_paused_until_tuesday_gets_no_monday_digest(plan):
    paused(plan, zone="America/New_York", hour=20, until=TUESDAY_23_JUNE, slot=NEW_YORK_SLOT)
    assert emails_from_sweep_at(NEW_YORK_SLOT) == 0
    # The first slot on or after the pause's end: Monday 29 June.
    assert emails_from_sweep_at(NEW_YORK_SLOT + WEEK) == 1


def test_new_york_paused_until_monday_gets_that_monday_digest(plan):
    # Reminders resume on the pause's date: Monday 22 June is the first day after the pause.
    paused(plan, zone="America/New_York", hour=20, until=MONDAY_22_JUNE, slot=NEW_YORK_SLOT)
    assert emails_from_sweep_at(NEW_YORK_SLOT) == 1


# --- East of UTC: Sydney, Mondays at 09:00 (Sunday 23:00 UTC) ---------------------------------


def test_sydney_paused_until_tuesday_gets_no_monday_digest(plan):
    paused(plan, zone="Australia/Sydney", hour=9, until=TUESDAY_23_JUNE, slot=SYDNEY_SLOT)
    assert emails_from_sweep_at(SYDNEY_SLOT) == 0
    assert emails_from_sweep_at(SYDNEY_SLOT + WEEK) == 1


def test_sydney_paused_until_monday_gets_that_monday_digest(plan):
    paused(plan, zone="Australia/Sydney", hour=9, until=MONDAY_22_JUNE, slot=SYDNEY_SLOT)
    assert emails_from_sweep_at(SYDNEY_SLOT) == 1
