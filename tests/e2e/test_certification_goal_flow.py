"""One truth per fact, in the browser: marking a certification earned on the plan completes the
progress of the goal that was about earning it."""

import pytest
from django.utils import timezone

from goals.models import Goal
from plans.models import CareerPlan, PlanCertification
from skills.models import Certification, Role
from tests.conftest import load_shipped_ladders, make_user
from tests.e2e.conftest import assert_accessible, screenshot, signed_in_context

pytestmark = pytest.mark.browser


def test_earning_a_certification_on_the_plan_completes_its_goal(live_server, browser):
    load_shipped_ladders()  # as load_demo_data leaves it (tests/conftest.py)
    person = make_user("cert.earner@example.com", "a long new passphrase 3")
    plan = CareerPlan.objects.create(
        owner=person,
        title="Become a Senior Product Manager",
        is_primary=True,
        current_role=Role.objects.get(slug="product-manager"),
        target_role=Role.objects.get(slug="senior-product-manager"),
    )
    cpm = Certification.objects.get(abbreviation="CPM")
    record = PlanCertification.objects.create(plan=plan, certification=cpm)
    today = timezone.localdate()
    goal = Goal.objects.create(
        plan=plan,
        title="Earn the CPM",
        metric="Certification earned",
        unit="certification",
        baseline=0,
        target=1,
        certification=cpm,
        start_date=today,
        deadline=today.replace(year=today.year + 1),
    )
    context = signed_in_context(browser, live_server, 1280, user=person)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(live_server.url + goal.get_absolute_url())
    assert "0%" in page.get_by_test_id("goal-percent").first.inner_text()

    page.goto(live_server.url + plan.get_absolute_url() + "#certifications")
    page.get_by_role("link", name=f"Edit {cpm}").click()
    page.get_by_label("Earned", exact=True).check()
    page.fill("input[name=earned_on]", today.isoformat())
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{plan.get_absolute_url()}*")
    record.refresh_from_db()
    assert record.status == PlanCertification.Status.EARNED

    page.goto(live_server.url + goal.get_absolute_url())
    assert "100%" in page.get_by_test_id("goal-percent").first.inner_text()
    assert page.get_by_test_id("goal-track-status").first.inner_text() == "Target reached"
    assert_accessible(page, "goal page, certification earned")
    screenshot(page, "certification-goal-earned")
    context.close()
