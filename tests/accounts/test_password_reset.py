import re

from django.urls import reverse

from tests.conftest import body_text

RESET_LINK = re.compile(r"https?://[^\s]+/accounts/password/reset/key/[^\s]+/")


def test_password_reset_email_over_smtp_sets_a_new_password(client, alice, smtp_server):
    client.post(reverse("account_reset_password"), {"email": "alice@example.com"})

    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "alice@example.com"
    assert "[CareerPath]" in message["Subject"]
    link = RESET_LINK.search(body_text(message)).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    # allauth redirects the key URL to a session-bound form URL
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    done = client.post(
        form_url, {"password1": "a fresh passphrase 11", "password2": "a fresh passphrase 11"}, follow=True
    )
    assert done.status_code == 200

    alice.refresh_from_db()
    assert alice.check_password("a fresh passphrase 11")
    login = client.post(
        reverse("account_login"), {"login": "alice@example.com", "password": "a fresh passphrase 11"}
    )
    assert login.status_code == 302


def test_reset_for_unknown_email_sends_nothing_revealing(client, db, smtp_server):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302
