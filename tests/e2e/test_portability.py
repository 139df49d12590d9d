"""The plan is the person's: in a real browser, they download everything, delete their account,
sign up again with the same address, import the file, and find the same plan."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from goals.models import CheckIn, Goal
from plans.models import CareerPlan, SkillAssessment
from skills.models import Role
from tests.conftest import load_shipped_ladders
from tests.e2e.conftest import assert_accessible, screenshot, sign_up_and_sign_in, signed_up
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "kai@example.com", "a long new passphrase 3"


def _build_plan(owner) -> CareerPlan:
    """A plan on the shipped ladder, with goals, check-ins and a self-assessment."""
    apm, pm = Role.objects.get(title="Associate Product Manager"), Role.objects.get(title="Product Manager")
    plan = CareerPlanFactory(
        owner=owner,
        title="Become a Product Manager by 2027",
        current_role=apm,
        target_role=pm,
        vision="Own a product area end to end.",
    )
    skill = pm.requirements.select_related("skill").first().skill
    assessment = SkillAssessment.objects.create(plan=plan, skill=skill, level=2, note="before the course")
    goal = GoalFactory(plan=plan, title="Reach level 3 in " + skill.name, skill=skill, baseline=2, target=3)
    CheckIn.objects.create(goal=goal, value=2, checked_on=timezone.localdate(), assessment=assessment)
    other = GoalFactory(plan=plan, title="Run 6 customer interviews", baseline=0, target=6, unit="interviews")
    CheckIn.objects.create(goal=other, value=4, note="two more booked", checked_on=timezone.localdate())
    GoalFactory(
        plan=plan, title="Ship the pricing experiment", deadline=timezone.localdate() + timedelta(days=40)
    )
    return plan


def _plan_as_shown(page) -> str:
    """The plan page as a person reads it: every word of its main content."""
    return page.locator("main").inner_text()


def test_export_delete_the_account_sign_up_again_import_and_see_the_same_plan(live_server, page, tmp_path):
    load_shipped_ladders()  # as load_demo_data leaves it (tests/conftest.py)
    # The account (signing up again, 3. below, is this test's claim).
    kai = signed_up(page, live_server, EMAIL, PASSWORD, name="Kai Porter")
    plan = _build_plan(kai)

    viewport = page.viewport_size
    page.goto(live_server.url + plan.get_absolute_url())
    before = _plan_as_shown(page)
    assert plan.title in before and "Run 6 customer interviews" in before

    # 1. Download everything, from the account page.
    page.goto(live_server.url + "/accounts/profile/")
    with page.expect_download() as download:
        page.get_by_test_id("export-everything").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    exported = json.loads(saved.read_text())
    assert [p["title"] for p in exported["plans"]] == [plan.title]

    # 2. Delete the account: sign in again, tick the box.
    page.get_by_test_id("delete-account").click()
    page.wait_for_url("**/reauthenticate/**")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/delete/")
    assert_accessible(page, "account deletion")
    page.get_by_label("Yes, delete my account and everything in it").check()
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(live_server.url + "/")
    assert "Your account and its plans are deleted" in page.content()
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert not CareerPlan.objects.filter(title=plan.title).exists()
    assert any("deleted" in m.subject.lower() and m.to == [EMAIL] for m in mail.outbox)

    # 3. Sign up again with the same address, and import the file.
    # Some minutes later: allauth sends one confirmation email per address in 3 minutes.
    cache.clear()
    sign_up_and_sign_in(page, live_server, EMAIL, PASSWORD, name="Kai Porter")
    page.goto(live_server.url + "/accounts/profile/")
    page.get_by_test_id("import-link").click()
    page.wait_for_url("**/import/")  # the screenshot and axe are of the upload page, not the profile
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "import-upload-390")
    page.set_viewport_size({"width": 1280, "height": 844})
    assert_accessible(page, "import upload")
    page.get_by_label("Export file").set_input_files(str(saved))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url("**/import/review/")
    review = page.get_by_test_id("import-holds").inner_text()
    assert plan.title in review and "With 3 goals, 2 check-ins, 1 self-assessment" in review
    screenshot(page, "import-review-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "import-review-390")
    assert_accessible(page, "import review")
    page.get_by_test_id("import-go").click()
    page.wait_for_url("**/plans/")
    assert f"Imported 1 plan: “{plan.title}”." in page.content()

    # 4. The same plan, as the plan page shows it.
    again = CareerPlan.objects.get(owner__email=EMAIL)
    page.set_viewport_size(viewport)
    page.goto(live_server.url + again.get_absolute_url())
    assert _plan_as_shown(page) == before
    assert Goal.objects.filter(plan=again).count() == 3
