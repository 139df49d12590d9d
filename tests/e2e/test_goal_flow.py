import datetime

import pytest
from django.utils import timezone

from goals.models import Goal
from tests.conftest import load_shipped_ladders
from tests.e2e.conftest import SCREENSHOTS, screenshot, signed_up, wait_for_true

pytestmark = pytest.mark.browser


def create_plan(page) -> None:
    """From the newcomer's dashboard: Associate PM to Senior PM on the shipped ladder."""
    page.get_by_role("link", name="Create your first plan").click()
    page.select_option("#id_current_role", label="Associate Product Manager — Product Management, level 2")
    page.fill("input[data-filter-for=id_target_role]", "senior")
    page.select_option("#id_target_role", label="Senior Product Manager — Product Management, level 4")
    page.fill("#id_title", "Senior PM in 18 months")
    page.get_by_role("button", name="Create plan").click()
    page.wait_for_selector("text=Gap to Senior Product Manager")


def assess_every_skill(page, level: int = 1) -> None:
    """From the plan page: every skill the target role requires at `level`."""
    page.get_by_role("link", name="Assess skills").first.click()
    page.get_by_role("button", name="Save assessment").wait_for()  # the form, parsed to its end
    rows = page.get_by_test_id("counted-skills").locator("fieldset.assessment-row")
    for i in range(rows.count()):
        rows.nth(i).locator("label.btn", has_text=f"{level} ·").click()
    page.get_by_role("button", name="Save assessment").click()
    page.wait_for_selector("text=Assessment saved")


def create_plan_and_assess_low(page) -> None:
    create_plan(page)
    assess_every_skill(page)


def test_draft_two_goals_check_in_in_place_and_see_the_chart(live_server, page, browser):
    load_shipped_ladders()  # as load_demo_data leaves it (tests/conftest.py)
    signed_up(page, live_server, "achiever@example.com")
    create_plan_and_assess_low(page)

    goals = page.locator("#goals")
    assert "A SMART goal is specific" in goals.inner_text()
    goals.get_by_role("link", name="Draft next steps from my gap").click()
    page.wait_for_selector("text=Add to my plan")
    boxes = page.locator("input[name=drafts]")
    assert boxes.count() > 2
    for i in range(boxes.count()):
        boxes.nth(i).set_checked(i < 2)
    screenshot(page, "goal-draft")
    page.get_by_role("button", name="Add to my plan").click()
    page.wait_for_selector("text=Added 2 goals")

    rows = page.get_by_test_id("goal-row")
    assert rows.count() == 2
    row = rows.first
    title = row.locator("a.goal-row-title").inner_text()
    goal = Goal.objects.get(title=title)
    assert row.get_by_test_id("goal-percent").inner_text() == "0%"
    value = goal.baseline + 1
    expected = round(100 * float((value - goal.baseline) / (goal.target - goal.baseline)))

    # A drafted skill goal's check-in is a self-assessment: the page reloads, so the gap table
    # beside the goal shows the new level too.
    assert goal.measures_skill_level
    plan_url = page.url
    row.locator("input[name=value]").fill(str(value))
    row.get_by_role("button", name="Check in").click()
    page.wait_for_selector(f"text=It is your self-assessment of {goal.skill.name} on this plan.")
    row = page.locator(f"#goal-{goal.pk}")
    assert row.get_by_test_id("goal-percent").inner_text() == f"{expected}%"
    assert page.url.split("#")[0] == plan_url.split("#")[0]
    assert goal.check_ins.get().value == value
    gap = page.get_by_test_id("gap-table").locator("tr", has_text=goal.skill.name)
    assert gap.locator("td").nth(2).inner_text() == str(int(value))
    screenshot(page, "goal-plan-section")

    # A bad value comes back in place, as a field error, without a page load.
    # (the browser keeps letters out of a number field; the server must cope when they get in)
    page.evaluate("window.__noReload = 'still here'")
    row.locator("input[name=value]").evaluate("el => { el.type = 'text'; el.value = 'lots'; }")
    row.get_by_role("button", name="Check in").click()
    page.locator(f"#goal-{goal.pk} [data-testid=check-in-errors]").wait_for()
    assert "Enter a number" in page.locator(f"#goal-{goal.pk}").inner_text()
    assert page.evaluate("window.__noReload") == "still here"

    # The same plan page on a phone.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, storage_state=page.context.storage_state()
    )
    try:
        phone_page = phone.new_page()
        phone_page.goto(plan_url + "#goals")
        phone_page.get_by_test_id("goal-row").first.wait_for()
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the plan page scrolls sideways on a phone ({width}px)"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone_page.locator("#goals").screenshot(path=str(SCREENSHOTS / "goal-plan-section-phone.png"))
        screenshot(phone_page, "goal-plan-phone")
    finally:
        phone.close()

    # The goal page: the chart, the check-in history, a milestone added in place.
    page.locator(f"#goal-{goal.pk} a.goal-row-title").click()
    page.wait_for_selector(f"#goal-chart-{goal.pk}[data-rendered='1']")
    assert page.get_by_test_id("check-ins").locator("li").count() == 1
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    milestones = page.locator(f"#milestones-{goal.pk}")
    milestones.get_by_label("Milestone").fill("Run a pricing experiment")
    milestones.get_by_label("Due").fill(due)
    goal_url = page.url
    milestones.get_by_role("button", name="Add milestone").click()
    milestone = page.get_by_test_id("milestone").filter(has_text="Run a pricing experiment")
    milestone.wait_for()
    milestone.get_by_role("button", name="Run a pricing experiment: done").click()
    page.locator(".goal-milestone.is-done").filter(has_text="Run a pricing experiment").wait_for()
    assert page.url == goal_url
    screenshot(page, "goal-detail")
    chart = f"Chart.getChart(document.getElementById('goal-chart-{goal.pk}'))"
    desktop_width = page.evaluate(f"{chart}.width")
    page.set_viewport_size({"width": 390, "height": 844})
    # The chart redraws at its new size when its ResizeObserver fires, then any animation ends.
    wait_for_true(page, f"{chart}.width < {desktop_width} && !Chart.animator.running({chart})")
    screenshot(page, "goal-detail-phone")

    # A mistaken check-in is corrected in place, then deleted: progress and the chart follow.
    page.set_viewport_size({"width": 1280, "height": 900})
    entry = goal.check_ins.get()
    page.locator(f"#check-in-{entry.pk}").get_by_text("Edit").click()
    page.locator("#check-in-edit-value").fill(str(goal.target))
    page.get_by_test_id("check-in-edit-form").get_by_role("button", name="Save").click()
    page.locator(f"#goal-progress-{goal.pk} [data-testid=goal-percent]", has_text="100%").wait_for()
    page.wait_for_selector(f"#goal-chart-{goal.pk}[data-rendered='1']")
    assert goal.check_ins.get().value == goal.target
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#check-in-{entry.pk}").get_by_role("button", name="Delete").click()
    page.get_by_text("No check-ins yet").wait_for()
    page.wait_for_selector(f"#goal-chart-{goal.pk}[data-rendered='1']")
    assert not goal.check_ins.exists()
    assert page.url == goal_url
