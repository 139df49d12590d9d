"""Plans' rules at their edges: each test fails when its boundary moves by one."""

from datetime import timedelta

import pytest
from django.urls import reverse

from plans.models import EXPIRY_WARNING_DAYS, CareerPlan, PlanCertification
from plans.paths import MAX_STEPS, find_paths
from tests.conftest import TODAY
from tests.factories import CertificationFactory, RoleFactory, TrackFactory, TransitionFactory
from tests.plans.factories import PlanCertificationFactory

pytestmark = pytest.mark.usefixtures("frozen_time")


def _chain(db, transitions: int) -> list:
    track = TrackFactory()
    roles = [RoleFactory(track=track, level=min(i + 1, 20)) for i in range(transitions + 1)]
    for a, b in zip(roles, roles[1:], strict=False):
        TransitionFactory(from_role=a, to_role=b)
    return roles


def test_a_route_of_exactly_the_step_cap_is_found(db):
    roles = _chain(db, MAX_STEPS)
    assert find_paths(roles[0], roles[-1]) == [roles]


def test_a_route_one_step_past_the_cap_is_not_searched(db):
    roles = _chain(db, MAX_STEPS + 1)
    assert find_paths(roles[0], roles[-1]) == []


def _earned(plan, expires_in_days: int) -> PlanCertification:
    return PlanCertificationFactory(
        plan=plan,
        certification=CertificationFactory(validity_months=None),
        status=PlanCertification.Status.EARNED,
        earned_on=TODAY - timedelta(days=400),
        expires_on=TODAY + timedelta(days=expires_in_days),
    )


def test_expires_soon_includes_the_last_day_of_the_window(plan):
    assert _earned(plan, EXPIRY_WARNING_DAYS).expires_soon()
    assert not _earned(plan, EXPIRY_WARNING_DAYS + 1).expires_soon()


def test_expiring_queryset_matches_its_window_at_both_edges(plan):
    inside = _earned(plan, 30)
    _earned(plan, 31)
    _earned(plan, 0)  # expires today: already expired, not "expiring"
    assert list(PlanCertification.objects.expiring(within=30, today=TODAY)) == [inside]


def test_an_expired_certification_is_not_upcoming_on_the_dashboard(alice_client, plan):
    expired = _earned(plan, 0)
    current = _earned(plan, 10)
    response = alice_client.get(reverse("home"))
    assert response.status_code == 200
    (card,) = response.context["cards"]
    assert card["upcoming"] == [current]
    assert expired not in card["upcoming"]


def test_an_archived_plan_cannot_be_made_primary(alice_client, plan, alice, ladder):
    archived = CareerPlan.objects.create(
        owner=alice,
        title="Old plan",
        current_role=ladder.roles["analyst"],
        target_role=ladder.roles["apm"],
        status=CareerPlan.Status.ARCHIVED,
    )
    response = alice_client.post(reverse("plans:make_primary", args=[archived.pk]), follow=True)
    assert "Restore the plan before making it your primary plan." in response.content.decode()
    archived.refresh_from_db()
    plan.refresh_from_db()
    assert not archived.is_primary and plan.is_primary


def test_a_mentor_sees_no_invitation_list(client, plan, mentor, mentor_share):
    plan.shares.create(email="someone-else@example.com")
    client.force_login(mentor)
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    assert response.context["shares"] == []
    assert "someone-else@example.com" not in response.content.decode()
