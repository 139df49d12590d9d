"""The certification form in the browser: the status shows the dates it needs (issue 23, item 9)."""

import pytest
from django.utils import timezone

from plans.models import CareerPlan, PlanCertification
from skills.models import Certification, Role
from tests.conftest import load_shipped_ladders, make_user
from tests.e2e.conftest import assert_accessible, screenshot, signed_in_context

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1280])
def test_the_status_shows_the_dates_it_needs(live_server, browser, width):
    load_shipped_ladders()
    person = make_user(f"cert.dates.{width}@example.com", "a long new passphrase 3")
    plan = CareerPlan.objects.create(
        owner=person,
        title="Become a Senior Product Manager",
        is_primary=True,
        current_role=Role.objects.get(slug="associate-product-manager"),
        target_role=Role.objects.get(slug="senior-product-manager"),
    )
    context = signed_in_context(browser, live_server, width, user=person)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + f"/plans/{plan.pk}/certifications/add/")

    target, earned, expires = (
        page.get_by_label(label) for label in ("Target date", "Earned on", "Expires on")
    )
    assert page.get_by_label("Planned").is_checked()
    assert target.is_visible() and not earned.is_visible() and not expires.is_visible()
    assert_accessible(page, f"certification form, planned, {width}px")
    screenshot(page, f"certification-form-planned-{width}")

    page.get_by_label("Earned", exact=True).check()
    assert not target.is_visible() and earned.is_visible() and expires.is_visible()
    assert_accessible(page, f"certification form, earned, {width}px")
    screenshot(page, f"certification-form-earned-{width}")

    # The recommendations lead the list, each saying for which role.
    options = page.locator("select[name=certification] option").all_inner_texts()
    assert options[1] == "Certified Product Leader (CPL) · recommended for Senior Product Manager"
    assert options[2] == "Certified Product Manager (CPM) · recommended for Associate Product Manager"

    page.locator("select[name=certification]").select_option(label=options[1])
    earned.fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Add certification").click()
    page.wait_for_url(f"**{plan.get_absolute_url()}*")
    record = PlanCertification.objects.get(plan=plan)
    cpl = Certification.objects.get(abbreviation="CPL")
    assert (record.certification, record.status, record.target_date) == (cpl, "earned", None)
    context.close()
