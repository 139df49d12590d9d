"""Goals' rules at their edges: each test fails when its boundary moves by one."""

from datetime import timedelta

import pytest
from django.urls import reverse

from goals.models import Goal
from goals.sections import DEADLINE_WINDOW_DAYS
from plans.models import PlanCertification
from skills.models import SHORT_TERM_MONTHS, Horizon, add_months
from tests.conftest import TODAY
from tests.factories import CertificationFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import PlanCertificationFactory

pytestmark = pytest.mark.usefixtures("frozen_time")


def test_a_goal_of_exactly_twelve_months_is_short_term(plan):
    goal = GoalFactory.build(plan=plan, start_date=TODAY, deadline=add_months(TODAY, SHORT_TERM_MONTHS))
    assert goal.horizon == Horizon.SHORT


def test_a_goal_one_day_past_twelve_months_is_long_term(plan):
    deadline = add_months(TODAY, SHORT_TERM_MONTHS) + timedelta(days=1)
    goal = GoalFactory.build(plan=plan, start_date=TODAY, deadline=deadline)
    assert goal.horizon == Horizon.LONG


def test_the_dashboard_deadline_card_ends_on_the_last_day_of_its_window(alice_client, plan):
    last_day = GoalFactory(
        plan=plan, title="On the last day", deadline=TODAY + timedelta(days=DEADLINE_WINDOW_DAYS)
    )
    GoalFactory(plan=plan, title="A day too late", deadline=TODAY + timedelta(days=DEADLINE_WINDOW_DAYS + 1))
    response = alice_client.get(reverse("home"))
    assert response.status_code == 200
    (section,) = response.context["sections"]
    assert section["deadlines_soon"] == [last_day]
    html = response.content.decode()
    assert "On the last day" in html and "A day too late" not in html


def test_a_lapsed_certification_is_earned_again_through_its_goal(alice_client, plan):
    certification = CertificationFactory(validity_months=24)
    lapsed = PlanCertificationFactory(
        plan=plan,
        certification=certification,
        status=PlanCertification.Status.EARNED,
        earned_on=TODAY - timedelta(days=800),
        expires_on=TODAY - timedelta(days=70),
    )
    goal = GoalFactory(
        plan=plan,
        certification=certification,
        metric="Certification earned",
        unit="certification",
        baseline=0,
        target=1,
        status=Goal.Status.COMPLETED,
    )
    page = alice_client.get(goal.get_absolute_url())
    assert page.context["offer_certification"]  # expired counts as not held

    alice_client.post(reverse("goals:certification_earned", args=[goal.pk]))

    lapsed.refresh_from_db()
    assert lapsed.earned_on == TODAY
    assert lapsed.expires_on == add_months(TODAY, 24)
    assert lapsed.effective_status() == PlanCertification.EffectiveStatus.EARNED
    assert PlanCertification.objects.filter(plan=plan).count() == 1
