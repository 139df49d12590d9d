"""Dates in emails carry the year when it is not the current one (issue 20): "was due 1 Jan 2020",
"due 3 Feb 2027", but "due 17 Jun" within the year. The digest is the one email that names dates.

Time is frozen at Monday 15 June 2026, 12:00 UTC (tests/conftest.py NOW); the person reads UTC.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from goals.models import Goal
from goals.reminders import sweep
from plans.models import PlanCertification
from tests.conftest import NOW
from tests.factories import CertificationFactory
from tests.goals.factories import GoalFactory, MilestoneFactory
from tests.plans.factories import PlanCertificationFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

DUE = NOW - timedelta(minutes=5)


def overdue_goal(plan, title: str, deadline: date) -> Goal:
    goal = GoalFactory(plan=plan, title=title, start_date=deadline - timedelta(days=90))
    Goal.objects.filter(pk=goal.pk).update(deadline=deadline)  # the form refuses a past deadline
    return goal


def sweep_text() -> tuple[str, str]:
    """The digest's text and HTML parts."""
    sweep.sweep()
    [message] = mail.outbox
    return message.body, message.alternatives[0][0]


def test_dates_of_another_year_carry_it_and_this_years_do_not(plan):
    start = date(2019, 12, 1)
    due_next_year = GoalFactory(
        plan=plan,
        title="Lead the pricing review",
        next_reminder_at=DUE,
        start_date=start,
        deadline=date(2027, 2, 3),
    )
    GoalFactory(
        plan=plan,
        title="Ship the onboarding survey",
        next_reminder_at=DUE,
        start_date=start,
        deadline=date(2026, 9, 30),
    )
    overdue_goal(plan, "Finish the analytics course", date(2025, 12, 3))
    overdue_goal(plan, "Write the strategy memo", date(2026, 6, 12))
    MilestoneFactory(goal=due_next_year, title="Draft the questions", due_date=date(2020, 1, 1))
    MilestoneFactory(goal=due_next_year, title="Book the room", due_date=date(2026, 6, 17))

    text, html = sweep_text()

    assert "Due 3 Feb 2027" in text and "due 3 Feb 2027" in html
    assert "Due 30 Sep\n" in text and "due 30 Sep<" in html
    assert "the deadline was 3 Dec 2025 (" in text and "the deadline was 3 Dec 2025 (" in html
    assert "the deadline was 12 Jun (" in text and "the deadline was 12 Jun (" in html
    assert "Draft the questions (Lead the pricing review): was due 1 Jan 2020\n" in text
    assert "Book the room (Lead the pricing review): due 17 Jun\n" in text
    assert "was due 1 Jan 2020</li>" in html and "due 17 Jun</li>" in html


def test_across_new_year_the_weeks_deadlines_and_expiries_carry_the_next_year(plan):
    with time_machine.travel(datetime(2026, 12, 28, 12, 0, tzinfo=UTC), tick=False):
        start = date(2026, 10, 1)
        GoalFactory(
            plan=plan,
            title="Keep the digest going",
            next_reminder_at=datetime.now(UTC),
            start_date=start,
            deadline=date(2027, 6, 1),
        )
        GoalFactory(plan=plan, title="Close the year", start_date=start, deadline=date(2026, 12, 30))
        GoalFactory(plan=plan, title="Open the year", start_date=start, deadline=date(2027, 1, 2))
        earned = {"status": PlanCertification.Status.EARNED, "earned_on": date(2025, 1, 10)}
        PlanCertificationFactory(
            plan=plan,
            certification=CertificationFactory(abbreviation="CSPO"),
            expires_on=date(2026, 12, 31),
            **earned,
        )
        PlanCertificationFactory(
            plan=plan,
            certification=CertificationFactory(abbreviation="PMP"),
            expires_on=date(2027, 1, 20),
            **earned,
        )

        text, html = sweep_text()

    assert "Close the year: due Wednesday 30 Dec (in 2 days)" in text
    assert "Open the year: due Saturday 2 Jan 2027 (in 5 days)" in text
    assert "(CSPO) expires on 31 Dec (within 7 days)" in text
    assert "(PMP) expires on 20 Jan 2027 (within 30 days)" in text
    for part in (
        "due Wednesday 30 Dec (",
        "due Saturday 2 Jan 2027 (",
        "expires on 31 Dec (",
        "expires on 20 Jan 2027 (",
    ):
        assert part in html
