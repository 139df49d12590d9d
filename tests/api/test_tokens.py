"""Personal access tokens: made on the account's tokens page or by manage.py, shown once, stored
hashed, revocable, ending with the account and (when chosen) with the password."""

import io
from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from api.models import AccessToken, digest
from tests.api.conftest import ApiClient


def test_a_token_made_on_the_page_is_shown_once_and_opens_the_api(alice_client, alice):
    page = alice_client.get(reverse("accounts:account"))
    assert reverse("tokens:list") in page.content.decode()
    response = alice_client.post(
        reverse("tokens:list"), {"name": "habit tracker", "days": 30, "can_write": "on"}
    )
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = AccessToken.objects.get(user=alice)
    assert token.digest == digest(secret) and secret not in (token.prefix, token.digest)
    assert token.scopes == ["read", "write"]
    assert ApiClient(secret).get("/api/v1/me").json()["email"] == alice.email
    listing = alice_client.get(reverse("tokens:list")).content.decode()
    assert secret not in listing and token.prefix in listing and "Last used" in listing


def test_the_expiry_defaults_to_90_days_and_is_at_most_a_year(alice_client, alice):
    page = alice_client.get(reverse("tokens:list"))
    assert page.context["form"]["days"].value() == 90
    response = alice_client.post(reverse("tokens:list"), {"name": "long", "days": 366})
    assert "Ensure this value is less than or equal to 365" in response.content.decode()
    assert not AccessToken.objects.exists()


def test_a_revoked_token_is_refused(alice_client, alice_api, alice):
    assert alice_api.get("/api/v1/me").status_code == 200
    token = AccessToken.objects.get(user=alice)
    alice_client.post(reverse("tokens:revoke", args=[token.pk]))
    assert alice_api.get("/api/v1/me").status_code == 401


def test_someone_elses_token_cannot_be_revoked(bob_client, alice_api, alice):
    token = AccessToken.objects.get(user=alice)
    assert bob_client.post(reverse("tokens:revoke", args=[token.pk])).status_code == 404
    assert alice_api.get("/api/v1/me").status_code == 200


def test_an_expired_token_is_refused(alice_api):
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert alice_api.get("/api/v1/me").status_code == 401


def test_a_password_change_ends_only_the_tokens_chosen_to_end_with_it(alice_client, alice, password):
    alice_client.post(reverse("tokens:list"), {"name": "ends", "days": 90, "revoke_on_password_change": "on"})
    alice_client.post(reverse("tokens:list"), {"name": "stays", "days": 90})
    alice_client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": "N3w-passw0rd-long", "password2": "N3w-passw0rd-long"},
    )
    assert {t.name: t.revoked_at is not None for t in AccessToken.objects.all()} == {
        "ends": True,
        "stays": False,
    }


def test_tokens_go_with_the_account(alice_api, alice):
    alice.delete()
    assert not AccessToken.objects.exists()
    assert alice_api.get("/api/v1/me").status_code == 401


def test_manage_py_prints_a_token_with_the_scopes_asked(alice):
    out = io.StringIO()
    call_command("api_token", alice.email, "--scope", "read", "--days", "7", stdout=out)
    secret = out.getvalue().strip()
    me = ApiClient(secret).get("/api/v1/me").json()
    assert me["scopes"] == ["read"]
    assert AccessToken.objects.get().expires_at.date() == (timezone.now() + timedelta(days=7)).date()


def test_requests_over_the_limit_get_429_with_retry_after(settings, alice_api):
    settings.API_REQUESTS_PER_MINUTE = 3
    with time_machine.travel(timezone.now(), tick=False):
        assert [alice_api.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
        refused = alice_api.get("/api/v1/me")
        assert refused.status_code == 429
        assert refused["Content-Type"] == "application/problem+json"
        assert refused["Retry-After"] == "60"
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert alice_api.get("/api/v1/me").status_code == 200


def test_a_session_cookie_opens_nothing(alice_client):
    assert alice_client.get("/api/v1/me").status_code == 401


def test_an_anonymous_visitor_is_sent_to_sign_in(client, alice_api, alice):
    token = AccessToken.objects.get(user=alice)
    for response in (
        client.get(reverse("tokens:list")),
        client.post(reverse("tokens:revoke", args=[token.pk])),
    ):
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
