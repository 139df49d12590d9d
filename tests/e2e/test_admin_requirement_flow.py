"""An editor adds a skill requirement in the admin and the public role page shows it."""

import pytest

from tests.conftest import make_user
from tests.e2e.conftest import screenshot
from tests.factories import RoleFactory, SkillFactory, TrackFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_user(db, password):
    user = make_user("editor@example.com", password)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def sign_in(page, live_server, email: str, password: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")


def test_admin_adds_requirement_and_public_role_page_shows_it(live_server, page, admin_user, password):
    track = TrackFactory(name="Product Management", slug="product-management")
    role = RoleFactory(track=track, title="Product Manager", slug="product-manager", level=2)
    SkillFactory(name="Stakeholder management", slug="stakeholder-management", category="soft")
    SkillFactory(name="Market analysis", slug="market-analysis")

    sign_in(page, live_server, admin_user.email, password)
    page.goto(f"{live_server.url}/admin/skills/role/{role.pk}/change/")
    group = page.locator("#requirements-group")
    group.wait_for()
    # The inline offers one empty row; add one if the editor's admin stops doing that.
    if page.locator("select[name='requirements-0-skill']").count() == 0:
        group.get_by_role("link", name="Add another").click()
    row = page.locator("#requirements-0")

    # The skill is an autocomplete (select2): open it, type, pick the match.
    row.locator(".select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("stakeholder")
    page.locator(".select2-results__option", has_text="Stakeholder management").click()
    row.locator("select[name='requirements-0-level']").select_option("4")
    screenshot(page, "admin-role-requirement-added")
    page.locator("input[name=_save]").last.click()

    page.wait_for_url(f"{live_server.url}/admin/skills/role/")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    assert role.requirements.get().skill.slug == "stakeholder-management"

    page.goto(f"{live_server.url}/ladders/product-management/product-manager/")
    requirement = page.get_by_test_id("skill-stakeholder-management")
    assert "Stakeholder management" in requirement.inner_text()
    assert "4/5 · Advanced" in requirement.inner_text()
    assert requirement.locator(".skill-level-step.is-filled").count() == 4
    assert "soft skills" in page.get_by_test_id("required-skills").inner_text().lower()
    screenshot(page, "public-role-with-new-requirement")
