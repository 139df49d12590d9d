"""The mentor loop: people shown by the name they gave, an invitation that says who sent it, comments
that reach the other side, and a dashboard that leads a mentor to the plans they mentor."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.names import display_name
from goals.models import Goal
from plans.models import CareerPlan, SkillAssessment
from plans.sharing.models import Comment, Share
from tests.conftest import make_user
from tests.goals.factories import CheckInFactory, GoalFactory

CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^\s/]+/")


@pytest.fixture
def names(alice, mentor):
    """Alice and her mentor gave their names at sign-up."""
    alice.first_name, mentor.first_name = "Alice Owner", "Maya Mentor"
    alice.save(update_fields=["first_name"])
    mentor.save(update_fields=["first_name"])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- The display name: one rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_name", "email", "shown"),
    [
        ("Maya Mentor", "maya@example.com", "Maya Mentor"),
        ("", "maya.m@example.com", "maya.m"),
        ("   ", "maya@example.com", "maya"),
    ],
)
def test_display_name_is_the_name_else_the_address_before_the_at(first_name, email, shown):
    assert display_name(get_user_model()(username="u", first_name=first_name, email=email)) == shown


def test_sign_up_asks_for_a_name_and_keeps_it(client, db):
    page = client.get(reverse("account_signup")).content.decode()
    assert "Your name" in page and 'name="first_name"' in page
    assert page.index('name="first_name"') < page.index('name="email"')  # asked first

    password = "an unusual passphrase 7"
    data = {"email": "nia@example.com", "password1": password, "password2": password}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200 and response.context["form"].errors["first_name"]

    client.post(reverse("account_signup"), {**data, "first_name": "  Nia   New "})
    assert get_user_model().objects.get(email="nia@example.com").first_name == "Nia New"


def test_account_page_changes_the_name_shown_everywhere(alice_client, alice):
    page = alice_client.get(reverse("home")).content.decode()
    assert reverse("accounts:account") in page  # in the account menu
    assert 'data-testid="nav-user">alice</a>' in page  # no name yet: the address before the @

    response = alice_client.post(reverse("accounts:account"), {"first_name": "Alice Owner"}, follow=True)

    alice.refresh_from_db()
    assert alice.first_name == "Alice Owner"
    page = response.content.decode()
    assert "Saved: you are shown as Alice Owner." in page
    assert 'data-testid="nav-user">Alice Owner</a>' in page


def test_account_page_refuses_an_empty_name_and_needs_a_sign_in(client, alice):
    assert client.get(reverse("accounts:account"))["Location"].startswith(reverse("account_login"))
    client.force_login(alice)
    response = client.post(reverse("accounts:account"), {"first_name": "  "})
    assert response.status_code == 200 and response.context["form"].errors["first_name"]


# --- Shown by name, not by address ------------------------------------------------------------------


def test_owner_sees_names_on_dashboard_plan_page_share_list_and_history(
    alice_client, plan, mentor, mentor_share, names
):
    Comment.objects.create(plan=plan, author=mentor, body="Looks solid.")
    plan.history.update(history_user=plan.owner)  # she created it, signed in

    dashboard = alice_client.get(reverse("home")).content.decode()
    plan_page = alice_client.get(plan.get_absolute_url()).content.decode()
    share_list = alice_client.get(reverse("plans:share_list", args=[plan.pk])).content.decode()
    history = alice_client.get(reverse("plans:history", args=[plan.pk])).content.decode()

    assert "Welcome, Alice Owner" in dashboard and 'data-testid="nav-user">Alice Owner<' in dashboard
    for page in (plan_page, share_list):
        assert "Maya Mentor" in page and "mentor@example.com" not in page
    assert 'data-testid="comment-author">Maya Mentor</span>' in plan_page
    assert "· Alice Owner" in history and "alice@example.com" not in history


def test_mentor_sees_the_owner_by_name_on_plan_goal_list_and_dashboard(plan, mentor, mentor_share, names):
    goal = GoalFactory(plan=plan)
    mentor_client = client_for(mentor)

    pages = {
        "plan": mentor_client.get(plan.get_absolute_url()).content.decode(),
        "goal": mentor_client.get(goal.get_absolute_url()).content.decode(),
        "plans": mentor_client.get(reverse("plans:list")).content.decode(),
        "dashboard": mentor_client.get(reverse("home")).content.decode(),
    }

    assert "Alice Owner's plan" in pages["plan"]
    assert "Shared with you by <strong>Alice Owner</strong>" in pages["plan"]
    assert "Alice Owner's goal" in pages["goal"]
    assert "by Alice Owner" in pages["plans"]
    assert "Alice Owner's plan" in pages["dashboard"]
    for name, page in pages.items():
        assert "alice@example.com" not in page, name


def test_the_invitation_email_names_the_owner(alice_client, plan, names):
    alice_client.post(reverse("plans:share_list", args=[plan.pk]), {"email": "new.mentor@example.com"})

    [message] = mail.outbox
    assert message.subject == "[CareerPath] Alice Owner invited you to read their career plan"
    assert "Alice Owner invited you" in message.body and "alice@example.com" not in message.body
    assert "Alice Owner" in message.alternatives[0][0]


def test_the_reminder_digest_greets_by_name(alice, names):
    from base import emails
    from goals.reminders.digest import build_digest

    now = timezone.now()
    digest = build_digest(user=alice, goal_ids=[], now=now)
    rendered = emails.render("reminder_digest", {**digest.context(now=now), "subject": digest.subject()})
    assert rendered.text.startswith("Hello Alice Owner,")
    assert "Hello Alice Owner," in rendered.html


def test_the_accepted_message_names_the_owner(plan, mentor, names):
    share = Share.objects.create(plan=plan, email=mentor.email)
    response = client_for(mentor).get(reverse("plans:invitation_accept", args=[share.token]), follow=True)
    assert "You can now read Alice Owner&#x27;s plan" in response.content.decode()


# --- Plan comments reach the other side ------------------------------------------------------------


def test_a_mentor_comment_emails_the_owner_and_the_reply_emails_the_mentor(
    alice_client, plan, mentor, mentor_share, names, password
):
    manager = make_user("manager@example.com", password)
    Share.objects.create(plan=plan, email=manager.email, user=manager)

    client_for(mentor).post(
        reverse("plans:comment_add", args=[plan.pk]), {"body": "Start with stakeholders."}
    )

    [to_owner] = mail.outbox
    assert to_owner.to == ["alice@example.com"]
    assert to_owner.subject == "[CareerPath] Maya Mentor commented on your plan “Become a Senior PM”"
    assert f"/plans/{plan.pk}/#comments" in to_owner.body
    mail.outbox.clear()

    alice_client.post(reverse("plans:comment_add", args=[plan.pk]), {"body": "Booked three of them."})

    # every mentor with access hears of the owner's reply; the owner, its author, does not
    assert sorted(m.to[0] for m in mail.outbox) == ["manager@example.com", "mentor@example.com"]
    to_mentor = next(m for m in mail.outbox if m.to == ["mentor@example.com"])
    assert to_mentor.subject == "[CareerPath] Alice Owner replied on “Become a Senior PM”"
    assert "Booked three of them." in to_mentor.body
    assert "You get this because Alice Owner shared their plan with you." in to_mentor.body


def test_a_first_owner_comment_tells_mentors_it_is_a_comment(alice_client, plan, mentor_share, names):
    alice_client.post(reverse("plans:comment_add", args=[plan.pk]), {"body": "What do you think?"})
    [message] = mail.outbox
    assert message.subject == "[CareerPath] Alice Owner commented on their plan “Become a Senior PM”"


def test_comment_recipients_never_include_the_author(plan, alice, mentor, mentor_share):
    Share.objects.create(plan=plan, email="pending@example.com")
    assert plan.comment_recipients(mentor) == [alice]
    assert plan.comment_recipients(alice) == [mentor]


# --- The invitation's landing page ------------------------------------------------------------------


@pytest.fixture
def invitation(plan):
    return Share.objects.create(plan=plan, email="Maya.New@example.com", message="Could you look at my plan?")


def test_an_anonymous_visitor_sees_who_invited_them_to_which_plan(client, invitation, names):
    response = client.get(reverse("plans:invitation_accept", args=[invitation.token]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Alice Owner invited you to read their career plan" in page
    assert "Become a Senior PM" in page and "Associate Product Manager → Senior Product Manager" in page
    assert "Could you look at my plan?" in page
    assert "alice@example.com" not in page
    invitation.refresh_from_db()
    assert invitation.user is None  # looking binds nothing


def test_the_landing_signs_up_with_the_invited_address_and_comes_back(client, invitation):
    url = reverse("plans:invitation_accept", args=[invitation.token])
    landing = client.get(url)
    signup_url = landing.context["signup_url"]
    # The invited address as it is stored: A-Z lowered (accounts.addresses).
    assert parse_qs(urlsplit(signup_url).query) == {"email": ["maya.new@example.com"], "next": [url]}
    assert landing.context["login_url"] == reverse("account_login") + "?next=" + url.replace("/", "%2F")

    signup_page = client.get(signup_url).content.decode()

    assert 'value="maya.new@example.com"' in signup_page  # the invited address, filled in
    assert f'value="{url}"' in signup_page  # next: back to the invitation


def test_an_invitee_signs_up_from_the_landing_and_reads_the_plan(client, plan, invitation):
    url = reverse("plans:invitation_accept", args=[invitation.token])
    signup_url = client.get(url).context["signup_url"]
    password = "an unusual passphrase 7"
    client.post(
        signup_url,
        {
            "first_name": "Maya New",
            "email": "maya.new@example.com",
            "password1": password,
            "password2": password,
            "next": url,
        },
    )
    assert client.get(url).status_code == 200  # not yet verified: still the landing page, nothing bound
    assert Share.objects.get(pk=invitation.pk).user is None

    response = client.post(path_of(CONFIRM_LINK.search(mail.outbox[-1].body).group(0)))
    assert response["Location"] == url
    response = client.get(url)

    assert response["Location"] == plan.get_absolute_url()
    assert Share.objects.get(pk=invitation.pk).user.first_name == "Maya New"


def test_signing_up_from_the_landing_with_another_address_binds_nothing(client, plan, invitation):
    url = reverse("plans:invitation_accept", args=[invitation.token])
    password = "an unusual passphrase 7"
    client.post(
        reverse("account_signup"),
        {
            "first_name": "Eve",
            "email": "eve@example.com",
            "password1": password,
            "password2": password,
            "next": url,
        },
    )
    response = client.post(path_of(CONFIRM_LINK.search(mail.outbox[-1].body).group(0)))
    assert response["Location"] == url

    response = client.get(url)

    assert response.status_code == 403  # "this invitation is for another address"
    assert Share.objects.get(pk=invitation.pk).user is None
    assert client.get(plan.get_absolute_url()).status_code == 404


def test_an_accepted_invitation_offers_only_a_sign_in(client, mentor_share):
    page = client.get(reverse("plans:invitation_accept", args=[mentor_share.token])).content.decode()
    assert "This invitation has been accepted" in page
    assert 'data-testid="invitation-signup"' not in page


def test_an_unknown_invitation_is_404_for_anyone(client, db):
    assert client.get(reverse("plans:invitation_accept", args=["no-such-token"])).status_code == 404


# --- The mentor's dashboard --------------------------------------------------------------------------


@pytest.fixture
def mentored_plan(plan, ladder, mentor_share, names):
    """Alice's plan as her mentor sees it: half assessed, one goal behind, one at risk, one on track."""
    today = timezone.localdate()
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["market"], level=2)
    started = today - timedelta(days=100)
    GoalFactory(plan=plan, title="Behind goal", start_date=started, deadline=started + timedelta(days=120))
    at_risk = GoalFactory(
        plan=plan,
        title="At risk goal",
        start_date=started,
        deadline=started + timedelta(days=250),
        baseline=0,
        target=10,
    )
    CheckInFactory(goal=at_risk, value=2.5, checked_on=today - timedelta(days=3))
    on_track = GoalFactory(plan=plan, title="On track goal", start_date=today - timedelta(days=2))
    CheckInFactory(goal=on_track, value=1, checked_on=today - timedelta(days=1))
    GoalFactory(plan=plan, title="Paused goal", status=Goal.Status.PAUSED, start_date=started)
    return plan


def test_a_mentor_without_a_plan_is_led_to_the_plan_they_mentor(mentor, mentored_plan):
    response = client_for(mentor).get(reverse("home"))

    page = response.content.decode()
    assert "Your first step: create your first plan" not in page
    assert page.index('data-testid="shared-plans"') < page.index('data-testid="own-plan-offer"')
    [card] = response.context["shared_cards"]
    assert card["plan"] == mentored_plan and card["owner_name"] == "Alice Owner"
    shared = page[page.index('data-testid="shared-plans"') : page.index('data-testid="own-plan-offer"')]
    assert "Alice Owner's plan" in shared and "Become a Senior PM" in shared
    assert "50% ready" in shared  # market, the one skill assessed: level 2 of the 4 the role requires
    # what is behind, most urgent first; on-track and paused goals are not named
    assert shared.index("Behind goal") < shared.index("At risk goal")
    assert "On track goal" not in shared and "Paused goal" not in shared
    # their next check-in: the behind goal has had none for 100 days on a weekly cadence
    assert "Due since" in shared


def test_a_mentor_sees_the_owner_next_check_in_when_none_is_due(plan, mentor, mentor_share, names):
    today = timezone.localdate()
    goal = GoalFactory(plan=plan, title="Fresh goal", start_date=today - timedelta(days=1))

    page = client_for(mentor).get(reverse("home")).content.decode()

    assert f"{(today + timedelta(days=6)):%a} {(today + timedelta(days=6)).day}" in page
    assert goal.get_absolute_url() in page
    assert 'data-testid="nothing-slipping"' in page


def test_someone_with_their_own_plans_sees_them_first_then_the_ones_they_mentor(
    mentor, mentored_plan, bare_plan
):
    bare_plan.owner = mentor
    bare_plan.title = "Maya's own plan"
    bare_plan.save()

    page = client_for(mentor).get(reverse("home")).content.decode()

    assert page.index("Maya&#x27;s own plan") < page.index('data-testid="shared-plans"')
    assert 'data-testid="own-plan-offer"' not in page and 'data-testid="first-step"' not in page


def test_someone_with_no_plans_at_all_still_starts_with_the_first_step(bob_client):
    page = bob_client.get(reverse("home")).content.decode()
    assert "Your first step: create your first plan" in page
    assert 'data-testid="shared-plans"' not in page


def test_an_archived_or_unaccepted_plan_is_not_on_the_mentor_dashboard(plan, mentor, names):
    share = Share.objects.create(plan=plan, email=mentor.email)
    assert 'data-testid="shared-plans"' not in client_for(mentor).get(reverse("home")).content.decode()
    share.user = mentor
    share.save()
    CareerPlan.objects.filter(pk=plan.pk).update(status=CareerPlan.Status.ARCHIVED)
    page = client_for(mentor).get(reverse("home")).content.decode()
    assert 'data-testid="shared-plans"' not in page and "first-step" in page
