"""Each fact in a reminder digest true (issue 20): what it recommends, the dates it names and the
edges of its windows, each beside the case on the other side of the line.

Time is frozen at Monday 15 June 2026, 12:00 UTC (tests/conftest.py NOW); the person reads UTC.
"""

from datetime import date, timedelta

import pytest
from django.core import mail

from goals import reminders
from goals.models import Goal
from plans.models import PlanCertification
from tests.conftest import NOW, TODAY
from tests.factories import CertificationFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import PlanCertificationFactory

pytestmark = pytest.mark.usefixtures("frozen_time")


def due_goal(plan, **kwargs) -> Goal:
    """A goal due for a check-in now, so the sweep sends a digest whatever else it carries."""
    kwargs.setdefault("start_date", TODAY - timedelta(days=20))
    return GoalFactory(plan=plan, next_reminder_at=NOW - timedelta(minutes=5), **kwargs)


def digest_text(plan) -> str:
    due_goal(plan, title="Keep the digest going")
    reminders.sweep()
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
