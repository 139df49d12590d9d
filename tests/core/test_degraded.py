"""Degraded parts: with Redis down, people still sign in, edit plans and record check-ins; with
the SMTP server down, sign-up completes and the verification email can be sent again."""

import datetime
import logging
import time

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from base.models import OutgoingEmail
from goals.models import CheckIn
from tests.goals.factories import GoalFactory
from tests.plans.test_plan_titles import edit_data

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused at once


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "careerpath.cache.ResilientRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    assert cache.get("anything", "missed") == "missed"  # the cache answers, as an empty one


def test_with_redis_down_people_sign_in_edit_plans_and_record_check_ins(
    redis_down, client, alice, password, plan, caplog
):
    goal = GoalFactory(plan=plan)
    caplog.set_level(logging.WARNING, logger="careerpath.cache")
    started = time.monotonic()

    signed_in = client.post(reverse("account_login"), {"login": alice.email, "password": password})
    assert signed_in.status_code == 302
    assert client.get(plan.get_absolute_url()).status_code == 200
    edited = client.post(reverse("plans:edit", args=[plan.pk]), edit_data(plan, title="Still planning"))
    assert edited.status_code == 302
    checked = client.post(
        reverse("goals:check_in_add", args=[goal.pk]), {"value": "2", "note": "offline cache"}
    )
    assert checked.status_code == 302
    assert client.get(goal.get_absolute_url()).status_code == 200

    plan.refresh_from_db()
    assert plan.title == "Still planning"
    assert CheckIn.objects.filter(goal=goal, note="offline cache").exists()
    assert "Cache unavailable" in caplog.text  # said, not raised
    assert time.monotonic() - started < 30  # refused connections fail fast, not after timeouts


def test_with_smtp_down_sign_up_completes_and_the_verification_can_be_sent_again(client, db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # what EMAIL_URL=smtp://… selects
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1  # refused

    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "Nia",
            "email": "nia@example.com",
            "password1": "an unusual passphrase 7",
            "password2": "an unusual passphrase 7",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    [waiting] = OutgoingEmail.objects.filter(to="nia@example.com")
    assert waiting.status == OutgoingEmail.Status.PENDING and waiting.last_error  # kept, to retry

    # Later (past allauth's one email in 3 minutes), signing in with the address still unverified
    # sends it again: a second email in the outbox, for when the server is back.
    with time_machine.travel(datetime.timedelta(minutes=4)):
        client.post(
            reverse("account_login"), {"login": "nia@example.com", "password": "an unusual passphrase 7"}
        )
    assert OutgoingEmail.objects.filter(to="nia@example.com").count() == 2
