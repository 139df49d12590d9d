"""A newcomer on a phone follows the one next step from sign-up to a first check-in, and never has
to scroll to find it: each step's button is in the first screenful."""

import pytest

from tests.conftest import load_shipped_ladders
from tests.e2e.conftest import assert_accessible, screenshot, sign_up_and_sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def in_first_screen(page, locator) -> bool:
    page.evaluate("window.scrollTo(0, 0)")
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def next_step(page):
    return page.get_by_test_id("next-action").get_by_role("link")


def test_newcomer_follows_the_next_step_from_sign_up_to_a_first_check_in(live_server, browser):
    load_shipped_ladders()  # as load_demo_data leaves it (tests/conftest.py)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_up_and_sign_in(page, live_server, "phone.newcomer@example.com", name="Pia Phone")

    # Dashboard: the first plan, pre-filled from the ladder.
    first_plan = page.get_by_role("link", name="Create your first plan")
    assert in_first_screen(page, first_plan)
    first_plan.click()
    page.get_by_role("button", name="Create plan").click()

    # Plan page: nothing assessed yet, so the step is to assess.
    page.wait_for_selector("[data-testid=next-action]")
    step = next_step(page)
    assert step.inner_text() == "Assess your skills" and in_first_screen(page, step)
    assert_accessible(page, "plan page, nothing assessed")
    step.click()
    page.get_by_role("button", name="Save assessment").wait_for()  # the form, parsed to its end
    rows = page.locator("fieldset.assessment-row")
    for i in range(rows.count()):
        rows.nth(i).locator("label.btn", has_text="1 ·").click()
    page.get_by_role("button", name="Save assessment").click()

    # Gaps known, no goals: draft them.
    page.wait_for_selector("text=Assessment saved")
    step = next_step(page)
    assert step.inner_text() == "Draft next steps from my gap" and in_first_screen(page, step)
    step.click()
    page.get_by_role("button", name="Add to my plan").click()

    # Goals drafted today: record progress on the one due first.
    page.wait_for_selector("[data-testid=next-action]")
    step = next_step(page)
    assert step.inner_text().startswith("Record progress on") and in_first_screen(page, step)
    screenshot(page, "next-step-phone")
    step.click()
    page.wait_for_url("**/check-ins/")  # the plan page has goal rows too: read the check-in page's form
    value = page.locator("form [name=value]").first
    if value.evaluate("el => el.tagName") == "SELECT":
        value.select_option("2")
    elif value.get_attribute("type") == "radio":
        page.locator("form [name=value][value='2']").check(force=True)
    else:
        value.fill("2")
    page.get_by_role("button", name="Check in").click()
    page.wait_for_selector("text=Recorded")
    context.close()
