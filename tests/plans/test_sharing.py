"""Sharing a plan with a mentor: invitations by email, accepting, revoking, and comments."""

import itertools
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from plans.models import CareerPlan
from plans.sharing.models import Comment, Share
from tests.conftest import body_text, make_user

INVITATION_LINK = re.compile(r"https?://\S+/plans/invitations/[\w-]+/")
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^\s/]+/")


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def invite(client, plan, email, message=""):
    return client.post(reverse("plans:share_list", args=[plan.pk]), {"email": email, "message": message})


@pytest.fixture
def pending_share(plan):
    """An invitation that went out an hour ago (past the resend cooldown)."""
    return Share.objects.create(
        plan=plan, email="mentor@example.com", sent_at=timezone.now() - timedelta(hours=1)
    )


# --- Inviting -------------------------------------------------------------------------------


def test_invitation_email_arrives_by_smtp_with_title_message_and_a_working_link(
    alice_client, plan, mentor, smtp_server, settings
):
    settings.SITE_URL = "https://careerpath.example"

    response = invite(alice_client, plan, "mentor@example.com", "Could you look at my PM plan?")

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:share_list", args=[plan.pk])
    share = Share.objects.get(plan=plan)
    assert share.email == "mentor@example.com" and share.user is None

    [message] = smtp_server.wait_for(1)
    assert message["To"] == "mentor@example.com"
    assert message["Reply-To"] == "alice@example.com"
    assert "Become a Senior PM" not in message["Subject"]  # attacker-writable text stays in the body
    text = body_text(message)
    assert "alice invited you" in text and "alice@example.com" not in text  # her display name
    assert "Become a Senior PM" in text
    assert "Could you look at my PM plan?" in text
    link = INVITATION_LINK.search(text).group(0)
    assert link == f"https://careerpath.example/plans/invitations/{share.token}/"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert link in html and "Could you look at my PM plan?" in html

    mentor_client = signed_in(mentor)
    response = mentor_client.get(path_of(link), follow=True)
    assert response.redirect_chain[0] == (plan.get_absolute_url(), 302)
    assert response.status_code == 200
    assert "Become a Senior PM" in response.content.decode()


def test_share_list_shows_people_with_access_and_pending_invitations(alice_client, plan, mentor_share):
    Share.objects.create(plan=plan, email="manager@example.com")

    response = alice_client.get(reverse("plans:share_list", args=[plan.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    # who accepted, by their display name; a pending invitation by the address it was sent to
    assert '<div class="fw-semibold">mentor</div>' in page and "manager@example.com" in page
    assert "not accepted yet" in page
    assert page.count("Revoke") == 2
    assert page.count("Resend") == 1  # only the pending invitation


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("not-an-email", "valid email"),
        ("", "required"),
        ("alice@example.com", "your own address"),
        ("ALICE@example.com", "your own address"),
        ("alice.work@example.com", "your own address"),  # a second address on her account
        ("Mentor@Example.com", "already invited"),
    ],
)
def test_bad_invitation_input_is_a_field_error(alice_client, alice, plan, pending_share, email, error):
    EmailAddress.objects.create(user=alice, email="alice.work@example.com", verified=True)

    response = invite(alice_client, plan, email)

    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors["email"])
    assert Share.objects.filter(plan=plan).count() == 1
    assert mail.outbox == []


def test_the_same_address_may_be_invited_to_another_plan(alice_client, alice, plan, pending_share):
    other = CareerPlan.objects.create(
        owner=alice, title="Plan B", current_role=plan.current_role, target_role=plan.target_role
    )
    response = invite(alice_client, other, "mentor@example.com")
    assert response.status_code == 302
    assert Share.objects.filter(email="mentor@example.com").count() == 2


def test_invitation_is_kept_when_the_mail_server_is_down_and_goes_out_once_it_is_back(
    alice_client, plan, settings, smtp_server
):
    from datetime import timedelta

    from django.utils import timezone

    from base.emails import requeue_stale
    from base.models import SEND_STALE_AFTER, OutgoingEmail
    from tests.conftest import free_port

    settings.EMAIL_PORT = free_port()  # the mail server is down: nothing listens there

    response = invite(alice_client, plan, "mentor@example.com")

    assert response.status_code == 302
    assert Share.objects.filter(plan=plan, email="mentor@example.com").exists()
    page = alice_client.get(response["Location"]).content.decode()
    assert "mentor@example.com" in page
    email = OutgoingEmail.objects.get(to="mentor@example.com")
    assert email.status == OutgoingEmail.Status.PENDING and email.attempts >= 1

    settings.EMAIL_PORT = smtp_server.port  # back up: the next sweep hands the email to a worker
    assert requeue_stale(now=timezone.now() + SEND_STALE_AFTER + timedelta(minutes=1)) == 1
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "mentor@example.com"
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT


def test_resend_emails_a_pending_invitation_again(alice_client, plan, pending_share):
    response = alice_client.post(reverse("plans:share_resend", args=[plan.pk, pending_share.pk]))

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["mentor@example.com"]
    assert f"/plans/invitations/{pending_share.token}/" in message.body


def test_resend_does_nothing_once_accepted(alice_client, plan, mentor_share):
    alice_client.post(reverse("plans:share_resend", args=[plan.pk, mentor_share.pk]))
    assert mail.outbox == []


# --- Accepting ------------------------------------------------------------------------------


def test_accepting_with_the_verified_address_grants_read_access(plan, mentor, pending_share):
    pending_share.email = "Mentor@Example.COM"  # addresses match whatever their case
    pending_share.save()
    client = signed_in(mentor)
    assert client.get(plan.get_absolute_url()).status_code == 404

    response = client.get(reverse("plans:invitation_accept", args=[pending_share.token]), follow=True)

    assert response.redirect_chain == [(plan.get_absolute_url(), 302)]
    assert response.status_code == 200
    page = response.content.decode()
    assert "You can now read alice&#x27;s plan" in page
    assert "Shared with you by" in page
    pending_share.refresh_from_db()
    assert pending_share.user == mentor and pending_share.accepted_at is not None

    plan_list = client.get(reverse("plans:list"))
    assert plan_list.context["shared"] == [plan]
    assert plan_list.context["active"] == []


@pytest.mark.parametrize(
    "look_alike", ["sara.smith@gmaıl.com", "ſara.smith@gmail.com", "Sara.Smith@GMAIL.com"]
)
def test_a_look_alike_address_never_binds_an_invitation(plan, password, look_alike):
    """ı (dotless i) and ſ (long s) fold to I and S under PostgreSQL's UPPER(): gmaıl.com is another
    domain (xn--gmal-nza.com), and whoever holds it must not read the plan. Case still matches,
    for ASCII letters."""
    share = Share.objects.create(plan=plan, email="sara.smith@gmail.com")
    holder = make_user(look_alike, password, verified=True)

    response = signed_in(holder).get(reverse("plans:invitation_accept", args=[share.token]))

    share.refresh_from_db()
    if look_alike.isascii():  # the same address in another case
        assert response.status_code == 302 and share.user == holder
    else:
        assert response.status_code == 403
        assert share.user is None


def test_invited_addresses_are_stored_with_ascii_letters_in_lower_case(alice_client, plan):
    invite(alice_client, plan, "MENTOR@Example.COM")
    invite(alice_client, plan, "Sam@ÉLAN.Example")  # an internationalised domain

    assert set(plan.shares.values_list("email", flat=True)) == {"mentor@example.com", "sam@Élan.example"}


def test_a_user_with_a_different_address_is_refused(plan, bob, pending_share):
    client = signed_in(bob)

    response = client.get(reverse("plans:invitation_accept", args=[pending_share.token]))

    assert response.status_code == 403
    page = response.content.decode()
    assert "sent to another address than the ones on your account" in page
    assert "mentor@example.com" not in page  # a leaked link must not tell whom it was for
    pending_share.refresh_from_db()
    assert pending_share.user is None
    assert client.get(plan.get_absolute_url()).status_code == 404


def test_an_unverified_matching_address_is_refused_until_verified(plan, password, pending_share):
    invitee = make_user("mentor@example.com", password, verified=False)
    client = signed_in(invitee)

    response = client.get(reverse("plans:invitation_accept", args=[pending_share.token]))

    assert response.status_code == 403
    assert "not verified yet" in response.content.decode()
    pending_share.refresh_from_db()
    assert pending_share.user is None


def test_an_accepted_invitation_redirects_its_user_and_refuses_anyone_else(plan, mentor, bob, mentor_share):
    url = reverse("plans:invitation_accept", args=[mentor_share.token])

    response = signed_in(mentor).get(url)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()

    response = signed_in(bob).get(url)
    assert response.status_code == 403
    assert "This invitation was sent to" in response.content.decode()
    mentor_share.refresh_from_db()
    assert mentor_share.user == mentor


def test_unknown_token_is_404(mentor):
    assert (
        signed_in(mentor).get(reverse("plans:invitation_accept", args=["no-such-token"])).status_code == 404
    )


def test_anonymous_invitee_signs_in_and_comes_back_to_the_invitation(
    client, plan, mentor, password, pending_share
):
    url = reverse("plans:invitation_accept", args=[pending_share.token])

    response = client.get(url)
    # the invitation's landing page, whose sign-in link comes back here
    assert response.status_code == 200
    login_url = response.context["login_url"]
    assert login_url == reverse("account_login") + f"?next=%2Fplans%2Finvitations%2F{pending_share.token}%2F"
    login_page = client.get(login_url).content.decode()
    # the sign-in page links to sign-up, keeping the way back to the invitation
    assert f"{reverse('account_signup')}?next=%2Fplans%2Finvitations%2F{pending_share.token}%2F" in login_page

    response = client.post(login_url, {"login": "mentor@example.com", "password": password}, follow=True)

    assert response.redirect_chain[-1] == (plan.get_absolute_url(), 302)
    assert "You can now read" in response.content.decode()


def test_new_invitee_signs_up_verifies_and_lands_on_the_plan(client, plan, pending_share):
    url = reverse("plans:invitation_accept", args=[pending_share.token])
    signup_url = f"{reverse('account_signup')}?next={url}"
    password = "an unusual passphrase 7"

    response = client.post(
        signup_url,
        {
            "first_name": "Maya Mentor",
            "email": "mentor@example.com",
            "password1": password,
            "password2": password,
            "next": url,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    confirm = path_of(CONFIRM_LINK.search(mail.outbox[-1].body).group(0))
    response = client.post(confirm)
    # Confirmed in the browser that signed up: signed in, and `next` (the invitation) kept.
    assert response.status_code == 302
    assert response["Location"] == url

    response = client.get(url)

    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert client.get(plan.get_absolute_url()).status_code == 200


def test_invitee_who_verifies_on_another_device_signs_in_and_the_link_works(client, plan, pending_share):
    from django.test import Client

    url = reverse("plans:invitation_accept", args=[pending_share.token])
    password = "an unusual passphrase 7"
    client.post(
        f"{reverse('account_signup')}?next={url}",
        {
            "first_name": "Maya Mentor",
            "email": "mentor@example.com",
            "password1": password,
            "password2": password,
            "next": url,
        },
    )
    confirm = path_of(CONFIRM_LINK.search(mail.outbox[-1].body).group(0))
    assert Client().post(confirm)["Location"] == reverse("account_login")  # verified, not signed in

    client.post(reverse("account_login"), {"login": "mentor@example.com", "password": password})
    response = client.get(url)

    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert client.get(plan.get_absolute_url()).status_code == 200


# --- Revoking -----------------------------------------------------------------------------------


def test_revoke_ends_access_at_once(alice_client, plan, mentor, mentor_share):
    mentor_client = signed_in(mentor)
    assert mentor_client.get(plan.get_absolute_url()).status_code == 200

    response = alice_client.post(reverse("plans:share_revoke", args=[plan.pk, mentor_share.pk]))

    assert response.status_code == 302
    assert not Share.objects.filter(pk=mentor_share.pk).exists()
    assert mentor_client.get(plan.get_absolute_url()).status_code == 404
    assert mentor_client.get(reverse("plans:list")).context["shared"] == []


def test_revoking_a_share_of_another_plan_through_this_one_is_404(alice_client, alice, plan, mentor_share):
    other = CareerPlan.objects.create(
        owner=alice, title="Plan B", current_role=plan.current_role, target_role=plan.target_role
    )
    response = alice_client.post(reverse("plans:share_revoke", args=[other.pk, mentor_share.pk]))
    assert response.status_code == 404
    assert Share.objects.filter(pk=mentor_share.pk).exists()


# --- The plan page's sharing section ------------------------------------------------------------


def test_owner_sees_who_has_access_and_a_link_to_the_sharing_page(alice_client, plan, mentor_share):
    Share.objects.create(plan=plan, email="manager@example.com")

    page = alice_client.get(plan.get_absolute_url()).content.decode()

    assert "<span>mentor</span>" in page and "manager@example.com" in page
    assert reverse("plans:share_list", args=[plan.pk]) in page


def test_mentor_sees_who_shared_the_plan_and_no_sharing_controls(plan, mentor, mentor_share):
    Share.objects.create(plan=plan, email="manager@example.com")

    page = signed_in(mentor).get(plan.get_absolute_url()).content.decode()

    assert "Shared with you by <strong>alice</strong>" in page
    assert "manager@example.com" not in page
    assert reverse("plans:share_list", args=[plan.pk]) not in page


# --- Comments ------------------------------------------------------------------------------------


def test_mentor_comment_appears_on_the_owner_plan_page_and_the_owner_is_emailed(
    alice_client, plan, mentor, mentor_share
):
    response = signed_in(mentor).post(
        reverse("plans:comment_add", args=[plan.pk]), {"body": "Work on stakeholder updates first."}
    )

    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url() + "#comments"
    comment = Comment.objects.get(plan=plan)
    assert comment.author == mentor

    page = alice_client.get(plan.get_absolute_url()).content.decode()
    assert "Work on stakeholder updates first." in page
    assert "mentor@example.com" not in page  # shown by display name

    [message] = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "[CareerPath] mentor commented on your plan “Become a Senior PM”"
    assert "Work on stakeholder updates first." in message.body
    assert f"/plans/{plan.pk}/#comments" in message.body
    assert "stakeholder updates" in message.alternatives[0][0]


def test_owner_comment_is_saved_without_an_email(alice_client, alice, plan):
    response = alice_client.post(reverse("plans:comment_add", args=[plan.pk]), {"body": "Note to self"})

    assert response.status_code == 302
    assert Comment.objects.get(plan=plan).author == alice
    assert mail.outbox == []


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_empty_comment_is_a_field_error_on_the_plan_page(plan, mentor, mentor_share, body):
    response = signed_in(mentor).post(reverse("plans:comment_add", args=[plan.pk]), {"body": body})

    assert response.status_code == 200
    assert response.templates[0].name == "plans/plan_detail.html"
    assert response.context["comment_form"].errors["body"]
    assert "Write something before posting the comment." in response.content.decode()
    assert not Comment.objects.exists()


def test_other_user_cannot_comment(plan, bob):
    response = signed_in(bob).post(reverse("plans:comment_add", args=[plan.pk]), {"body": "Hi"})
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_a_pending_invitee_cannot_comment_yet(plan, mentor, pending_share):
    response = signed_in(mentor).post(reverse("plans:comment_add", args=[plan.pk]), {"body": "Hi"})
    assert response.status_code == 404


def test_anonymous_comment_is_sent_to_sign_in(client, plan):
    response = client.post(reverse("plans:comment_add", args=[plan.pk]), {"body": "Hi"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Comment.objects.exists()


# --- Query counts -----------------------------------------------------------------------------


PEOPLE = itertools.count()


def add_people(plan, count: int) -> None:
    for _ in range(count):
        i = next(PEOPLE)
        # no password: hashing one costs a second per user and the page never needs it
        person = get_user_model().objects.create(username=f"reader{i}", email=f"reader{i}@example.com")
        Share.objects.create(plan=plan, email=person.email, user=person)
        Share.objects.create(plan=plan, email=f"pending{i}@example.com")
        Comment.objects.create(plan=plan, author=person, body=f"Comment {i}")
        Comment.objects.create(plan=plan, author=plan.owner, body=f"Reply {i}")


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("viewer", ["owner", "mentor"])
def test_sharing_sections_add_no_queries_per_share_or_comment(
    alice_client, plan, mentor, mentor_share, viewer
):
    client = alice_client if viewer == "owner" else signed_in(mentor)
    add_people(plan, 1)
    small = queries_for(client, plan.get_absolute_url())

    add_people(plan, 6)

    # the sharing sections are two queries (shares with their users, comments with their
    # authors), however many rows they hold (fewer the second time: the routes are cached)
    assert queries_for(client, plan.get_absolute_url()) <= small


def test_share_list_page_query_count_is_constant(alice_client, plan, django_assert_max_num_queries):
    add_people(plan, 1)
    url = reverse("plans:share_list", args=[plan.pk])
    small = queries_for(alice_client, url)
    add_people(plan, 6)
    # session, user, plan with owner, shares with users
    with django_assert_max_num_queries(small):
        response = alice_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    readers = list(Share.objects.filter(plan=plan, user__isnull=False).select_related("user"))
    pending = list(Share.objects.filter(plan=plan, user__isnull=True).values_list("email", flat=True))
    assert len(readers) == len(pending) == 7
    assert all(f">{share.user.username}<" in html for share in readers)  # by display name
    assert all(email in html for email in pending)  # by the address invited


def test_refused_user_can_sign_out_and_come_back_to_the_invitation(plan, bob, pending_share):
    client = signed_in(bob)
    url = reverse("plans:invitation_accept", args=[pending_share.token])
    page = client.get(url).content.decode()
    assert f'name="next" value="{url}"' in page

    response = client.post(reverse("account_logout"), {"next": url}, follow=True)

    assert not response.wsgi_request.user.is_authenticated
    assert response.redirect_chain == [(url, 302)]
    # the invitation's landing page, whose sign-in comes back to it
    assert response.context["login_url"] == reverse("account_login") + "?" + urlencode({"next": url})


def test_the_database_refuses_the_same_address_in_another_case(plan):
    from django.db import IntegrityError, transaction

    Share.objects.create(plan=plan, email="mentor@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        Share.objects.create(plan=plan, email="Mentor@Example.com")


def test_resend_carries_the_personal_message_again(alice_client, plan):
    import datetime

    import time_machine

    alice_client.post(
        reverse("plans:share_list", args=[plan.pk]),
        {"email": "mentor@example.com", "message": "Could you look at my gap in market analysis?"},
    )
    share = Share.objects.get(plan=plan)
    mail.outbox.clear()

    with time_machine.travel(datetime.timedelta(minutes=11)):  # past the resend cooldown
        alice_client.post(reverse("plans:share_resend", args=[plan.pk, share.pk]))

    [message] = mail.outbox
    assert "Could you look at my gap in market analysis?" in message.body


# --- Limits on invitations (plans.sharing.throttle) ---------------------------------------------------


def test_a_plan_gets_at_most_five_invitations_a_day(alice_client, plan, smtp_server):
    from plans.sharing.throttle import INVITATIONS_PER_PLAN

    for n in range(INVITATIONS_PER_PLAN.count):
        assert invite(alice_client, plan, f"mentor{n}@example.com").status_code == 302

    refused = invite(alice_client, plan, "one.more@example.com", "Buy cheap watches")

    assert refused.status_code == 200
    assert "the most a day: send more tomorrow" in refused.content.decode()
    assert 'value="one.more@example.com"' in refused.content.decode()  # nothing typed is lost
    assert not Share.objects.filter(email="one.more@example.com").exists()
    smtp_server.wait_for(INVITATIONS_PER_PLAN.count)
    assert len(smtp_server.messages) == INVITATIONS_PER_PLAN.count


def test_a_person_sends_at_most_ten_invitations_a_day_over_all_their_plans(alice_client, alice):
    from plans.sharing.throttle import INVITATIONS_PER_PERSON
    from tests.plans.factories import CareerPlanFactory

    plans = [CareerPlanFactory(owner=alice) for _ in range(3)]
    sent = [
        invite(alice_client, plans[n % 3], f"person{n}@example.com").status_code
        for n in range(INVITATIONS_PER_PERSON.count + 1)
    ]

    assert sent == [302] * INVITATIONS_PER_PERSON.count + [200]
    assert Share.objects.count() == INVITATIONS_PER_PERSON.count


def test_a_resend_waits_ten_minutes_and_counts_towards_the_day(frozen_time, alice_client, plan):
    import time_machine

    from plans.sharing.throttle import INVITATIONS_PER_PLAN

    invite(alice_client, plan, "mentor@example.com")
    share = Share.objects.get(plan=plan)
    resend_url = reverse("plans:share_resend", args=[plan.pk, share.pk])
    mail.outbox.clear()

    too_soon = alice_client.post(resend_url, follow=True)
    assert "went out less than 10 minutes ago" in too_soon.content.decode()
    with time_machine.travel(frozen_time + __import__("datetime").timedelta(minutes=5), tick=False):
        halfway = alice_client.post(resend_url, follow=True)
        assert "went out less than 10 minutes ago" in halfway.content.decode()
    with time_machine.travel(frozen_time + __import__("datetime").timedelta(minutes=11), tick=False):
        later = alice_client.post(resend_url, follow=True)
        assert "Invitation sent to mentor@example.com again." in later.content.decode()
        assert INVITATIONS_PER_PLAN.remaining(plan.pk) == INVITATIONS_PER_PLAN.count - 2


def test_the_invitation_subject_carries_neither_the_plan_title_nor_the_message(alice_client, plan):
    mail.outbox.clear()
    invite(alice_client, plan, "mentor@example.com", "Visit https://spam.example now")
    [message] = mail.outbox
    assert plan.title not in message.subject and "spam" not in message.subject


# --- Invitations expire; access ends with the address -----------------------------------------


def test_an_invitation_expires_30_days_after_it_was_sent_and_a_resend_renews_it(
    client, plan, mentor, pending_share
):
    import datetime

    import time_machine

    from plans.sharing.models import INVITATION_DAYS

    url = reverse("plans:invitation_accept", args=[pending_share.token])
    with time_machine.travel(pending_share.sent_at + datetime.timedelta(days=INVITATION_DAYS, minutes=1)):
        response = signed_in(mentor).get(url)
        assert response.status_code == 410
        assert "This invitation has expired" in response.content.decode()
        assert Client().get(url).status_code == 410  # for anyone with the link
        pending_share.refresh_from_db()
        assert pending_share.user is None

        owner = signed_in(plan.owner)
        assert (
            "expired: resend it to renew it"
            in owner.get(reverse("plans:share_list", args=[plan.pk])).content.decode()
        )
        owner.post(reverse("plans:share_resend", args=[plan.pk, pending_share.pk]))
        assert signed_in(mentor).get(url).status_code == 302  # renewed, and accepted
    pending_share.refresh_from_db()
    assert pending_share.user == mentor


def test_a_mentor_loses_access_when_the_invited_address_leaves_their_account(plan, mentor, mentor_share):
    client = signed_in(mentor)
    assert client.get(plan.get_absolute_url()).status_code == 200

    EmailAddress.objects.filter(user=mentor, email=mentor_share.email).delete()

    assert client.get(plan.get_absolute_url()).status_code == 404
    mentor_share.refresh_from_db()
    assert mentor_share.user is None  # pending again, for whoever verifies the address next


def test_removing_the_address_in_the_email_page_ends_access(plan, mentor, mentor_share):
    client = signed_in(mentor)
    EmailAddress.objects.filter(user=mentor, email=mentor_share.email).update(primary=False)
    EmailAddress.objects.create(user=mentor, email="mentor.home@example.com", verified=True, primary=True)

    client.post(reverse("account_email"), {"action_remove": "", "email": mentor_share.email})

    assert client.get(plan.get_absolute_url()).status_code == 404


def test_invitation_limits_hold_with_the_cache_down(alice_client, plan, settings):
    """Limits are counted in the database: a cache that is down (Redis stopped) lets nothing more through."""
    from plans.sharing.throttle import INVITATIONS_PER_PLAN

    settings.CACHES = {
        "default": {
            "BACKEND": "careerpath.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    for n in range(INVITATIONS_PER_PLAN.count):
        assert invite(alice_client, plan, f"mentor{n}@example.com").status_code == 302

    refused = invite(alice_client, plan, "one.more@example.com")

    assert "the most a day: send more tomorrow" in refused.content.decode()
    assert not Share.objects.filter(email="one.more@example.com").exists()
