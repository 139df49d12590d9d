"""The engineer's route into product in a browser (issue 23, items 4 and 6): the engineering ladder's
diagram draws the moves into product management; "Plan towards this role" on the Product Manager
page opens the plan form with the current role from the engineer's plan; the title follows the
target picked until the engineer types one; the assessment leads with Product Manager's skills and
folds the engineering ones away."""

import pytest

from plans.models import CareerPlan
from skills.models import Role
from tests.conftest import load_shipped_ladders, make_user
from tests.e2e.conftest import SCREENSHOTS, assert_accessible, screenshot, signed_in_context

pytestmark = pytest.mark.browser

PM_ROLE = "/ladders/product-management/product-manager/"


@pytest.fixture
def engineer(live_server, password):
    load_shipped_ladders()  # as load_demo_data leaves it (tests/conftest.py)
    person = make_user("engineer@example.com", password)
    CareerPlan.objects.create(
        owner=person,
        title="Senior engineer by spring",
        current_role=Role.objects.get(slug="software-engineer"),
        target_role=Role.objects.get(slug="senior-software-engineer"),
        is_primary=True,
    )
    return person


def open_plan_form_from_the_role_page(page, live_server) -> None:
    page.goto(live_server.url + PM_ROLE)
    page.get_by_test_id("plan-cta").click()
    page.wait_for_selector("#id_title")


def test_on_a_desktop_the_route_is_drawn_the_title_follows_and_the_assessment_leads(
    browser, live_server, engineer
):
    context = signed_in_context(browser, live_server, 1280, user=engineer)
    page = context.new_page()

    page.goto(live_server.url + "/ladders/software-engineering/")
    assert page.get_by_test_id("diagram-move-across").count() == 3
    assert page.get_by_test_id("diagram-role-product-management-product-manager").is_visible()
    assert_accessible(page, "engineering ladder")
    screenshot(page, "issue23-ladder-across-1280")
    page.goto(live_server.url + "/ladders/product-management/")
    assert page.get_by_test_id("diagram-move-across").count() == 3
    assert_accessible(page, "product management ladder")
    screenshot(page, "issue23-ladder-pm-1280")

    open_plan_form_from_the_role_page(page, live_server)
    software_engineer = str(Role.objects.get(slug="software-engineer").pk)
    assert page.locator("#id_current_role").input_value() == software_engineer
    assert (
        "comes from your plan “Senior engineer by spring”"
        in page.get_by_test_id("current-role-source").inner_text()
    )
    assert page.input_value("#id_title") == "Become a Product Manager"
    page.select_option("#id_target_role", label="Senior Product Manager — Product Management, level 4")
    assert page.input_value("#id_title") == "Become a Senior Product Manager"  # follows the target
    assert_accessible(page, "plan form from a role page")
    screenshot(page, "issue23-plan-form-1280")

    page.fill("#id_title", "Into product by 2027")
    page.select_option("#id_target_role", label="Product Manager — Product Management, level 3")
    assert page.input_value("#id_title") == "Into product by 2027"  # typed: it stays
    page.get_by_role("button", name="Create plan").click()
    page.wait_for_selector("text=Gap to Product Manager")
    plan = CareerPlan.objects.get(owner=engineer, title="Into product by 2027")
    assert plan.current_role.slug == "software-engineer" and plan.target_role.slug == "product-manager"

    page.get_by_role("link", name="Assess skills").first.click()
    page.get_by_role("button", name="Save assessment").wait_for()  # the form, parsed to its end
    counted = page.get_by_test_id("counted-skills").locator("fieldset.assessment-row")
    assert counted.count() == plan.target_role.requirements.count()
    others = page.get_by_test_id("other-skills")
    assert "do not count toward the gap to Product Manager" in others.locator("summary").inner_text()
    assert not others.locator("fieldset.assessment-row").first.is_visible()  # folded away
    assert_accessible(page, "assessment with folded skills")
    screenshot(page, "issue23-assessment-1280")
    others.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "issue23-assessment-end-1280.png"))
    for i in range(counted.count()):
        counted.nth(i).locator("label.btn", has_text="2 ·").click()
    page.get_by_role("button", name="Save assessment").click()
    page.wait_for_selector("text=Assessment saved")
    assert plan.assessments.count() == plan.target_role.requirements.count()
    context.close()


def test_on_a_phone_the_filter_box_moves_the_title_too(browser, live_server, engineer):
    context = signed_in_context(browser, live_server, 390, user=engineer)
    page = context.new_page()

    page.goto(live_server.url + "/ladders/product-management/")
    assert_accessible(page, "product management ladder, phone")
    screenshot(page, "issue23-ladder-390")

    open_plan_form_from_the_role_page(page, live_server)
    # The role picker's filter box changes the select without a change event.
    page.fill("input[data-filter-for=id_target_role]", "senior product")
    assert page.input_value("#id_title") == "Become a Senior Product Manager"
    assert_accessible(page, "plan form from a role page, phone")
    screenshot(page, "issue23-plan-form-390")
    page.get_by_role("button", name="Create plan").click()
    page.wait_for_selector("text=Gap to Senior Product Manager")
    plan = CareerPlan.objects.get(owner=engineer, target_role__slug="senior-product-manager")
    assert plan.title == "Become a Senior Product Manager"

    page.get_by_role("link", name="Assess skills").first.click()
    page.get_by_test_id("other-skills").locator("summary").click()  # unfolds without JavaScript's help
    assert page.get_by_test_id("other-skills").locator("fieldset.assessment-row").first.is_visible()
    assert_accessible(page, "assessment, folded skills open, phone")
    screenshot(page, "issue23-assessment-390")
    page.get_by_test_id("other-skills").locator("summary").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "issue23-assessment-folded-390.png"))
    page.mouse.wheel(0, -100_000)  # back to the top of the page
    page.get_by_test_id("counted-skills").locator("h2").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "issue23-assessment-top-390.png"))
    context.close()
