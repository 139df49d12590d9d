"""The edges of what an account's deletion takes (plans.deletion), from mutation testing (issue
28): what is hers goes, what is someone else's stays beside it. Another person's pending invitation
stays, even to an address she added without ever verifying it (an address no one verified belongs
to no one: tests/accounts/test_unverified_claims.py); an earlier member's goodbye stays in the
outbox; an email to her address as it was written, capitals and all, goes with the one to it
lowered; an invitation she sent before the outbox recorded who caused it goes by its reply-to."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from base.models import OutgoingEmail
from plans.deletion import outbox_purge
from plans.sharing import services as sharing_services
from plans.sharing.models import Share
from tests.plans.factories import CareerPlanFactory

DELETE_URL = "/accounts/profile/delete/"
CAROL = "carol@example.com"


@pytest.fixture
def ready_client(alice_client, password):
    """Alice, signed in and having just entered her password again."""
    assert alice_client.post(reverse("account_reauthenticate"), {"password": password}).status_code == 302
    return alice_client


def delete_her_account(client) -> None:
    assert client.post(DELETE_URL, {"confirm": "on"}).status_code == 302
    assert not get_user_model().objects.filter(email="alice@example.com").exists()


def email(to: str, **fields) -> OutgoingEmail:
    fields = {"kind": "comment_notice", "subject": "s", "text": "t", "html": "", **fields}
    return OutgoingEmail.objects.create(to=to, **fields)


@pytest.mark.parametrize("claimed", [False, True], ids=["unclaimed", "claimed unverified by her"])
def test_bobs_pending_invitation_to_carol_stays(ready_client, alice, bob, claimed):
    if claimed:  # Carol's address, typed into Alice's account and never confirmed
        EmailAddress.objects.create(user=alice, email=CAROL, verified=False)
    share = sharing_services.share_invite(
        plan=CareerPlanFactory(owner=bob), email=CAROL, message="Have a look"
    )

    delete_her_account(ready_client)

    assert Share.objects.filter(pk=share.pk, user=None).exists()
    assert list(OutgoingEmail.objects.filter(to=CAROL).values_list("kind", flat=True)) == ["plan_invitation"]


def test_a_pending_invitation_to_her_verified_second_address_goes(ready_client, alice, bob):
    EmailAddress.objects.create(user=alice, email="alice.work@example.com", verified=True)
    sharing_services.share_invite(
        plan=CareerPlanFactory(owner=bob), email="alice.work@example.com", message=""
    )

    delete_her_account(ready_client)

    assert not Share.objects.filter(email="alice.work@example.com").exists()
    assert not OutgoingEmail.objects.filter(to="alice.work@example.com").exists()


def test_an_earlier_members_goodbye_stays_in_the_outbox(ready_client):
    """Sent and erased (base.emails.send_queued): no address, caused by no one."""
    earlier = email(
        "", kind="account_deleted", subject="(erased once sent)", status="sent", erase_when_sent=True
    )

    delete_her_account(ready_client)

    assert OutgoingEmail.objects.filter(pk=earlier.pk).exists()


def test_an_email_to_her_address_as_written_goes_with_one_to_it_lowered(ready_client, alice):
    get_user_model().objects.filter(pk=alice.pk).update(email="Alice@Example.com")  # as the admin wrote it
    email("Alice@Example.com")
    email("alice@example.com")

    delete_her_account(ready_client)

    assert list(OutgoingEmail.objects.values_list("kind", flat=True)) == ["account_deleted"]


def test_the_purge_takes_what_is_to_her_caused_by_her_or_replies_to_her_and_says_how_many(alice, bob):
    to_her = email("alice@example.com")
    caused = email("bob@example.com", caused_by=alice)
    # Sent before the outbox recorded who caused an email: known by the address it replies to.
    invitation = email("reader@example.com", kind="plan_invitation", reply_to="alice@example.com")
    bobs_invitation = email(CAROL, kind="plan_invitation", reply_to="bob@example.com", caused_by=bob)
    goodbye = email("", kind="account_deleted", status="sent")

    assert outbox_purge(user=alice, addresses={"alice@example.com"}) == 3

    assert set(OutgoingEmail.objects.all()) == {bobs_invitation, goodbye}
    assert {to_her, caused, invitation}.isdisjoint(OutgoingEmail.objects.all())


def test_an_account_left_without_an_address_takes_no_one_elses_email_without_one(ready_client, alice, bob):
    """The admin cleared her address (User.email may be blank) while she was signed in: the empty
    address is no one's, not the one of every sent goodbye and of an owner without an address."""
    earlier = email("", kind="account_deleted", subject="(erased once sent)", status="sent")
    legacy = email(CAROL, kind="plan_invitation", reply_to="")  # from an owner without an address
    get_user_model().objects.filter(pk=alice.pk).update(email="")

    assert ready_client.post(DELETE_URL, {"confirm": "on"}).status_code == 302

    assert set(OutgoingEmail.objects.filter(pk__in=[earlier.pk, legacy.pk])) == {earlier, legacy}
