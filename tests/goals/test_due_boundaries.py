"""Due means due, to the second and to the day, each boundary beside the moment after it.

The sweep: a goal whose next_reminder_at is exactly the sweep's moment is due and its digest goes
out; one second later it is not. The plan page's "N due for a check-in" and the dashboard's "Time
to check in": a weekly goal whose last check-in (or start) was exactly 7 days ago is due today; 6
days ago, it is due tomorrow. Time is frozen at Monday 15 June 2026, 12:00 UTC (tests/conftest.py).
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from goals.models import Goal
from goals.reminders import sweep
from tests.conftest import NOW, TODAY
from tests.goals.factories import CheckInFactory, GoalFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_time")]

WEEKLY_DAYS = Goal.CADENCE_DAYS[Goal.Cadence.WEEKLY]


# --- The sweep: next_reminder_at <= now -------------------------------------------------------


def test_a_reminder_due_exactly_now_is_sent(plan):
    goal = GoalFactory(plan=plan, title="Due this very second", next_reminder_at=NOW)

    result = sweep.sweep(now=NOW)

    assert result.claimed == 1
    [message] = mail.outbox
    assert "Due this very second" in message.body
    goal.refresh_from_db()
    assert goal.next_reminder_at > NOW


def test_a_reminder_due_one_second_later_waits(plan):
    goal = GoalFactory(plan=plan, next_reminder_at=NOW + timedelta(seconds=1))

    result = sweep.sweep(now=NOW)

    assert result.claimed == 0
    assert mail.outbox == []
    goal.refresh_from_db()
    assert goal.next_reminder_at == NOW + timedelta(seconds=1)


def test_a_reminder_due_now_is_sent_by_a_sweep_that_reads_the_clock(plan):
    GoalFactory(plan=plan, next_reminder_at=NOW)
    assert sweep.sweep().claimed == 1  # now = timezone.now(), the frozen NOW
    assert len(mail.outbox) == 1


# --- The plan page: "N due for a check-in" ----------------------------------------------------


def weekly_goal(plan, *, last_check_in_days_ago: int | None = None, started_days_ago: int = 30) -> Goal:
    goal = GoalFactory(
        plan=plan, title="Interview five customers", start_date=TODAY - timedelta(days=started_days_ago)
    )
    if last_check_in_days_ago is not None:
        CheckInFactory(goal=goal, value=1, checked_on=TODAY - timedelta(days=last_check_in_days_ago))
    return goal


def test_plan_page_counts_a_check_in_due_exactly_today(alice_client, plan):
    weekly_goal(plan, last_check_in_days_ago=WEEKLY_DAYS)
    html = alice_client.get(plan.get_absolute_url()).content.decode()
    assert "1 due for a check-in" in html


def test_plan_page_does_not_count_a_check_in_due_tomorrow(alice_client, plan):
    weekly_goal(plan, last_check_in_days_ago=WEEKLY_DAYS - 1)
    html = alice_client.get(plan.get_absolute_url()).content.decode()
    assert "due for a check-in" not in html
    assert "Next check-in 16 Jun" in html


def test_plan_page_counts_a_first_check_in_due_exactly_today(alice_client, plan):
    weekly_goal(plan, started_days_ago=WEEKLY_DAYS)
    html = alice_client.get(plan.get_absolute_url()).content.decode()
    assert "1 due for a check-in" in html


def test_plan_page_does_not_count_a_first_check_in_due_tomorrow(alice_client, plan):
    weekly_goal(plan, started_days_ago=WEEKLY_DAYS - 1)
    html = alice_client.get(plan.get_absolute_url()).content.decode()
    assert "due for a check-in" not in html
    assert "Next check-in 16 Jun" in html


# --- The dashboard: "Time to check in" --------------------------------------------------------


def time_to_check_in(client) -> str:
    html = client.get(reverse("home")).content.decode()
    return html.split("Time to check in", 1)[1].split("</section>", 1)[0]


def test_dashboard_lists_a_check_in_due_exactly_today(alice_client, plan):
    weekly_goal(plan, last_check_in_days_ago=WEEKLY_DAYS)
    card = time_to_check_in(alice_client)
    assert "Interview five customers" in card


def test_dashboard_does_not_list_a_check_in_due_tomorrow(alice_client, plan):
    weekly_goal(plan, last_check_in_days_ago=WEEKLY_DAYS - 1)
    card = time_to_check_in(alice_client)
    assert "Interview five customers" not in card
    assert "up to date with your 1 active goal" in card
