"""Reminders can be tried (issue 23, item 3): the reminder settings page previews the next digest
(built by the sweep's own builder), says when it goes out and why, or why none will, and sends one
now on request through the email layer, at most three an hour.

Time is frozen at Monday 15 June 2026, 12:00 UTC (tests/conftest.py NOW).
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from base.models import OutgoingEmail
from goals import services
from goals.models import Goal, ReminderSettings
from goals.reminders import sweep
from tests.conftest import NOW, TODAY, body_text
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

URL = reverse("goals:reminder_settings")
SEND_NOW = reverse("goals:reminder_send_now")
PREVIEW = reverse("goals:reminder_preview")


def goal_on(plan, **kwargs) -> Goal:
    """A goal as the goal form saves it: its first reminder scheduled from the owner's settings."""
    kwargs.setdefault("title", "Finish the pricing course")
    return services.goal_save(goal=GoalFactory.build(plan=plan, **kwargs))


def settings_data(**overrides) -> dict:
    data = {
        "timezone": "Europe/Berlin",
        "weekday": "0",
        "hour": "18",
        "default_cadence": "weekly",
        "paused_until": "",
    }
    return {**data, **overrides}


def page(client) -> str:
    return client.get(URL).content.decode()


# --- Done means: a new person sees their digest within a minute ------------------------------------


def test_a_new_person_can_see_their_digest_within_a_minute_of_choosing_their_reminder_settings(
    alice_client, alice, plan, smtp_server
):
    goal_on(plan)
    assert alice_client.post(URL, settings_data()).status_code == 302

    html = page(alice_client)
    # Monday 18:00 in Berlin is 16:00 UTC today: the goal is due then.
    assert "Your next reminder: <strong>Monday 15 June, 18:00</strong> (Europe/Berlin)" in html
    assert "for one goal due for a check-in." in html
    assert "Preview of your next digest" in html
    assert "Subject:</strong> Time to check in: 1 goal on your career plan" in html
    assert "Finish the pricing course (Become a Senior PM)" in html

    response = alice_client.post(SEND_NOW, follow=True)
    assert "Your digest is on its way to alice@example.com." in response.content.decode()
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "alice@example.com"
    assert message["Subject"] == "Time to check in: 1 goal on your career plan"
    assert "Finish the pricing course (Become a Senior PM)" in body_text(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_preview_is_what_the_sweep_then_sends(alice_client, plan):
    goal_on(plan, title="Run five customer interviews")
    html = page(alice_client)
    assert "Your next reminder: <strong>Monday 22 June, 09:00</strong> (UTC)" in html
    with time_machine.travel(datetime(2026, 6, 22, 9, 0, tzinfo=UTC), tick=False):
        sweep.sweep()
    [message] = mail.outbox
    assert f"Subject:</strong> {message.subject}</p>" in html
    for line in message.body.splitlines():
        if line and "http" not in line:  # links are signed anew each time
            assert line.replace('"', "&quot;").replace("'", "&#x27;") in html, line


def test_a_digest_sent_now_leaves_the_scheduled_one(alice_client, plan):
    goal_on(plan)
    alice_client.post(SEND_NOW)
    with time_machine.travel(datetime(2026, 6, 22, 9, 0, tzinfo=UTC), tick=False):
        sweep.sweep()
    assert len(mail.outbox) == 2


def test_the_preview_escapes_what_people_typed(alice_client, plan):
    goal_on(plan, title="<script>alert(1)</script> & more")
    html = page(alice_client)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


# --- Why none is due ------------------------------------------------------------------------------


def test_nothing_to_say_says_when_it_looks_again_and_offers_no_preview(alice_client, plan):
    html = page(alice_client)
    assert "Nothing to say yet. We look again on <strong>Monday 22 June, 09:00</strong> (UTC)" in html
    assert "Preview of your next digest" not in html
    assert alice_client.get(PREVIEW).status_code == 404


def test_without_a_plan_the_page_says_so(alice_client):
    assert "No reminder is scheduled. You have no active plan" in page(alice_client)


def test_unsubscribed_the_page_says_so(alice_client, alice, plan):
    goal_on(plan)
    services.reminder_unsubscribe(user=alice)
    html = page(alice_client)
    assert "No reminder is scheduled. You have unsubscribed from reminder emails." in html
    assert "Preview of your next digest" not in html


def test_with_no_reminders_anywhere_the_page_says_why(alice_client, alice, plan):
    goal_on(plan, reminder_cadence=Goal.Cadence.NEVER)
    services.reminder_settings_save(
        user=alice, timezone="UTC", hour=9, weekday=0, default_cadence="never", paused_until=None
    )
    assert "New goals remind you never, and none of your goals asks for reminders" in page(alice_client)


def test_paused_the_next_one_is_after_the_pause(alice_client, plan):
    goal_on(plan)
    alice_client.post(URL, settings_data(timezone="UTC", hour="9", paused_until="2026-07-01"))
    html = page(alice_client)
    assert "Your next reminder: <strong>Monday 6 July, 09:00</strong> (UTC)" in html
    assert "Paused until Wednesday 1 July" in html


# --- Send it to me now: the limit -----------------------------------------------------------------


def test_the_fourth_in_an_hour_is_refused_with_a_message_and_queues_nothing(alice_client, plan):
    goal_on(plan)
    for _ in range(3):
        alice_client.post(SEND_NOW)
    assert OutgoingEmail.objects.count() == len(mail.outbox) == 3

    with time_machine.travel(NOW + timedelta(minutes=20), tick=False):
        response = alice_client.post(SEND_NOW, follow=True)
    assert (
        "You have had 3 digests sent in the last hour: try again in 40 minutes." in response.content.decode()
    )
    assert OutgoingEmail.objects.count() == len(mail.outbox) == 3

    with time_machine.travel(NOW + timedelta(hours=1, seconds=1), tick=False):
        alice_client.post(SEND_NOW)
    assert len(mail.outbox) == 4


def test_nothing_to_send_is_refused_and_not_counted(alice_client, plan):
    response = alice_client.post(SEND_NOW, follow=True)
    assert "No digest to send: nothing on your plans needs you today." in response.content.decode()
    assert not OutgoingEmail.objects.exists()


def test_send_now_takes_only_a_post(alice_client):
    assert alice_client.get(SEND_NOW).status_code == 405


# --- The digest's HTML, served alone --------------------------------------------------------------


def test_the_owner_sees_the_html_part_sandboxed(alice_client, plan):
    goal_on(plan, title="Finish <b>the</b> course")
    response = alice_client.get(PREVIEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Finish &lt;b&gt;the&lt;/b&gt; course" in html
    assert 'style="' in html  # the email's inline styles, which only this page's policy allows
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "style-src 'unsafe-inline'" in policy
    assert "sandbox" in policy and "frame-ancestors 'none'" in policy and "script-src" not in policy


# --- Owner, another person, an anonymous visitor --------------------------------------------------


def test_another_person_sees_and_sends_only_their_own(bob_client, bob, plan):
    goal_on(plan, title="Alice's secret goal")
    goal_on(CareerPlanFactory(owner=bob, title="Bob's plan"), title="Bob's own goal")
    html = page(bob_client)
    assert "Bob&#x27;s own goal" in html and "secret" not in html
    preview = bob_client.get(PREVIEW).content.decode()
    assert "Bob&#x27;s own goal" in preview and "secret" not in preview

    bob_client.post(SEND_NOW)
    [message] = mail.outbox
    assert message.to == ["bob@example.com"] and "secret" not in message.body


@pytest.mark.parametrize("method, url", [("get", URL), ("get", PREVIEW), ("post", SEND_NOW)])
def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_queued(client, plan, method, url):
    goal_on(plan)
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not OutgoingEmail.objects.exists()


def test_the_preview_page_costs_the_same_queries_with_more_goals(
    alice_client, plan, django_assert_num_queries
):
    # session, user, reminder settings, an active plan, the earliest next reminder, the next
    # nudge, the goals due by then; build_digests: plans, goals, milestones, certifications, last
    # digest, requirement history, 1:1s coming up.
    for count in (1, 20):
        for _ in range(count):
            goal_on(plan, deadline=TODAY + timedelta(days=90))
        with django_assert_num_queries(15):
            alice_client.get(PREVIEW)
        ReminderSettings.objects.all().delete()
