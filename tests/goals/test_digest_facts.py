"""Each fact in a reminder digest true (issue 20): what it recommends, the dates it names and the
edges of its windows, each beside the case on the other side of the line.

Time is frozen at Monday 15 June 2026, 12:00 UTC (tests/conftest.py NOW); the person reads UTC.
"""

from datetime import date, timedelta

import pytest
from django.core import mail

from goals.models import Goal
from goals.reminders import sweep
from plans.models import CareerPlan, PlanCertification
from tests.conftest import NOW, TODAY
from tests.factories import CertificationFactory
from tests.goals.factories import CheckInFactory, GoalFactory
from tests.plans.factories import PlanCertificationFactory

pytestmark = pytest.mark.usefixtures("frozen_time")


def due_goal(plan, **kwargs) -> Goal:
    """A goal due for a check-in now, so the sweep sends a digest whatever else it carries."""
    kwargs.setdefault("start_date", TODAY - timedelta(days=20))
    return GoalFactory(plan=plan, next_reminder_at=NOW - timedelta(minutes=5), **kwargs)


def digest_text(plan) -> str:
    due_goal(plan, title="Keep the digest going")
    sweep.sweep()
    [message] = mail.outbox
    return message.body


def section(text: str, heading: str) -> str:
    """The lines under ``heading`` in the text part, up to the next blank line ("" when absent)."""
    if heading not in text:
        return ""
    return text.split(heading, 1)[1].lstrip("\n").split("\n\n", 1)[0]


# --- Recommended certifications ------------------------------------------------------------------


@pytest.fixture
def cpl(plan):
    """A certification the plan's target role recommends, beside another one the plan lacks."""
    cpl = CertificationFactory(name="Certified Product Leader", abbreviation="CPL", validity_months=24)
    plan.target_role.recommended_certifications.add(
        cpl, CertificationFactory(name="Pragmatic Marketing", abbreviation="PMC")
    )
    return cpl


@pytest.mark.parametrize(
    "record",
    [
        {"status": PlanCertification.Status.PLANNED, "target_date": date(2027, 11, 30)},
        {"status": PlanCertification.Status.IN_PROGRESS, "target_date": date(2026, 9, 30)},
        {"status": PlanCertification.Status.EARNED, "earned_on": date(2025, 6, 1)},
    ],
    ids=["planned", "in-progress", "earned"],
)
def test_a_certification_on_the_plan_is_not_recommended(plan, cpl, record):
    PlanCertificationFactory(plan=plan, certification=cpl, **record)
    recommended = section(digest_text(plan), "FOR WHERE YOU WANT TO GO")
    assert "Pragmatic Marketing (PMC)" in recommended  # the one the plan lacks still is
    assert "CPL" not in recommended


def test_a_certification_off_the_plan_is_recommended(plan, cpl):
    recommended = section(digest_text(plan), "FOR WHERE YOU WANT TO GO")
    assert "recommends: Certified Product Leader (CPL), Pragmatic Marketing (PMC)" in recommended


def test_a_lapsed_certification_is_recommended_again_as_a_renewal(plan, cpl):
    PlanCertificationFactory(
        plan=plan,
        certification=cpl,
        status=PlanCertification.Status.EARNED,
        earned_on=date(2024, 3, 1),
        expires_on=date(2026, 3, 1),
    )
    text = digest_text(plan)
    assert "Certified Product Leader (CPL) (to renew: yours expired on 1 Mar)" in section(
        text, "FOR WHERE YOU WANT TO GO"
    )
    html = mail.outbox[0].alternatives[0][0]
    assert "Certified Product Leader (CPL) (to renew: yours expired on 1 Mar)" in html


# --- The edges of the digest's windows (issue 28) ------------------------------------------------


def not_due_goal(plan, title: str, deadline: date) -> Goal:
    goal = GoalFactory(plan=plan, title=title, start_date=TODAY - timedelta(days=60))
    Goal.objects.filter(pk=goal.pk).update(deadline=deadline)  # the form refuses a past deadline
    return goal


def test_a_deadline_today_is_listed_once_as_today_and_yesterdays_as_overdue(plan):
    not_due_goal(plan, "Send the pricing memo", TODAY)
    not_due_goal(plan, "Book the offsite", TODAY - timedelta(days=1))
    text = digest_text(plan)
    assert text.count("Send the pricing memo") == 1
    assert "Send the pricing memo: due Monday 15 Jun (today)" in section(text, "DEADLINES THIS WEEK")
    assert "Book the offsite: the deadline was 14 Jun" in section(text, "OVERDUE")
    assert "Book the offsite" not in section(text, "DEADLINES THIS WEEK")


def test_a_due_goal_whose_deadline_is_today_is_listed_once(plan):
    due_goal(plan, title="Send the pricing memo", deadline=TODAY)
    text = digest_text(plan)
    assert text.count("Send the pricing memo") == 1
    assert "Due 15 Jun (today)" in section(text, "TIME TO CHECK IN")


def test_a_deadline_7_days_away_is_listed_and_8_days_away_is_not(plan):
    not_due_goal(plan, "Seven days out", TODAY + timedelta(days=7))
    not_due_goal(plan, "Eight days out", TODAY + timedelta(days=8))
    text = digest_text(plan)
    assert "Seven days out: due Monday 22 Jun (in 7 days)" in section(text, "DEADLINES THIS WEEK")
    assert "Eight days out" not in section(text, "DEADLINES THIS WEEK")
    # Not a deadline this week, but behind (no progress, most of its time gone): said as such.
    assert "Eight days out (Become a Senior PM): 0% done, behind" in section(text, "BEHIND OR AT RISK")


def earned(plan, abbreviation: str, expires_in: int) -> PlanCertification:
    return PlanCertificationFactory(
        plan=plan,
        certification=CertificationFactory(name=f"Certificate {abbreviation}", abbreviation=abbreviation),
        status=PlanCertification.Status.EARNED,
        earned_on=TODAY - timedelta(days=700),
        expires_on=TODAY + timedelta(days=expires_in),
    )


def test_a_certification_expiring_today_has_lapsed_and_tomorrows_is_still_to_renew(plan):
    earned(plan, "TODAY", 0)
    earned(plan, "TMRW", 1)
    expiring = section(digest_text(plan), "CERTIFICATIONS EXPIRING")
    assert "(TMRW) expires on 16 Jun (within 7 days). Plan the renewal." in expiring
    assert "TODAY" not in expiring


@pytest.mark.parametrize(
    "days, label",
    [
        (7, "within 7 days"),
        (8, "within 30 days"),
        (30, "within 30 days"),
        (31, "within 60 days"),
        (45, "within 60 days"),
        (60, "within 60 days"),
        (61, None),
    ],
)
def test_expiries_are_labelled_by_the_smallest_window_they_fall_in(plan, days, label):
    held = earned(plan, "CSPO", days)
    lines = section(digest_text(plan), "CERTIFICATIONS EXPIRING").splitlines()
    line = next((line for line in lines if "CSPO" in line), None)
    if label is None:
        assert line is None
    else:
        assert f"expires on {held.expires_on:%-d %b} ({label})" in line


def quiet_plan(plan, *, checked_in_days_ago: int) -> None:
    """A plan made 60 days ago with one check-in, no self-assessment and no activity."""
    CareerPlan.objects.filter(pk=plan.pk).update(created_at=NOW - timedelta(days=60))
    goal = GoalFactory(plan=plan, start_date=TODAY - timedelta(days=60))
    CheckInFactory(goal=goal, checked_on=TODAY - timedelta(days=checked_in_days_ago))


def test_a_recent_check_in_without_an_assessment_is_not_gone_quiet(plan):
    quiet_plan(plan, checked_in_days_ago=29)
    assert "GONE QUIET" not in digest_text(plan)


def test_an_old_check_in_without_an_assessment_is_gone_quiet(plan):
    quiet_plan(plan, checked_in_days_ago=31)
    assert "Next step: Assess your skills" in section(digest_text(plan), "GONE QUIET")
