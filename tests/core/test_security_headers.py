"""Every page carries a Content-Security-Policy with no inline script or style and no eval, its
HTML needs none, and a signed-in person's pages are not kept by any cache."""

import re

import pytest
from django.urls import reverse

from tests.goals.factories import GoalFactory

INLINE_STYLE = re.compile(r"<[^>]+\sstyle=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+=|javascript:", re.IGNORECASE)


def assert_strict_policy(response, url) -> None:
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
    assert "frame-ancestors 'none'" in policy, url
    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        for pattern in (INLINE_STYLE, INLINE_SCRIPT, INLINE_HANDLER):
            found = pattern.search(html)
            assert found is None, f"{url}: {found and found.group(0)}"


@pytest.fixture
def pages(plan, ladder):
    goal = GoalFactory(plan=plan)
    return [
        plan.get_absolute_url(),
        goal.get_absolute_url(),
        reverse("home"),
        reverse("plans:assess", args=[plan.pk]),
        reverse("goals:calendar_settings"),
        reverse("goals:reminder_settings"),
        reverse("accounts:account"),
        reverse("account_email"),
        reverse("plans:list"),
        reverse("skills:track_detail", args=[ladder.track.slug]),
    ]


def test_signed_in_pages_have_a_strict_policy_and_are_never_stored(alice_client, pages):
    for url in pages:
        response = alice_client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response, url)
        cache_control = response["Cache-Control"]
        assert "private" in cache_control, url
        assert "no-store" in cache_control or "no-cache" in cache_control, url


def test_public_and_error_pages_have_the_policy_too(client, alice_client, plan, bob_client, db):
    for response, url in [
        (client.get("/"), "/"),
        (client.get(reverse("account_login")), "login"),
        (client.get("/no-such-page/"), "404"),
        (bob_client.get(plan.get_absolute_url()), "foreign 404"),
        (client.get("/plans/invitations/%00/"), "400"),
    ]:
        assert_strict_policy(response, url)


def test_the_calendar_page_showing_the_secret_feed_url_is_never_stored(alice_client):
    response = alice_client.get(reverse("goals:calendar_settings"))
    assert "no-store" in response["Cache-Control"]
