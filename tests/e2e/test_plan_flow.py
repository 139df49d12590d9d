import pytest

from tests.conftest import load_shipped_ladders
from tests.e2e.conftest import screenshot, signed_up

pytestmark = pytest.mark.browser


def test_newcomer_plans_apm_to_senior_pm_assesses_and_sees_gap_and_path(live_server, page):
    load_shipped_ladders()  # as load_demo_data leaves it (tests/conftest.py)
    signed_up(page, live_server, "planner@example.com")

    page.get_by_role("link", name="Create your first plan").click()
    page.select_option("#id_current_role", label="Associate Product Manager — Product Management, level 2")
    page.fill("input[data-filter-for=id_target_role]", "senior")
    page.select_option("#id_target_role", label="Senior Product Manager — Product Management, level 4")
    page.fill("#id_title", "Senior PM in 18 months")
    page.get_by_role("button", name="Create plan").click()

    page.wait_for_selector("text=Gap to Senior Product Manager")
    assert "Readiness unknown" in page.get_by_test_id("readiness").inner_text()

    page.get_by_role("link", name="Assess skills").first.click()
    page.get_by_role("button", name="Save assessment").wait_for()  # the form, parsed to its end
    rows = page.get_by_test_id("counted-skills").locator("fieldset.assessment-row")  # the gap's skills
    assert rows.count() >= 10
    for i in range(rows.count()):
        rows.nth(i).locator("label.btn", has_text="2 ·").click()
    screenshot(page, "plan-assessment")
    page.get_by_role("button", name="Save assessment").click()

    page.wait_for_selector("text=Assessment saved")
    assert "% ready" in page.get_by_test_id("readiness").first.inner_text()
    page.wait_for_selector("#gap-chart[data-rendered='1']")
    routes = page.get_by_test_id("route")
    assert routes.count() >= 1
    first_route = routes.first.inner_text()
    assert "Product Manager" in first_route and "Senior Product Manager" in first_route
    assert "newly requires" in first_route
    screenshot(page, "plan-detail")
