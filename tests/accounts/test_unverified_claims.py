"""An address no one has verified belongs to no one: it never stops its owner signing up.

Mallory adds victim@example.com to her account (or signs up with it) and never verifies it; the
victim signs up with it, confirms it from their mailbox and uses it. Mallory's unverified claim
goes when the victim verifies.
"""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.test_addresses import add_address
from tests.accounts.test_signup import LINK, sign_up
from tests.conftest import NOW, make_user

VICTIM = "victim@example.com"
PASSPHRASE = "the victim's own passphrase 3"


def link_path(message) -> str:
    return "/" + LINK.search(message.body).group(0).split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def later(frozen_time):
    """An hour after Mallory's claim: allauth sends one confirmation per address every 3 minutes,
    so the victim's own would not have left any sooner."""
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        yield


@pytest.fixture
def mallory(frozen_time, db, password):
    return make_user("mallory@example.com", password)


@pytest.fixture
def mallorys_claim(mallory):
    """victim@example.com on Mallory's account, unverified: the confirmation went to the victim."""
    mallorys = Client()
    mallorys.force_login(mallory)
    add_address(mallorys, VICTIM)
    [confirmation] = mail.outbox
    mail.outbox.clear()
    assert EmailAddress.objects.get(email=VICTIM).user == mallory
    return confirmation


def test_the_victim_signs_up_verifies_and_uses_the_address(client, mallory, mallorys_claim, later):
    response = sign_up(client, email=VICTIM, password=PASSPHRASE, name="Vic Tim")

    assert response.status_code == 302
    victim = get_user_model().objects.get(email=VICTIM)
    # A confirmation for a new account, not "you already have an account".
    [message] = mail.outbox
    assert message.to == [VICTIM]
    assert f"{VICTIM} is your email address" in message.body
    assert "already" not in message.body.lower()

    opened = client.get(link_path(message))

    assert opened.status_code == 302
    assert client.get("/").wsgi_request.user == victim
    # The address is the victim's alone now; Mallory keeps her own.
    assert list(EmailAddress.objects.filter(email=VICTIM).values_list("user", "verified")) == [
        (victim.pk, True)
    ]
    assert list(EmailAddress.objects.filter(user=mallory).values_list("email", flat=True)) == [
        "mallory@example.com"
    ]
    # Signing in with it later reaches the victim's account.
    again = Client()
    signed_in = again.post(reverse("account_login"), {"login": VICTIM, "password": PASSPHRASE})
    assert signed_in.status_code == 302
    assert again.get("/").wsgi_request.user == victim


def test_mallorys_confirmation_link_does_nothing_once_the_victim_verified(
    client, mallory, mallorys_claim, later
):
    sign_up(client, email=VICTIM, password=PASSPHRASE)
    client.get(link_path(mail.outbox[0]))

    Client().get(link_path(mallorys_claim))  # the link of Mallory's claim, in the victim's mailbox

    assert list(EmailAddress.objects.filter(email=VICTIM).values_list("user__first_name", "verified")) == [
        ("Nia New", True)
    ]


def test_an_account_signed_up_with_the_address_and_never_verified_does_not_block_it(client, db, password):
    squatter = make_user(VICTIM, password, verified=False)

    sign_up(client, email=VICTIM, password=PASSPHRASE, name="Vic Tim")
    [message] = mail.outbox
    assert "already" not in message.body.lower()
    client.get(link_path(message))

    victim = get_user_model().objects.get(first_name="Vic Tim")
    assert client.get("/").wsgi_request.user == victim
    assert list(EmailAddress.objects.filter(email=VICTIM).values_list("user", "verified")) == [
        (victim.pk, True)
    ]
    squatter.refresh_from_db()
    assert squatter.email == ""  # no longer claims the address anywhere
    assert not Client().login(username=VICTIM, password=password)


def test_a_verified_address_still_cannot_be_signed_up_again(client, alice):
    sign_up(client, email="alice@example.com")

    assert get_user_model().objects.filter(email="alice@example.com").count() == 1
    [message] = mail.outbox
    assert message.to == ["alice@example.com"] and "already" in message.body.lower()
