"""Achievable made explicit (issue 23, item 12) in a browser, at phone and desktop widths: a goal
with neither a plan of attack nor "I'll work out how later" is refused with the error summary
linking to the plan of attack; ticking "later" saves it, and its page asks for the plan once. axe-core
finds nothing serious on either page, the policy refuses nothing, and taps are 44 px on a phone.
The flow runs at a phone's width; each page is checked there and widened to a desktop's."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.conftest import assert_accessible_at_each_width, signed_in_context
from tests.e2e.test_accessibility import taps_are_44_px_on_a_phone

pytestmark = pytest.mark.browser


def test_achievable_needs_a_plan_or_later_and_the_page_asks_for_it_once(live_server, browser):
    from goals.forms import ACHIEVABLE_MISSING
    from goals.smart import LATER_ADVICE
    from tests.goals.factories import GoalFactory
    from tests.plans.factories import CareerPlanFactory

    owner = make_user("ada@example.com", "a long demo passphrase 8")
    plan = CareerPlanFactory(owner=owner, title="Senior PM by 2028")
    goal = GoalFactory(plan=plan, title="Run 6 customer interviews a month", plan_of_attack="")
    context = signed_in_context(browser, live_server, 390, owner)
    page = context.new_page()

    page.goto(live_server.url + f"/goals/{goal.pk}/edit/")
    page.get_by_role("button", name="Save changes").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    assert summary.locator("a").all_inner_texts() == [f"Plan of attack: {ACHIEVABLE_MISSING}"]
    assert_accessible_at_each_width(
        page, "goal form refused", shot="goal-achievable-error", also=taps_are_44_px_on_a_phone(page)
    )

    page.get_by_label("I'll work out how later").check()
    page.get_by_role("button", name="Save changes").click()
    advice = page.get_by_test_id("smart-advice")
    expect(advice).to_contain_text(LATER_ADVICE)
    assert page.get_by_text("add a plan of attack").count() == 1
    expect(page.get_by_test_id("attack-later")).to_have_text("Left for later.")
    assert_accessible_at_each_width(
        page, "goal left for later", shot="goal-achievable-advice", also=taps_are_44_px_on_a_phone(page)
    )
    context.close()
