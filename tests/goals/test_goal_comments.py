"""Comment threads on a goal: who may read and write them, and who is emailed."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from goals.models import GoalComment
from plans.sharing.models import Share
from tests.conftest import make_user, sign_in
from tests.goals.factories import GoalFactory


@pytest.fixture
def goal(plan):
    return GoalFactory(plan=plan, title="Run 6 customer interviews a month")


@pytest.fixture
def names(alice, mentor):
    """Alice and her mentor gave their names at sign-up."""
    alice.first_name, mentor.first_name = "Alice Owner", "Maya Mentor"
    alice.save(update_fields=["first_name"])
    mentor.save(update_fields=["first_name"])


def comment(client, goal, body="Try a discovery interview guide first."):
    return client.post(reverse("goals:comment_add", args=[goal.pk]), {"body": body})


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Who may read and write the thread ----------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "status"), [("owner", 200), ("mentor", 200), ("stranger", 404), ("anonymous", 302)]
)
def test_goal_page_shows_the_thread_to_owner_and_mentor_only(
    client, request, goal, mentor_share, person, status
):
    GoalComment.objects.create(goal=goal, author=goal.plan.owner, body="Two interviews booked.")
    sign_in(client, request, person)

    response = client.get(goal.get_absolute_url())

    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Two interviews booked." in page
        assert reverse("goals:comment_add", args=[goal.pk]) in page  # the form
    if person == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("person", "status", "saved"),
    [("owner", 302, 1), ("mentor", 302, 1), ("stranger", 404, 0), ("anonymous", 302, 0)],
)
def test_owner_and_mentor_may_comment_others_may_not(
    client, request, goal, mentor_share, person, status, saved
):
    sign_in(client, request, person)

    response = comment(client, goal)

    assert response.status_code == status
    assert GoalComment.objects.filter(goal=goal).count() == saved
    if person in ("owner", "mentor"):
        assert response["Location"] == goal.get_absolute_url() + "#comments"
        assert GoalComment.objects.get().author == request.getfixturevalue(
            "alice" if person == "owner" else "mentor"
        )
    if person == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


def test_a_pending_invitee_cannot_comment_yet(goal, mentor):
    Share.objects.create(plan=goal.plan, email=mentor.email)
    assert comment(client_for(mentor), goal).status_code == 404
    assert not GoalComment.objects.exists()


def test_a_revoked_mentor_can_no_longer_read_or_comment(goal, mentor, mentor_share):
    mentor_share.delete()
    mentor_client = client_for(mentor)
    assert mentor_client.get(goal.get_absolute_url()).status_code == 404
    assert comment(mentor_client, goal).status_code == 404


def test_a_mentor_may_comment_but_still_not_change_the_goal(goal, mentor, mentor_share):
    mentor_client = client_for(mentor)
    assert comment(mentor_client, goal).status_code == 302
    assert mentor_client.get(reverse("goals:edit", args=[goal.pk])).status_code == 403
    assert (
        mentor_client.post(reverse("goals:status", args=[goal.pk]), {"status": "paused"}).status_code == 403
    )


@pytest.mark.parametrize("body", ["", "  \n "])
def test_an_empty_comment_is_a_field_error_on_the_goal_page(goal, mentor, mentor_share, body):
    response = comment(client_for(mentor), goal, body)

    assert response.status_code == 200
    assert response.templates[0].name == "goals/goal_detail.html"
    assert "Write something before posting the comment." in response.content.decode()
    assert not GoalComment.objects.exists()
    assert mail.outbox == []


def test_the_thread_shows_names_and_who_is_the_owner(alice_client, goal, mentor, mentor_share, names):
    GoalComment.objects.create(goal=goal, author=mentor, body="How many so far?")
    GoalComment.objects.create(goal=goal, author=goal.plan.owner, body="Four this month.")

    page = alice_client.get(goal.get_absolute_url()).content.decode()

    assert page.index("How many so far?") < page.index("Four this month.")  # oldest first
    assert "Maya Mentor" in page and "mentor@example.com" not in page
    assert "Reply" in page  # the form answers the thread


# --- Who is emailed -------------------------------------------------------------------------------


def test_a_mentor_comment_emails_the_owner_with_a_link_to_the_thread(
    goal, mentor, mentor_share, names, settings
):
    settings.SITE_URL = "https://careerpath.example"

    comment(client_for(mentor), goal, "Try a discovery interview guide first.")

    [message] = mail.outbox
    assert message.to == ["alice@example.com"]
    assert (
        message.subject
        == "[CareerPath] Maya Mentor commented on your goal “Run 6 customer interviews a month”"
    )
    assert message.body.startswith("Hello Alice Owner,")
    assert "Try a discovery interview guide first." in message.body
    assert f"https://careerpath.example/goals/{goal.pk}/#comments" in message.body
    assert "mentor@example.com" not in message.body
    html = message.alternatives[0][0]
    assert f"https://careerpath.example/goals/{goal.pk}/#comments" in html and "discovery interview" in html


def test_the_owner_reply_emails_every_mentor_with_access_and_never_the_owner(
    alice_client, goal, mentor, mentor_share, names, password
):
    manager = make_user("manager@example.com", password)
    Share.objects.create(plan=goal.plan, email=manager.email, user=manager)
    Share.objects.create(plan=goal.plan, email="pending@example.com")  # not accepted: not told
    comment(client_for(mentor), goal, "How many so far?")
    mail.outbox.clear()

    comment(alice_client, goal, "Four this month.")

    assert sorted(m.to[0] for m in mail.outbox) == ["manager@example.com", "mentor@example.com"]
    to_mentor = next(m for m in mail.outbox if m.to == ["mentor@example.com"])
    assert to_mentor.subject == "[CareerPath] Alice Owner replied on “Run 6 customer interviews a month”"
    assert to_mentor.body.startswith("Hello Maya Mentor,")
    assert (
        "Alice Owner replied on the goal “Run 6 customer interviews a month” in Alice Owner's career plan"
        in (" ".join(to_mentor.body.split()))
    )
    assert "Four this month." in to_mentor.body


def test_an_owner_comment_without_mentors_emails_nobody(alice_client, goal):
    comment(alice_client, goal, "Note to self")
    assert GoalComment.objects.count() == 1
    assert mail.outbox == []


# --- Queries ------------------------------------------------------------------------------------


def test_goal_page_queries_do_not_grow_with_comments(alice_client, goal, mentor, mentor_share):
    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert alice_client.get(goal.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    alice_client.get(goal.get_absolute_url())  # the CSRF cookie: from now on the body is keyed by versions
    GoalComment.objects.create(goal=goal, author=mentor, body="first")
    small = queries()
    for i in range(30):
        GoalComment.objects.create(goal=goal, author=mentor if i % 2 else goal.plan.owner, body=f"c{i}")
    # the thread is one query (comments with their authors), whatever its length
    assert queries() == small
