"""The reminder journey in a browser: settings on their own clock, a digest through a real SMTP
server, its check-in link and its unsubscribe link."""

import datetime
import re

import pytest
from django.utils import dateformat, timezone

from goals import services
from goals.models import Goal, ReminderDelivery, ReminderSettings
from goals.reminders import sweep
from goals.reminders.schedule import local_time
from tests.conftest import body_text, make_user
from tests.e2e.conftest import screenshot
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "reminded@example.com", "a long new passphrase 3"


def sign_in(page, live_server) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")


def open_reminder_settings(page) -> None:
    page.get_by_test_id("nav-user").click()
    page.get_by_role("link", name="Reminder settings").click()
    page.wait_for_selector("h1:has-text('Reminder settings')")
    page.wait_for_load_state()


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_reminder_settings_digest_check_in_link_and_unsubscribe(live_server, browser, smtp_server, settings):
    # Links in the digest point at this server; the digest leaves through the SMTP sink.
    settings.SITE_URL = live_server.url
    user = make_user(EMAIL, PASSWORD)
    plan = CareerPlanFactory(owner=user, title="Senior PM by 2028", is_primary=True)
    goal = services.goal_save(goal=GoalFactory.build(plan=plan, title="Finish 3 product courses"))
    assert goal.next_reminder_at is not None

    # Their browser is in Tokyo: the settings page offers that zone on a first visit.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server)
        open_reminder_settings(page)
        assert "Until you save your own settings" in page.get_by_test_id("next-reminder").inner_text()
        page.locator("#browser-timezone-note").wait_for()  # shown once the deferred script ran
        assert page.locator("#id_timezone").input_value() == "Asia/Tokyo"
        screenshot(page, "reminder-settings-first-visit")

        # They live in Berlin, and want their reminder on Thursdays at 18:00.
        page.select_option("#id_timezone", "Europe/Berlin")
        page.select_option("#id_weekday", label="Thursday")
        page.select_option("#id_hour", label="18:00")
        page.get_by_role("button", name="Save settings").click()
        page.wait_for_selector("text=Reminder settings saved")
        prefs = ReminderSettings.objects.get(user=user)
        assert (prefs.timezone, prefs.weekday, prefs.hour) == ("Europe/Berlin", 3, 18)
        goal.refresh_from_db()
        berlin = local_time(goal.next_reminder_at, "Europe/Berlin")
        assert (berlin.weekday(), berlin.hour, berlin.minute) == (3, 18, 0)
        shown = page.get_by_test_id("next-reminder").inner_text()
        assert f"{dateformat.format(berlin, 'l j F, H:i')} (Europe/Berlin)" in shown
        assert "Until you save" not in shown
        screenshot(page, "reminder-settings")

        # Thursday 18:00 in Berlin has come: the sweep finds the goal due and sends one digest.
        Goal.objects.filter(pk=goal.pk).update(
            next_reminder_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        result = sweep.sweep()
        assert result.claimed == 1
        (message,) = smtp_server.wait_for(1)
        assert message["To"] == EMAIL
        assert message["Subject"] == "Time to check in: 1 goal on your career plan"
        assert ReminderDelivery.objects.get(user=user).status == ReminderDelivery.Status.SENT
        text = body_text(message)
        assert "Finish 3 product courses (Senior PM by 2028)" in text
        assert "Europe/Berlin time)" in text
        check_in_url = re.search(r"Check in: (\S+)", text).group(1)
        unsubscribe_url = re.search(r"Unsubscribe: (\S+)", text).group(1)
        assert check_in_url.startswith(live_server.url + "/goals/check-in/")
        assert message["List-Unsubscribe"].strip() == f"<{unsubscribe_url}>"
        html = message.get_body(preferencelist=("html",)).get_content()
        assert check_in_url in html and unsubscribe_url in html
        goal.refresh_from_db()
        assert goal.next_reminder_at > timezone.now()  # claimed: moved on to the next Thursday

        # The check-in link, opened where they are signed in, lands on the goal's check-in form.
        page.goto(check_in_url)
        page.wait_for_url(f"**/goals/{goal.pk}/check-ins/")
        page.get_by_label("Courses completed").fill("2")
        page.get_by_label("Note").fill("Two down, one to go")
        page.get_by_role("button", name="Check in").click()
        page.wait_for_url(f"**/goals/{goal.pk}/**")
        page.wait_for_selector("text=Recorded 2 courses for “Finish 3 product courses”.")
        assert page.get_by_test_id("check-ins").locator("li").count() == 1
        check_in = goal.check_ins.get()
        assert (check_in.value, check_in.note) == (2, "Two down, one to go")
        assert "next reminder" in page.get_by_test_id("smart-summary").inner_text()

        # The unsubscribe link, opened from the mail app (no session): GET only asks.
        mail_app = browser.new_context(viewport={"width": 390, "height": 844})
        try:
            mail_page = mail_app.new_page()
            mail_page.goto(live_server.url + path_of(unsubscribe_url))
            mail_page.wait_for_selector("h1:has-text('Unsubscribe from reminders?')")
            assert EMAIL in mail_page.content()
            assert ReminderSettings.objects.get(user=user).receives_reminders
            screenshot(mail_page, "reminder-unsubscribe-confirm-phone")
            mail_page.get_by_role("button", name="Unsubscribe").click()
            mail_page.wait_for_selector("h1:has-text('You are unsubscribed')")
            screenshot(mail_page, "reminder-unsubscribed-phone")
        finally:
            mail_app.close()
        assert not ReminderSettings.objects.get(user=user).receives_reminders
        assert Goal.objects.get(pk=goal.pk).next_reminder_at is None

        # Back in their account, the settings say so and offer the way back.
        page.goto(live_server.url + "/")
        open_reminder_settings(page)
        status = page.get_by_test_id("next-reminder")
        assert "You have unsubscribed from reminder emails." in status.inner_text()
        assert status.get_by_role("button", name="Resubscribe").is_visible()
        assert page.get_by_test_id("subscription").count() == 0
        screenshot(page, "reminder-settings-unsubscribed")
    finally:
        context.close()
