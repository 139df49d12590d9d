"""Trying reminders in a browser (issue 23, item 3): the settings page previews the next digest,
"Send it to me now" delivers it through a real SMTP server, and the digest's HTML opens on its own,
at 390 and 1280 px, with axe-core and the page's policy watched (the flow at 390 px, each page
widened too)."""

import pytest

from goals import services
from tests.conftest import body_text, make_user
from tests.e2e.conftest import assert_accessible_at_each_width, at_each_width, screenshot, signed_in_context
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.browser

PASSWORD = "a long new passphrase 3"


def test_preview_send_now_and_the_html_part(live_server, browser, smtp_server, settings):
    settings.SITE_URL = live_server.url
    user = make_user("tries@example.com", PASSWORD)
    plan = CareerPlanFactory(owner=user, title="Senior PM by 2028", is_primary=True)
    services.goal_save(goal=GoalFactory.build(plan=plan, title="Finish 3 product courses"))
    services.goal_save(goal=GoalFactory.build(plan=plan, title="Interview 5 customers", plan_of_attack=""))

    context = signed_in_context(browser, live_server, 390, user)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/goals/reminders/")
        preview = page.get_by_test_id("digest-preview")
        assert "Finish 3 product courses (Senior PM by 2028)" in preview.inner_text()
        assert "LEFT FOR LATER" in preview.inner_text()
        assert "for two goals due for a check-in" in page.get_by_test_id("next-reminder").inner_text()

        def taps_are_44_px_on_a_phone(width: int) -> None:
            if width < 576:
                for name in ("Send it to me now", "See it as the email shows it"):
                    box = page.get_by_role(
                        "button" if name.startswith("Send") else "link", name=name
                    ).bounding_box()
                    assert box and box["height"] >= 44, name

        assert_accessible_at_each_width(
            page,
            "reminder settings with the preview",
            shot="reminder-settings-preview",
            also=taps_are_44_px_on_a_phone,
        )

        page.get_by_role("button", name="Send it to me now").click()
        page.wait_for_selector(f"text=Your digest is on its way to {user.email}.")
        [message] = smtp_server.wait_for(1)
        assert message["Subject"] == "Time to check in: 2 goals on your career plan"
        assert "Finish 3 product courses (Senior PM by 2028)" in body_text(message)

        page.get_by_role("link", name="See it as the email shows it").click()
        page.wait_for_selector("h1:has-text('Time to check in: 2 goals on your career plan')")
        assert page.get_by_role("link", name="Check in on this goal").count() == 2
        for width in at_each_width(page):
            screenshot(page, f"reminder-digest-html-{width}")
    finally:
        context.close()
