import re

import pytest
from django.core import mail

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser


def test_person_signs_up_verifies_signs_in_and_sees_dashboard(live_server, page):
    page.goto(live_server.url)
    page.get_by_role("link", name="Start your plan").click()
    page.get_by_label("Your name").fill("Nora Newcomer")
    page.fill("input[name=email]", "newcomer@example.com")
    page.fill("input[name=password1]", "a long new passphrase 3")
    page.fill("input[name=password2]", "a long new passphrase 3")
    page.get_by_role("button", name="Sign up", exact=True).click()
    page.wait_for_url("**/confirm-email/")
    assert "Confirm your email address" in page.content()

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    # Opened from the mail app on another device: opening it verifies the address (no second
    # click), then they sign in.
    other_device = page.context.browser.new_context()
    mail_app = other_device.new_page()
    mail_app.goto(live_server.url + "/" + link.split("://", 1)[1].split("/", 1)[1])
    mail_app.wait_for_url("**/accounts/login/")
    assert "confirmed" in mail_app.content().lower()
    other_device.close()

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "newcomer@example.com")
    page.fill("input[name=password]", "a long new passphrase 3")
    page.get_by_role("button", name="Sign in", exact=True).click()

    page.wait_for_url(live_server.url + "/")
    assert page.get_by_test_id("nav-user").inner_text() == "Nora Newcomer"
    assert "Welcome, Nora Newcomer" in page.content()
    screenshot(page, "dashboard-new-user")
