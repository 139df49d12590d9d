"""Single sign-on in a browser against a real OpenID Connect provider (django-oauth-toolkit in its
own process, tests/sso/provider/): sign-up by SSO, sign-out, sign-in by SSO, a mentor accepting an
invitation by SSO; the changed pages at 390 and 1280 px with axe (each loaded at 390 px, checked
there and widened)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from plans.sharing.models import Share
from tests.conftest import make_user
from tests.e2e.conftest import assert_accessible, assert_accessible_at_each_width, screenshot
from tests.plans.factories import CareerPlanFactory, ShareFactory
from tests.sso.provider_fixture import NAME, PASSWORD, oidc_provider  # noqa: F401

pytestmark = pytest.mark.browser
User = get_user_model()
BUTTON = f"Sign in with {NAME}"


@pytest.fixture
def provider(oidc_provider, live_server, settings):  # noqa: F811
    oidc_provider.configure(settings)
    oidc_provider.allow_redirect(live_server.url)
    return oidc_provider


def sign_in_at_provider(page, email: str) -> None:
    page.wait_for_url(lambda url: "/login/?next=" in url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()


def test_sign_up_by_sso_sign_out_and_sign_in_again(live_server, browser, provider):
    provider.add_user("nora@acme.example", name="Nora Field")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(live_server.url + "/accounts/signup/")
    first = page.locator("main").get_by_role("button").first
    assert first.inner_text() == BUTTON  # before the password form
    first.click()
    sign_in_at_provider(page, "nora@acme.example")
    page.wait_for_url(live_server.url + "/")
    assert "Nora Field" in page.content()
    nora = User.objects.get(email="nora@acme.example")
    assert nora.first_name == "Nora Field"

    page.goto(live_server.url + "/accounts/logout/")
    page.locator("main").get_by_role("button", name="Sign out").click()
    page.wait_for_url(live_server.url + "/")
    assert "Nora Field" not in page.content()

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name=BUTTON).click()
    # Still signed in at the provider: it sends her straight back.
    page.wait_for_url(live_server.url + "/")
    assert "Nora Field" in page.content()
    assert User.objects.count() == 1
    context.close()


def test_mentor_accepts_an_invitation_by_sso(live_server, browser, provider):
    owner = make_user("alice@example.com", "a long new passphrase 3")
    owner.first_name = "Alice Owner"
    owner.save()
    plan = CareerPlanFactory(owner=owner, title="Become a Senior PM", is_primary=True)
    share = ShareFactory(plan=plan, user=None, email="maya@acme.example", accepted_at=None)
    provider.add_user("maya@acme.example", name="Maya Mentor")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(live_server.url + f"/plans/invitations/{share.token}/")
    page.get_by_test_id("invitation-login").click()
    page.get_by_role("button", name=BUTTON).click()
    sign_in_at_provider(page, "maya@acme.example")

    page.wait_for_url(live_server.url + plan.get_absolute_url())
    share.refresh_from_db()
    assert share.user.email == "maya@acme.example" and share.user.first_name == "Maya Mentor"
    assert "Shared with you by Alice Owner" in page.get_by_test_id("shared-by").inner_text()
    assert Share.objects.filter(user__isnull=False).count() == 1
    context.close()


def test_refused_sign_in_says_why(live_server, browser, provider):
    provider.add_user("una@acme.example", name="Una", groups=("email-unverified",))
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name=BUTTON).click()
    sign_in_at_provider(page, "una@acme.example")

    page.wait_for_url("**/login/callback/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Your email address is not verified"
    assert_accessible(page, "SSO refused")
    screenshot(page, "sso-refused-phone")
    assert not User.objects.exists()
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/3rdparty/",
    ],  # the cancelled and error pages show no provider: the accessibility walk checks them
)
def test_sso_pages_are_accessible(live_server, browser, provider, path, password):
    """Each page loaded at 390 px and checked there and widened to 1280 px."""
    user = make_user("sam@acme.example", password)
    context = browser.new_context(viewport={"width": 390, "height": 900})
    if path == "/accounts/3rdparty/":
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
    page = context.new_page()
    page.goto(live_server.url + path)

    def one_button_and_one_heading(width: int) -> None:
        assert page.get_by_role("button", name=BUTTON).count() == (0 if "3rdparty" in path else 1)
        assert page.get_by_role("heading", level=1).count() == 1

    assert_accessible_at_each_width(
        page, path, shot=f"sso{path.replace('/', '-').rstrip('-')}", also=one_button_and_one_heading
    )
    context.close()


def test_sso_only_sign_in_page_is_accessible(live_server, browser, provider, settings):
    """Loaded at 390 px and checked there and widened to 1280 px."""
    settings.SSO_ONLY = True
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")

    def only_the_sso_button(width: int) -> None:
        assert page.locator("input[name=password]").count() == 0
        assert page.get_by_role("button", name=BUTTON).count() == 1

    assert_accessible_at_each_width(page, "SSO only sign-in", shot="sso-only-login", also=only_the_sso_button)
    context.close()
