"""The mentor's digest in a browser (issue 24, item 5): a mentor of three people with no plan of
her own ticks "Add the people I mentor to my digest" on the reminder settings page, saves, and the
page previews her next digest with who is behind and who went quiet, at 390 and 1280 px, with
axe-core watching (the flow at 390 px, the page widened too)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import make_user
from tests.e2e.conftest import assert_accessible_at_each_width, signed_in_context
from tests.goals.factories import CheckInFactory, GoalFactory
from tests.plans.factories import CareerPlanFactory, ShareFactory

pytestmark = pytest.mark.browser

PASSWORD = "a long new passphrase 3"


def mentee(name: str, mentor, *, behind: bool) -> None:
    today = timezone.localdate()
    owner = make_user(f"{name.lower()}{mentor.pk}@example.com", PASSWORD)
    owner.first_name = name
    owner.save()
    plan = CareerPlanFactory(owner=owner, title=f"{name}'s plan")
    goal = GoalFactory(
        plan=plan,
        title=f"{name}'s goal",
        baseline=0,
        target=10,
        start_date=today - timedelta(days=90),
        deadline=today + timedelta(days=10 if behind else 300),
    )
    checked_on = today - timedelta(days=1 if behind else 40)
    CheckInFactory(goal=goal, value=Decimal(0 if behind else 3), checked_on=checked_on)
    ShareFactory(plan=plan, user=mentor)


def test_a_mentor_opts_in_and_the_preview_names_her_people(live_server, browser, settings):
    settings.SITE_URL = live_server.url
    mentor = make_user("maya@example.com", PASSWORD)
    mentee("Ben", mentor, behind=True)
    mentee("Cleo", mentor, behind=False)

    context = signed_in_context(browser, live_server, 390, mentor)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/goals/reminders/")
        assert "You have no active plan" in page.get_by_test_id("next-reminder").inner_text()
        label = page.locator("label[for=id_mentor_digest]").bounding_box()  # at 390 px, a phone's
        assert label and label["height"] >= 44  # the label ticks the box: a thumb's target
        page.get_by_label("Add the people I mentor to my digest").check()
        page.get_by_role("button", name="Save settings").click()
        page.wait_for_selector("text=Reminder settings saved.")
        assert page.get_by_label("Add the people I mentor to my digest").is_checked()
        preview = page.get_by_test_id("digest-preview").inner_text()
        assert "THE PEOPLE YOU MENTOR" in preview
        assert 'Ben ("Ben\'s plan"): 1 goal behind' in preview
        assert 'Cleo ("Cleo\'s plan") has gone quiet' in preview
        assert_accessible_at_each_width(
            page, "reminder settings of a mentor", shot="reminder-settings-mentor"
        )
    finally:
        context.close()
