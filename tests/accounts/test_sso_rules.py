"""The account rules around single sign-on that need no provider: SSO_ONLY (passwords off but for
superusers' break-glass), SIGNUP_ALLOWED_DOMAINS on password sign-up, the connections page, and
the settings read from the environment."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.conftest import make_user
from tests.core.test_settings import run_manage

User = get_user_model()
SSO = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "sso",
                "name": "Acme SSO",
                "client_id": "careerpath",
                "secret": "s",
                "settings": {"server_url": "https://idp.acme.example"},
            }
        ],
    }
}
SIGN_UP = {
    "first_name": "Sam",
    "email": "sam@outside.example",
    "password1": "a long new passphrase 3",
    "password2": "a long new passphrase 3",
}


@pytest.fixture
def sso_only(settings):
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    settings.SSO_ONLY = True


def test_without_oidc_settings_the_pages_show_no_sso(client, db):
    for name in ("account_login", "account_signup"):
        page = client.get(reverse(name)).content.decode()
        assert 'data-testid="sso"' not in page and "Sign in with" not in page
        assert 'name="password' in page


def test_with_a_provider_the_button_comes_before_the_password_form(client, db, settings):
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    page = client.get(reverse("account_login") + "?next=/plans/").content.decode()
    assert page.index("Sign in with Acme SSO") < page.index('name="password"')
    assert 'action="/accounts/oidc/sso/login/?process=login&amp;next=%2Fplans%2F"' in page


def test_sso_only_refuses_a_right_password(client, alice, password, sso_only):
    page = client.get(reverse("account_login")).content.decode()
    assert 'name="password"' not in page and "Sign in with Acme SSO" in page

    response = client.post(reverse("account_login"), {"login": alice.email, "password": password})

    assert response.status_code == 200
    assert "Passwords are not used here" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sso_only_lets_a_superuser_in_by_password_and_at_the_admin(client, db, password, sso_only):
    root = make_user("root@acme.example", password)
    root.is_staff = root.is_superuser = True
    root.save()

    response = client.post(reverse("admin:login"), {"username": root.email, "password": password})

    assert response.status_code == 302 and client.session["_auth_user_id"] == str(root.pk)
    client.logout()
    client.post(reverse("account_login"), {"login": root.email, "password": password})
    assert client.session["_auth_user_id"] == str(root.pk)


def test_sso_only_refuses_staff_who_are_not_superusers_at_the_admin(client, db, password, sso_only):
    editor = make_user("editor@acme.example", password)
    editor.is_staff = True
    editor.save()

    response = client.post(reverse("admin:login"), {"username": editor.email, "password": password})

    assert response.status_code == 200 and "This page is for superusers" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sso_only_closes_password_sign_up(client, db, sso_only):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="password1"' not in page and "the first sign-in creates yours" in page

    client.post(reverse("account_signup"), SIGN_UP)

    assert not User.objects.exists()


def test_sso_only_refuses_password_reset_and_sends_nothing(client, alice, sso_only):
    assert 'name="email"' not in client.get(reverse("account_reset_password")).content.decode()

    response = client.post(reverse("account_reset_password"), {"email": alice.email})

    assert response.status_code == 200 and "Passwords are not used here" in response.content.decode()
    assert not mail.outbox
    from base.models import OutgoingEmail

    assert not OutgoingEmail.objects.exists()


def test_password_sign_up_outside_the_allowed_domains_is_a_field_error(client, db, settings):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.example"]

    response = client.post(reverse("account_signup"), SIGN_UP)

    assert "Sign-up is open to addresses at @acme.example only." in response.content.decode()
    assert not User.objects.exists()
    client.post(reverse("account_signup"), {**SIGN_UP, "email": "sam@ACME.example"})
    assert User.objects.get().email.lower() == "sam@acme.example"


def link(user) -> SocialAccount:
    return SocialAccount.objects.create(user=user, provider="sso", uid="sub-" + str(user.pk))


def test_account_page_links_to_the_sso_connection(alice_client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    page = alice_client.get(reverse("accounts:account")).content.decode()
    assert 'data-testid="sso-link"' in page


def test_person_with_a_password_sees_and_removes_the_link(alice_client, alice, settings):
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    account = link(alice)
    page = alice_client.get(reverse("socialaccount_connections")).content.decode()
    assert "Remove the link" in page

    alice_client.post(reverse("socialaccount_connections"), {"account": account.pk})

    assert not SocialAccount.objects.exists()


def test_person_without_a_password_cannot_remove_their_only_way_in(client, db, settings):
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    nora = make_user("nora@acme.example", "unused")
    nora.set_unusable_password()
    nora.save()
    account = link(nora)
    client.force_login(nora)
    assert "Remove the link" not in client.get(reverse("socialaccount_connections")).content.decode()

    response = client.post(reverse("socialaccount_connections"), {"account": account.pk})

    assert SocialAccount.objects.filter(pk=account.pk).exists()
    assert "no password" in response.content.decode().lower() or response.status_code == 200


def test_another_person_cannot_remove_someone_elses_link(bob_client, alice, settings):
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    account = link(alice)

    bob_client.post(reverse("socialaccount_connections"), {"account": account.pk})

    assert SocialAccount.objects.filter(pk=account.pk).exists()


def test_anonymous_visitor_is_sent_to_sign_in_from_the_connections_page(client, db):
    response = client.get(reverse("socialaccount_connections"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_settings_read_the_oidc_variables(db):
    env = {
        "OIDC_SERVER_URL": "https://idp.acme.example/realms/acme",
        "OIDC_CLIENT_ID": "careerpath",
        "OIDC_CLIENT_SECRET": "s3cret",
        "OIDC_NAME": "Acme SSO",
        "SIGNUP_ALLOWED_DOMAINS": "acme.example, @Acme.co.uk",
        "SSO_ONLY": "1",
    }
    code = (
        "from django.conf import settings as s; a = s.SOCIALACCOUNT_PROVIDERS['openid_connect'];"
        "print(a['APPS'][0]['provider_id'], a['APPS'][0]['name'], a['OAUTH_PKCE_ENABLED'],"
        " s.SIGNUP_ALLOWED_DOMAINS, s.SSO_ONLY, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    )
    result = run_manage("shell", "-c", code, env=env)
    assert result.stdout.strip().splitlines()[-1] == (
        "sso Acme SSO True ['acme.example', 'acme.co.uk'] True [\"'self'\", 'https://idp.acme.example']"
    ), result.stderr


def test_sso_only_without_a_provider_refuses_to_start(db):
    result = run_manage("check", env={"SSO_ONLY": "1"})
    assert result.returncode != 0 and "SSO_ONLY=1 needs OIDC_SERVER_URL" in result.stderr


def test_production_refuses_an_issuer_without_tls(db):
    from tests.core.test_settings import PRODUCTION_ENV

    env = {**PRODUCTION_ENV, "OIDC_SERVER_URL": "http://idp.acme.example", "OIDC_CLIENT_ID": "careerpath"}
    result = run_manage("check", env=env)
    assert result.returncode != 0 and "OIDC_SERVER_URL must start with https://" in result.stderr


def test_account_without_a_password_is_not_asked_to_sign_in_again(client, db, settings):
    """allauth cannot re-authenticate through a provider (docs/decisions.md "Single sign-on")."""
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    nora = make_user("nora@acme.example", "unused")
    nora.set_unusable_password()
    nora.save()
    link(nora)
    client.force_login(nora)

    assert client.get(reverse("accounts:delete")).status_code == 200


@pytest.mark.parametrize("people", [1, 20])
def test_sign_in_page_queries_do_not_grow(client, db, settings, django_assert_num_queries, people):
    """None without a provider (the page is as it was); with one, allauth's lookup of database-made
    apps (there are none: the provider comes from the environment). Whatever the number of people."""
    for i in range(people):
        link(make_user(f"p{i}@acme.example", "unused"))
    with django_assert_num_queries(0):
        client.get(reverse("account_login"))
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    with django_assert_num_queries(1):  # SocialApp rows for this site: none
        client.get(reverse("account_login"))
