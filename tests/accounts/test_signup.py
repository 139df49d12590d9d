import re

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.conftest import make_user

LINK = re.compile(r"https?://[^\s]+/accounts/confirm-email/[^\s/]+/")


def sign_up(client, email="new@example.com", password="an unusual passphrase 7", name="Nia New"):
    return client.post(
        reverse("account_signup"),
        {"first_name": name, "email": email, "password1": password, "password2": password},
    )


def test_signup_sends_a_verification_email_whose_link_verifies_when_opened(client, db):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.com"]
    assert message.subject.startswith("[CareerPath]")
    assert "Hello from CareerPath!" in message.body
    assert "new@example.com is your email address" in message.body
    link = LINK.search(message.body).group(0)

    path = link.split("://", 1)[1].split("/", 1)[1]
    opened = client.get("/" + path)  # ACCOUNT_CONFIRM_EMAIL_ON_GET: no second click

    assert opened.status_code == 302
    assert EmailAddress.objects.get(email="new@example.com").verified


def test_signup_with_mismatched_passwords_shows_a_field_error(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "Nia",
            "email": "new@example.com",
            "password1": "an unusual passphrase 7",
            "password2": "other",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not get_user_model().objects.filter(email="new@example.com").exists()


def test_signup_with_an_existing_email_creates_nothing_and_warns_the_owner(client, alice):
    # allauth prevents account enumeration: the page looks the same as a new sign-up,
    # and the address's real owner is told by email instead.
    response = sign_up(client, email="alice@example.com")
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="alice@example.com").count() == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    assert "already" in mail.outbox[0].body.lower()


def test_unverified_user_cannot_sign_in_and_is_told_why(client, db, password):
    make_user("pending@example.com", password, verified=False)

    response = client.post(
        reverse("account_login"), {"login": "pending@example.com", "password": password}, follow=True
    )

    assert not response.wsgi_request.user.is_authenticated
    assert b"Confirm your email address" in response.content
    # allauth re-sends the verification link on such an attempt
    assert any("confirm-email" in m.body for m in mail.outbox)


def test_verified_user_signs_in_and_out(client, alice, password):
    response = client.post(
        reverse("account_login"), {"login": "alice@example.com", "password": password}, follow=True
    )
    assert response.wsgi_request.user == alice
    assert b"Dashboard" in response.content

    response = client.post(reverse("account_logout"), follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert b"Start your plan" in response.content


def test_wrong_password_is_a_form_error(client, alice):
    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not response.wsgi_request.user.is_authenticated


def test_signed_in_user_changes_password(alice_client, alice, password):
    response = alice_client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": "brand new phrase 99", "password2": "brand new phrase 99"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand new phrase 99")


def test_confirming_in_the_same_browser_signs_in_and_keeps_next(client, db):
    # e.g. an anonymous visitor's "Plan towards this role", or a plan invitation link
    next_url = "/plans/new/?target=1"
    client.post(
        reverse("account_signup") + "?next=" + next_url.replace("?", "%3F").replace("=", "%3D"),
        {
            "first_name": "Nia",
            "email": "new@example.com",
            "password1": "an unusual passphrase 7",
            "password2": "an unusual passphrase 7",
            "next": next_url,
        },
    )
    path = "/" + LINK.search(mail.outbox[0].body).group(0).split("://", 1)[1].split("/", 1)[1]

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == next_url
    assert client.get("/").wsgi_request.user.email == "new@example.com"


def test_confirming_in_another_browser_verifies_but_does_not_sign_in(client, db):
    sign_up(client)
    path = "/" + LINK.search(mail.outbox[0].body).group(0).split("://", 1)[1].split("/", 1)[1]

    from django.test import Client

    other_device = Client()
    response = other_device.get(path)

    assert response["Location"] == reverse("account_login")
    assert EmailAddress.objects.get(email="new@example.com").verified
    assert not other_device.get("/").wsgi_request.user.is_authenticated


def test_behind_a_proxy_two_clients_are_counted_apart(client, db, settings, password):
    """Ten wrong passwords from one client behind the load balancer lock out that client, not
    everyone whose requests come through the same proxy."""
    from django.test import Client

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # what BEHIND_PROXY=1 sets (tests/core/test_settings.py)
    make_user("bea@example.com", password)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # every request arrives from the proxy
    attacker = Client(HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    for n in range(12):
        attacker.post(reverse("account_login"), {"login": f"victim{n}@example.com", "password": "wrong"})
    refused = attacker.post(reverse("account_login"), {"login": "x@example.com", "password": "wrong"})
    assert "Too many failed login attempts" in refused.content.decode()

    bea = Client(HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy)
    response = bea.post(reverse("account_login"), {"login": "bea@example.com", "password": password})
    assert response.status_code == 302
