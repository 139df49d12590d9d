"""The admin's role page with the shipped Senior Product Manager's 24 requirements, and the ladder
import's preview naming the plans a change affects (issue 23), in Chromium at 390 and 1280 px:
checked by axe and the Content-Security-Policy, a screenshot of each in var/screenshots/. The
flow runs at 390 px; each page is widened to 1280 px too."""

import json
from pathlib import Path

import pytest

from skills.models import Role, RoleSkill, Skill
from tests.conftest import load_shipped_ladders, make_user
from tests.e2e.conftest import (
    assert_accessible_at_each_width,
    at_each_width,
    blocking_violations,
    csp_violations,
    describe_violations,
    screenshot,
    signed_in_context,
)
from tests.e2e.test_accessibility import without_admin_widget_findings
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.browser

SHIPPED = "skills/ladders/product-management.json"


@pytest.fixture
def superuser(db):
    # A superuser: live_server's transactional database is flushed between tests, so the
    # "Ladder editors" group its migration made is gone (tests/skills/ cover a member of it).
    user = make_user("root@example.com", "a long demo passphrase 7")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_role_page_and_the_preview_of_a_change_to_its_requirements(live_server, browser, superuser, tmp_path):
    load_shipped_ladders()
    senior = Role.objects.get(track__slug="product-management", slug="senior-product-manager")
    product_manager = Role.objects.get(track__slug="product-management", slug="product-manager")
    extra = Skill.objects.exclude(requirements__role=senior).order_by("name").first()
    RoleSkill.objects.create(role=senior, skill=extra, level=3)
    CareerPlanFactory.create_batch(3, current_role=product_manager, target_role=senior)
    document = json.loads(Path(SHIPPED).read_text(encoding="utf-8"))
    wanted = next(role for role in document["tracks"][0]["roles"] if role["slug"] == "senior-product-manager")
    wanted["requirements"][0]["level"] = wanted["requirements"][0]["level"] % 5 + 1
    (tmp_path / "product-management.json").write_text(json.dumps(document), encoding="utf-8")
    page = signed_in_context(browser, live_server, 390, superuser).new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/admin/skills/role/{senior.pk}/change/")
    rows = page.locator("#requirements-group tr.has_original")
    assert rows.count() == 24
    assert "Senior Product Manager:" not in page.locator("#requirements-group").inner_text()
    assert not csp_violations(page)
    for width in at_each_width(page):
        screenshot(page, f"admin-role-page-{width}")
        # As the accessibility walk reads the admin: the findings inside Django's own widgets aside.
        violations = without_admin_widget_findings(page.url, blocking_violations(page))
        assert not violations, describe_violations(
            violations, f"role page with 24 requirements at {width} px"
        )

    page.goto(f"{live_server.url}/admin/skills/track/import/")
    page.get_by_label("Ladder file").set_input_files(str(tmp_path / "product-management.json"))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url("**/admin/skills/track/import/preview/")
    changed = page.get_by_test_id("ladder-kind").filter(has_text="Skill requirements")
    assert "— affects 3 plans" in changed.inner_text()
    assert_accessible_at_each_width(
        page, "ladder preview naming the plans a change affects", shot="admin-ladder-preview-plans"
    )
