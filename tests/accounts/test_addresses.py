"""Email addresses: the confirmation names the address being confirmed, addresses are capped at
254 characters everywhere, and an account holds a bounded number of them."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.names import display_name
from plans.sharing.models import Share
from tests.accounts.test_signup import sign_up
from tests.plans.factories import CareerPlanFactory


def add_address(client, email):
    return client.post(reverse("account_email"), {"action_add": "", "email": email})


def test_the_confirmation_for_an_added_address_names_that_address_and_the_account(alice_client, alice):
    mail.outbox.clear()
    response = add_address(alice_client, "alice.work@example.com")
    assert response.status_code == 302

    [message] = mail.outbox
    assert message.to == ["alice.work@example.com"]
    assert "alice.work@example.com" in message.body
    assert alice.email not in message.body  # never the account's other address
    assert f"account of {display_name(alice)}" in message.body


def test_the_sign_up_confirmation_still_names_the_new_address(client, db):
    sign_up(client, email="nia@example.com")
    [message] = mail.outbox
    assert "nia@example.com is your email address" in message.body


def test_an_account_holds_at_most_the_configured_number_of_addresses(alice_client, alice):
    for n in range(settings.ACCOUNT_MAX_EMAIL_ADDRESSES + 2):
        add_address(alice_client, f"alice{n}@example.com")
    assert EmailAddress.objects.filter(user=alice).count() == settings.ACCOUNT_MAX_EMAIL_ADDRESSES


@pytest.mark.parametrize("length", [255, 300])
def test_an_address_longer_than_254_is_a_field_error_everywhere(alice_client, alice, length):
    labels = ".".join(["b" * 60] * 4)  # a valid shape: 64-character local part, 63-character labels
    address = ("a" * 64 + "@" + labels)[: length - len(".example")] + ".example"
    assert len(address) == length
    plan = CareerPlanFactory(owner=alice)

    signup = sign_up(Client(), email=address)
    added = add_address(alice_client, address)
    invited = alice_client.post(reverse("plans:share_list", args=[plan.pk]), {"email": address})

    for response in (signup, added, invited):
        assert response.status_code == 200  # the form again, with its error
        assert "254" in response.content.decode()
    assert not EmailAddress.objects.filter(email__startswith="a" * 64).exists()
    assert not Share.objects.exists()
