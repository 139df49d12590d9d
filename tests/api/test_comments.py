"""Comments through the API: a mentor's token (or the owner's) posts on a shared plan's thread and
a goal's, and the other side gets the email the pages send; a mentor's token writes nothing else."""

from django.core import mail
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.tokens import token_create
from goals.models import GoalComment
from plans.sharing.models import Comment
from tests.api.conftest import ApiClient
from tests.goals.factories import GoalFactory


def test_a_mentors_token_comments_on_the_shared_plan_and_the_owner_is_emailed(plan, mentor, mentor_share):
    mentor_api = ApiClient(token_create(user=mentor, name="notes", can_write=True)[1])
    response = mentor_api.post(f"/api/v1/plans/{plan.pk}/comments", {"body": "Start with stakeholders."})
    assert response.status_code == 201, response.content
    assert response.json()["body"] == "Start with stakeholders."
    assert Comment.objects.get(plan=plan).author == mentor
    [to_owner] = mail.outbox
    assert to_owner.to == [plan.owner.email]
    assert "commented on your plan" in to_owner.subject and f"/plans/{plan.pk}/#comments" in to_owner.body


def test_a_mentors_token_comments_on_a_goal_and_writes_nothing_else(plan, mentor, mentor_share):
    goal = GoalFactory(plan=plan, title="Ship the pricing test")
    mentor_api = ApiClient(token_create(user=mentor, name="notes", can_write=True)[1])
    response = mentor_api.post(f"/api/v1/goals/{goal.pk}/comments", {"body": "Two a month is plenty."})
    assert response.status_code == 201
    assert GoalComment.objects.get(goal=goal).body == "Two a month is plenty."
    [to_owner] = mail.outbox
    assert to_owner.to == [plan.owner.email] and "Two a month is plenty." in to_owner.body
    assert mentor_api.post(f"/api/v1/goals/{goal.pk}/check-ins", {"value": "1"}).status_code == 403
    assert mentor_api.delete(f"/api/v1/goals/{goal.pk}").status_code == 403


def test_the_owners_reply_emails_the_mentor(alice_api, plan, mentor, mentor_share):
    response = alice_api.post(f"/api/v1/plans/{plan.pk}/comments", {"body": "Booked three of them."})
    assert response.status_code == 201
    [to_mentor] = mail.outbox
    assert to_mentor.to == [mentor.email] and "Booked three of them." in to_mentor.body


def test_others_a_read_only_token_and_an_empty_comment_are_refused(alice_reader, bob_api, alice_api, plan):
    goal = GoalFactory(plan=plan)
    assert bob_api.post(f"/api/v1/plans/{plan.pk}/comments", {"body": "Hi"}).status_code == 404
    assert bob_api.post(f"/api/v1/goals/{goal.pk}/comments", {"body": "Hi"}).status_code == 404
    assert alice_reader.post(f"/api/v1/plans/{plan.pk}/comments", {"body": "Hi"}).status_code == 403
    empty = alice_api.post(f"/api/v1/goals/{goal.pk}/comments", {"body": "  "})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "body"
    assert not Comment.objects.exists() and not GoalComment.objects.exists() and not mail.outbox


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(body=st.one_of(st.text(max_size=6000), st.none(), st.integers(), st.lists(st.text(max_size=3))))
def test_any_comment_body_is_posted_or_refused_with_nothing_written(alice_api, plan, body):
    before = Comment.objects.count()
    response = alice_api.post(f"/api/v1/plans/{plan.pk}/comments", {"body": body})
    assert response.status_code in (201, 422), response.content
    assert Comment.objects.count() == before + (response.status_code == 201)
