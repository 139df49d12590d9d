"""Deleting a plan: the page says what goes with it and who loses access, the POST deletes it and
simple_history keeps a "-" record with its reason; the owner alone (a mentor gets 403, anyone
else 404, anonymous signs in)."""

import pytest
from django.urls import reverse

from goals.models import CheckIn, Goal, GoalComment, Milestone
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.sharing.models import Comment, Share
from tests.goals.factories import CheckInFactory, GoalFactory, MilestoneFactory
from tests.plans.factories import ActivityFactory, PlanCertificationFactory, ShareFactory


@pytest.fixture
def full_plan(plan, ladder, mentor_share, mentor):
    goal = GoalFactory(plan=plan)
    CheckInFactory(goal=goal, value=1)
    CheckInFactory(goal=goal, value=2)
    MilestoneFactory(goal=goal)
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["market"], level=2)
    PlanCertificationFactory(plan=plan)
    ActivityFactory(plan=plan)
    ActivityFactory(plan=plan)
    Comment.objects.create(plan=plan, author=mentor, body="Good start.")
    GoalComment.objects.create(goal=goal, author=plan.owner, body="Thanks.")
    ShareFactory(plan=plan, email="pending@example.com", user=None, accepted_at=None)
    return plan


def delete_url(plan) -> str:
    return reverse("plans:delete", args=[plan.pk])


def test_the_page_says_what_goes_and_who_loses_access(alice_client, full_plan):
    response = alice_client.get(delete_url(full_plan))

    assert response.status_code == 200
    assert response.context["contents"] == [
        "one goal",
        "two check-ins",
        "one milestone",
        "one skill assessment",
        "one certification",
        "two activities",
        "one comment on the plan",
        "one comment on its goals",
    ]
    text = response.content.decode()
    assert "<li>Two check-ins</li>" in text
    assert "<strong>mentor</strong> can read and comment on this plan today; they lose access." in text
    assert "One pending invitation to read it will no longer work." in text
    assert CareerPlan.objects.filter(pk=full_plan.pk).exists()


def test_an_empty_plan_says_nothing_else_goes(alice_client, bare_plan):
    text = alice_client.get(delete_url(bare_plan)).content.decode()

    assert "Nothing else: it has no goals" in text
    assert "Nobody else reads this plan." in text


def test_owner_deletes_the_plan_and_everything_in_it(alice_client, full_plan):
    response = alice_client.post(delete_url(full_plan), follow=True)

    assert response.redirect_chain[0] == (reverse("plans:list"), 302)
    assert "Deleted the plan “Become a Senior PM” and everything in it." in response.content.decode()
    for model in (
        CareerPlan,
        Goal,
        CheckIn,
        Milestone,
        SkillAssessment,
        PlanCertification,
        Activity,
        Comment,
        GoalComment,
        Share,
    ):
        assert not model.objects.exists(), model


def test_the_mentor_loses_access(client, full_plan, mentor):
    client.force_login(full_plan.owner)
    client.post(delete_url(full_plan))
    client.force_login(mentor)

    assert client.get(full_plan.get_absolute_url()).status_code == 404


def test_history_keeps_a_deletion_record_with_its_reason(alice_client, alice, full_plan):
    alice_client.post(delete_url(full_plan))

    record = CareerPlan.history.filter(id=full_plan.pk).latest("history_date")
    assert record.history_type == "-"
    assert record.history_change_reason == "Plan deleted"
    assert record.history_user == alice


def test_the_edit_page_links_to_deletion(alice_client, plan):
    response = alice_client.get(reverse("plans:edit", args=[plan.pk]))

    assert f'href="{delete_url(plan)}" data-testid="plan-delete"' in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_mentor_gets_403(client, mentor, full_plan, method):
    client.force_login(mentor)
    response = getattr(client, method)(delete_url(full_plan))

    assert response.status_code == 403
    assert CareerPlan.objects.filter(pk=full_plan.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_user_gets_404(bob_client, full_plan, method):
    response = getattr(bob_client, method)(delete_url(full_plan))

    assert response.status_code == 404
    assert CareerPlan.objects.filter(pk=full_plan.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in(client, full_plan, method):
    url = delete_url(full_plan)
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert CareerPlan.objects.filter(pk=full_plan.pk).exists()
