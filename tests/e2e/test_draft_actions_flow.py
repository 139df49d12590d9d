"""From gap to action across two ladders, in the browser: a software engineer plans the move to
product manager, assesses a few skills, and keeps goals, activities and a certification from one
drafting screen, then finds them on the plan page."""

import pytest
from django.urls import reverse

from goals.models import Goal
from plans.models import Activity, CareerPlan, PlanCertification
from skills.models import Skill
from tests.conftest import load_shipped_ladders
from tests.e2e.conftest import assert_accessible, screenshot, signed_up
from tests.e2e.test_accessibility import SMALL_TARGETS

pytestmark = pytest.mark.browser

# A few of Product Manager's skills that the shipped ladders give learning resources, each
# assessed below what the role requires (slug → level).
ASSESSED = {"data-analytics": 1, "communication": 2, "mentoring": 1, "customer-research": 1}


def test_an_engineer_drafts_goals_activities_and_a_certification_towards_product(live_server, page):
    load_shipped_ladders()  # as load_demo_data leaves it (tests/conftest.py)
    signed_up(page, live_server, "engineer@example.com")

    # The plan, through the form: Software Engineer (engineering) → Product Manager (product).
    page.get_by_role("link", name="Create your first plan").click()
    page.select_option("#id_current_role", label="Software Engineer — Software Engineering, level 2")
    page.fill("input[data-filter-for=id_target_role]", "product manager")
    page.select_option("#id_target_role", label="Product Manager — Product Management, level 3")
    page.fill("#id_title", "From engineering to product")
    page.get_by_role("button", name="Create plan").click()
    page.wait_for_selector("text=Gap to Product Manager")
    plan = CareerPlan.objects.get(owner__email="engineer@example.com")

    # A few skills assessed; the rest stay unknown.
    page.get_by_role("link", name="Assess skills").first.click()
    for slug, level in ASSESSED.items():
        name = Skill.objects.get(slug=slug).name
        row = page.locator(f"fieldset.assessment-row[data-skill='{name}']")
        row.locator("label.btn", has_text=f"{level} ·").click()
    page.get_by_role("button", name="Save assessment").click()
    page.wait_for_selector("text=Assessment saved")

    page.locator("#goals").get_by_role("link", name="Draft next steps from my gap").click()
    page.wait_for_selector("text=Add to my plan")
    goals = page.get_by_test_id("draft-goals").locator("input[type=checkbox]")
    activities = page.get_by_test_id("draft-activities").locator("input[type=checkbox]")
    certifications = page.get_by_test_id("draft-certifications").locator("input[type=checkbox]")
    assert goals.count() == len(ASSESSED)  # one per assessed gap; the unassessed are named, not drafted
    assert activities.count() >= 4
    assert certifications.count() == 1  # Product Manager recommends the CPM
    assert "Certified Product Manager" in page.get_by_test_id("draft-certifications").inner_text()
    assert "Being mentored" in page.get_by_test_id("draft-activities").inner_text()
    assert (
        "Not drafted, because you haven't assessed them yet" in page.get_by_test_id("unassessed").inner_text()
    )
    assert_accessible(page, "drafting, 1280 px")
    screenshot(page, "draft-actions")

    # The same page on a phone: the window resized (the page lays itself out in CSS; no script of
    # its own reads the width), nothing ticked yet, as a load there would show it.
    desktop = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "drafting, 390 px")
    assert not page.evaluate(SMALL_TARGETS), "tap targets under 44 px on a phone"
    screenshot(page, "draft-actions-phone")
    page.set_viewport_size(desktop)

    # Keep two goals, two activities and the certification; the count follows.
    for boxes, keep in ((goals, 2), (activities, 2), (certifications, 1)):
        for i in range(boxes.count()):
            boxes.nth(i).set_checked(i < keep)
    assert (
        page.get_by_test_id("draft-count").inner_text()
        == f"5 of {goals.count() + activities.count() + 1} selected"
    )
    kept_activities = [
        page.locator(f"label[for={activities.nth(i).get_attribute('id')}] .fw-semibold").inner_text()
        for i in (0, 1)
    ]
    page.get_by_role("button", name="Add to my plan").click()
    page.wait_for_selector("text=Added 2 goals, 2 activities and 1 certification to your plan.")

    assert page.get_by_test_id("goal-row").count() == 2
    on_plan = page.locator("#activities").inner_text()
    assert all(title in on_plan for title in kept_activities)
    assert "CPM" in page.locator("#certifications").inner_text()
    assert Goal.objects.filter(plan=plan).count() == 2
    assert sorted(Activity.objects.filter(plan=plan).values_list("title", flat=True)) == sorted(
        kept_activities
    )
    assert PlanCertification.objects.get(plan=plan).status == PlanCertification.Status.PLANNED
    screenshot(page, "draft-actions-kept")

    # Drafting again proposes none of it.
    page.goto(live_server.url + reverse("goals:draft", args=[plan.pk]))
    page.wait_for_selector("text=Add to my plan")
    assert page.get_by_test_id("draft-certifications").count() == 0
    proposed = page.get_by_test_id("draft-activities").inner_text()
    assert not any(title in proposed for title in kept_activities)
