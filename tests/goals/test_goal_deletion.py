"""Deleting a goal: the page says what goes with it, the POST deletes it, the plan's history
records it; the owner alone (a mentor gets 403, anyone else 404, anonymous signs in)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goals.models import CheckIn, Goal, GoalComment, Milestone
from plans.models import PlanEvent, SkillAssessment
from tests.goals.factories import CheckInFactory, GoalFactory, MilestoneFactory


@pytest.fixture
def goal(plan, mentor):
    goal = GoalFactory(plan=plan, title="Run three discovery interviews")
    CheckInFactory(goal=goal, value=1)
    CheckInFactory(goal=goal, value=2)
    CheckInFactory(goal=goal, value=3)
    MilestoneFactory(goal=goal)
    GoalComment.objects.create(goal=goal, author=mentor, body="Nice pace.")
    return goal


def delete_url(goal) -> str:
    return reverse("goals:delete", args=[goal.pk])


def test_the_page_says_what_goes_with_the_goal(alice_client, goal):
    response = alice_client.get(delete_url(goal))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Delete this goal?" in text
    assert "with its three check-ins, one milestone and one comment." in text
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_a_goal_with_nothing_under_it_says_so_plainly(alice_client, plan):
    goal = GoalFactory(plan=plan, title="Read one book")
    response = alice_client.get(delete_url(goal))

    assert "will be deleted from “Become a Senior PM”. This can't be undone." in response.content.decode()


def test_owner_deletes_the_goal_and_everything_under_it(alice_client, goal, plan):
    response = alice_client.post(delete_url(goal), follow=True)

    assert response.redirect_chain[0] == (plan.get_absolute_url() + "#goals", 302)
    assert "Deleted the goal “Run three discovery interviews”." in response.content.decode()
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert not CheckIn.objects.exists()
    assert not Milestone.objects.exists()
    assert not GoalComment.objects.exists()


def test_the_self_assessments_its_check_ins_recorded_stay(alice_client, plan, ladder):
    from goals import services

    goal = GoalFactory(plan=plan, skill=ladder.skills["market"], unit="level", baseline=1, target=3)
    services.check_in_record(goal=goal, value=2)
    assert SkillAssessment.objects.filter(plan=plan).count() == 1

    alice_client.post(delete_url(goal))

    assert SkillAssessment.objects.filter(plan=plan).count() == 1


def test_the_plan_history_records_the_deletion(alice_client, goal, plan):
    alice_client.post(delete_url(goal))

    page = alice_client.get(reverse("plans:history", args=[plan.pk])).content.decode()
    assert "Deleted the goal “Run three discovery interviews”" in page
    event = PlanEvent.objects.get(plan=plan, kind=PlanEvent.Kind.GOAL_DELETED)
    assert event.by == plan.owner


def test_a_long_title_fits_the_history(alice_client, plan):
    goal = GoalFactory(plan=plan, title="x" * 200)
    alice_client.post(delete_url(goal))

    assert PlanEvent.objects.get(kind=PlanEvent.Kind.GOAL_DELETED).subject == "x" * 200


def test_the_goal_page_links_to_deletion_for_the_owner_only(client, alice, mentor, mentor_share, goal):
    client.force_login(alice)
    assert b'data-testid="goal-delete"' in client.get(goal.get_absolute_url()).content
    client.force_login(mentor)
    assert b'data-testid="goal-delete"' not in client.get(goal.get_absolute_url()).content


@pytest.mark.parametrize("method", ["get", "post"])
def test_mentor_gets_403(client, mentor, mentor_share, goal, method):
    client.force_login(mentor)
    response = getattr(client, method)(delete_url(goal))

    assert response.status_code == 403
    assert Goal.objects.filter(pk=goal.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_user_gets_404(bob_client, goal, method):
    response = getattr(bob_client, method)(delete_url(goal))

    assert response.status_code == 404
    assert Goal.objects.filter(pk=goal.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in(client, goal, method):
    url = delete_url(goal)
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert Goal.objects.filter(pk=goal.pk).exists()
    assert get_user_model().objects.count() == 2  # alice and the mentor
