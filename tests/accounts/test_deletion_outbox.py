"""After an account is deleted the outbox keeps nothing of the person (issue 21): not the
invitations they sent (their name, their message, their plan), not the notices of their comments
(their name, their words), whether those went out already or still wait. Only the confirmation
to them, which says their plans went with the account."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from base.models import OutgoingEmail
from goals import services as goal_services
from plans.models import CareerPlan
from plans.sharing import services as sharing_services
from plans.sharing.models import Share
from tests.goals.factories import GoalFactory
from tests.plans.factories import ShareFactory

DELETE_URL = "/accounts/profile/delete/"
NAME = "Alice Liddell"
# What only Alice wrote: her plan's title, her invitation's message, her comments.
HER_WORDS = [
    "Become a Senior PM",
    "Wonderland offsite notes",
    "Curiouser and curiouser",
    "Off with the roadmap",
]


@pytest.fixture
def alice_named(alice):
    alice.first_name = NAME
    alice.save()
    EmailAddress.objects.create(user=alice, email="alice.work@example.com", verified=True)
    return alice


@pytest.fixture
def her_emails(alice_named, bob, mentor, plan, mentor_share):
    """Everything Alice made CareerPlan email to others: an invitation to a new reader, the notice
    of her comment to her mentor, the notices of her comments on Bob's plan and goal to Bob, one
    of them still waiting to leave."""
    sharing_services.share_invite(plan=plan, email="reader@example.com", message="Wonderland offsite notes")
    sharing_services.comment_add(plan=plan, author=alice_named, body="Curiouser and curiouser")
    bobs_plan = CareerPlan.objects.create(
        owner=bob, title="Bob's plan", current_role=plan.current_role, target_role=plan.target_role
    )
    ShareFactory(plan=bobs_plan, user=alice_named, email=alice_named.email)
    sharing_services.comment_add(plan=bobs_plan, author=alice_named, body="Off with the roadmap")
    goal_services.goal_comment_add(
        goal=GoalFactory(plan=bobs_plan, title="Bob's goal"),
        author=alice_named,
        body="Curiouser and curiouser",
    )
    # Bob's invitation to another reader: not Alice's doing.
    sharing_services.share_invite(plan=bobs_plan, email="carol@example.com", message="Have a look, Carol")
    caused = OutgoingEmail.objects.exclude(to__in=["alice@example.com", "carol@example.com"])
    assert caused.count() == 4 and set(caused.values_list("status", flat=True)) == {"sent"}
    OutgoingEmail.objects.filter(kind="comment_notice", to="bob@example.com").update(status="pending")
    mail.outbox.clear()
    return caused


def about_her(row: OutgoingEmail) -> list[str]:
    fields = " ".join([row.to, row.reply_to, row.subject, row.text, row.html, str(row.headers)])
    return [s for s in [NAME, "alice@example.com", "alice.work@example.com", *HER_WORDS] if s in fields]


def test_after_deletion_no_outbox_row_holds_her_name_address_or_words(ready_client, her_emails):
    assert all(about_her(row) for row in her_emails)

    ready_client.post(DELETE_URL, {"confirm": "on"})

    left = {row.pk: about_her(row) for row in OutgoingEmail.objects.exclude(kind="account_deleted")}
    assert left and not any(left.values())
    # Bob's invitation to Carol stays, as it was sent.
    assert list(OutgoingEmail.objects.exclude(kind="account_deleted").values_list("to", "status")) == [
        ("carol@example.com", "sent")
    ]
    # Her waiting notice to Bob was not sent after all.
    assert [message.to for message in mail.outbox] == [["alice@example.com"]]


def test_the_goodbye_promises_what_the_outbox_keeps(ready_client, her_emails):
    ready_client.post(DELETE_URL, {"confirm": "on"})

    [goodbye] = mail.outbox
    assert "Your plans went with it" in goodbye.body
    assert not Share.objects.filter(plan__title="Become a Senior PM").exists()
    assert not OutgoingEmail.objects.filter(text__contains="Become a Senior PM").exclude(
        kind="account_deleted"
    )


def test_an_invitation_sent_from_an_address_she_has_since_left_goes_too(ready_client, alice_named, plan):
    sharing_services.share_invite(plan=plan, email="reader@example.com", message="Wonderland offsite notes")
    OutgoingEmail.objects.update(reply_to="alice.old@example.com")  # her address back then

    ready_client.post(DELETE_URL, {"confirm": "on"})

    assert list(OutgoingEmail.objects.values_list("kind", flat=True)) == ["account_deleted"]


@pytest.fixture
def ready_client(alice_client, password):
    response = alice_client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302
    return alice_client


def test_a_notice_sent_before_she_renamed_herself_goes_too(ready_client, alice_named, plan, mentor_share):
    sharing_services.comment_add(plan=plan, author=alice_named, body="Curiouser and curiouser")
    alice_named.first_name = "Alice Pleasance"
    alice_named.save()

    ready_client.post(DELETE_URL, {"confirm": "on"})

    assert not OutgoingEmail.objects.filter(text__contains="Curiouser and curiouser").exists()


def test_once_the_goodbye_is_sent_the_outbox_keeps_neither_her_name_nor_her_address(ready_client, her_emails):
    ready_client.post(DELETE_URL, {"confirm": "on"})

    [goodbye] = mail.outbox
    assert goodbye.to == ["alice@example.com"] and NAME in goodbye.body
    [row] = OutgoingEmail.objects.filter(kind="account_deleted")
    assert row.status == OutgoingEmail.Status.SENT and not about_her(row)
