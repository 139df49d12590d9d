"""allauth's pages and emails in the site's voice (issue 23, item 10): "Keep me signed in", and
subjects in sentence case ("Confirm your email address"), never allauth's Title Case defaults."""

from pathlib import Path

import allauth
from django.core import mail
from django.template.loader import get_template
from django.urls import reverse

from tests.accounts.test_signup import sign_up
from tests.conftest import make_user

ALLAUTH_EMAILS = Path(allauth.__file__).parent / "templates" / "account" / "email"


def test_the_sign_in_page_offers_to_keep_you_signed_in(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert "Keep me signed in" in html
    assert "Remember Me" not in html


def test_keep_me_signed_in_still_works(client, db, password):
    make_user("kept@example.com", password)
    client.post(
        reverse("account_login"), {"login": "kept@example.com", "password": password, "remember": "on"}
    )
    assert client.session.get_expire_at_browser_close() is False


def test_the_confirmation_email_asks_in_sentence_case(client, db):
    sign_up(client)
    [message] = mail.outbox
    assert message.subject == "[CareerPath] Confirm your email address"


def test_a_password_reset_email_reads_in_sentence_case(client, db, password):
    make_user("forgetful@example.com", password)
    client.post(reverse("account_reset_password"), {"email": "forgetful@example.com"})
    [message] = mail.outbox
    assert message.subject == "[CareerPath] Reset your password"


def test_every_allauth_subject_is_ours(db):
    """A subject allauth may send is overridden here, so none goes out in its Title Case."""
    for default in sorted(ALLAUTH_EMAILS.glob("*_subject.txt")):
        template = get_template(f"account/email/{default.name}")
        assert "allauth" not in str(template.origin.name), default.name
        subject = template.render({}).strip()
        words = subject.split()
        assert subject and all(w.islower() or w in {"CareerPath"} for w in words[1:]), subject
