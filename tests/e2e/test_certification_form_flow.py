"""The certification form in the browser: the status shows the dates it needs (issue 23, item 9)."""

import pytest
from django.utils import timezone

from plans.models import CareerPlan, PlanCertification
from skills.models import Certification, Role
from tests.conftest import load_shipped_ladders, make_user
from tests.e2e.conftest import assert_accessible_at_each_width, signed_in_context

pytestmark = pytest.mark.browser


def test_the_status_shows_the_dates_it_needs(live_server, browser):
    """The form is filled at 390 px; each state of it is checked there and widened to 1280 px."""
    load_shipped_ladders()
    person = make_user("cert.dates@example.com", "a long new passphrase 3")
    plan = CareerPlan.objects.create(
        owner=person,
        title="Become a Senior Product Manager",
        is_primary=True,
        current_role=Role.objects.get(slug="associate-product-manager"),
        target_role=Role.objects.get(slug="senior-product-manager"),
    )
    context = signed_in_context(browser, live_server, 390, user=person)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + f"/plans/{plan.pk}/certifications/add/")

    target, earned, expires = (
        page.get_by_label(label) for label in ("Target date", "Earned on", "Expires on")
    )
    assert page.get_by_label("Planned").is_checked()

    def only_the_target_date(width: int) -> None:
        assert target.is_visible() and not earned.is_visible() and not expires.is_visible()

    assert_accessible_at_each_width(
        page, "certification form, planned", shot="certification-form-planned", also=only_the_target_date
    )

    page.get_by_label("Earned", exact=True).check()

    def the_earned_and_expiry_dates(width: int) -> None:
        assert not target.is_visible() and earned.is_visible() and expires.is_visible()

    assert_accessible_at_each_width(
        page, "certification form, earned", shot="certification-form-earned", also=the_earned_and_expiry_dates
    )

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
