"""Sign-in by OpenID Connect against a real provider (django-oauth-toolkit in its own process,
tests/sso/provider/): who gets an account, who is linked, who is refused and that nothing is made
then (docs/decisions.md "Single sign-on")."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.conftest import make_user
from tests.sso.provider_fixture import NAME, oidc_provider, sso_sign_in  # noqa: F401

User = get_user_model()


@pytest.fixture
def provider(oidc_provider, settings):  # noqa: F811
    oidc_provider.configure(settings)
    oidc_provider.allow_redirect("http://testserver")
    return oidc_provider


def signed_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def assert_refused(response, words: str) -> None:
    assert response.status_code in (401, 403), response.status_code
    text = response.content.decode()
    assert 'data-testid="sso-refused"' in text, text[:2000]
    assert words in text


def test_first_sign_in_creates_the_account_with_the_providers_name_and_verified_email(client, db, provider):
    provider.add_user("nora@acme.example", name="Nora Field")

    response = sso_sign_in(client, provider, "nora@acme.example")

    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = signed_in_as(client)
    assert user.email == "nora@acme.example" and user.first_name == "Nora Field"
    assert EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).provider == "sso"
    assert not user.has_usable_password()


def test_second_sign_in_is_the_same_account(client, db, provider):
    provider.add_user("nora@acme.example", name="Nora Field")
    sso_sign_in(client, provider, "nora@acme.example")
    first = signed_in_as(client)
    client.post(reverse("account_logout"))

    response = sso_sign_in(client, provider, "nora@acme.example", next_url="/plans/")

    assert response["Location"] == "/plans/"
    assert signed_in_as(client) == first
    assert User.objects.count() == 1


def test_verified_address_of_an_account_is_linked_and_the_person_told(client, db, provider, password):
    alice = make_user("alice@acme.example", password)
    provider.add_user("alice@acme.example", name="Alice at Acme")

    response = sso_sign_in(client, provider, "alice@acme.example")

    assert signed_in_as(client) == alice
    assert SocialAccount.objects.get().user == alice
    alice.refresh_from_db()
    assert alice.has_usable_password()  # her password still works
    page = client.get(response["Location"], follow=True)
    assert f"{NAME} is now linked to your account" in page.content.decode()


def test_address_an_account_holds_unverified_is_refused_not_merged(client, db, provider, password):
    squatter = make_user("alice@acme.example", password, verified=False)
    provider.add_user("alice@acme.example", name="Alice")

    response = sso_sign_in(client, provider, "alice@acme.example")

    assert_refused(response, "has not confirmed it")
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists() and User.objects.count() == 1
    squatter.refresh_from_db()
    assert squatter.has_usable_password()


def test_unverified_email_is_refused_and_nothing_is_created(client, db, provider):
    provider.add_user("una@acme.example", name="Una", groups=("email-unverified",))

    response = sso_sign_in(client, provider, "una@acme.example")

    assert_refused(response, "did not say your email address is verified")
    assert signed_in_as(client) is None
    assert not User.objects.exists() and not SocialAccount.objects.exists()


def test_domain_outside_signup_allowed_domains_is_refused(client, db, provider, settings):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.example"]
    provider.add_user("olga@outside.example", name="Olga")

    response = sso_sign_in(client, provider, "olga@outside.example")

    assert_refused(response, "@acme.example only")
    assert not User.objects.exists()


def test_domain_inside_signup_allowed_domains_signs_up(client, db, provider, settings):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.example"]
    provider.add_user("ina@acme.example", name="Ina")

    sso_sign_in(client, provider, "ina@acme.example")

    assert signed_in_as(client).email == "ina@acme.example"


@pytest.mark.parametrize(
    "wrong",
    ["wrong-audience", "expired-token", "foreign-issuer", "tampered-token", "wrong-nonce"],
    ids=["audience", "expired", "issuer", "tampered", "nonce"],
)
def test_id_token_that_fails_allauths_checks_is_refused(client, db, provider, wrong):
    provider.add_user("eve@acme.example", name="Eve", groups=(wrong,))

    response = sso_sign_in(client, provider, "eve@acme.example")

    assert_refused(response, "could not confirm who you are")
    assert signed_in_as(client) is None and not User.objects.exists()


def test_client_id_the_token_is_not_for_is_refused(client, db, provider, settings):
    """CareerPath configured with another client id: the provider's token names its audience,
    which allauth compares with OIDC_CLIENT_ID."""
    provider.add_user("nora@acme.example", name="Nora")
    login = reverse("openid_connect_login", kwargs={"provider_id": "sso"})
    authorize = client.post(login)["Location"]
    back = provider.sign_in_at_provider(authorize, "nora@acme.example")
    settings.SOCIALACCOUNT_PROVIDERS = provider.settings(client_id="someone-else")

    response = client.get(back.split("http://testserver", 1)[1])

    assert_refused(response, "could not confirm who you are")
    assert not User.objects.exists()


def test_replayed_state_is_refused(client, db, provider):
    provider.add_user("nora@acme.example", name="Nora")
    login = reverse("openid_connect_login", kwargs={"provider_id": "sso"})
    back = provider.sign_in_at_provider(client.post(login)["Location"], "nora@acme.example")
    callback = back.split("http://testserver", 1)[1]
    client.get(callback)
    client.post(reverse("account_logout"))
    user_count = User.objects.count()

    response = client.get(callback)

    assert_refused(response, "could not confirm who you are")
    assert signed_in_as(client) is None and User.objects.count() == user_count


def test_state_from_another_browser_is_refused(client, db, provider):
    from django.test import Client

    provider.add_user("nora@acme.example", name="Nora")
    login = reverse("openid_connect_login", kwargs={"provider_id": "sso"})
    back = provider.sign_in_at_provider(client.post(login)["Location"], "nora@acme.example")

    response = Client().get(back.split("http://testserver", 1)[1])

    assert_refused(response, "could not confirm who you are")
    assert not User.objects.exists()


def test_authorization_request_uses_pkce_state_and_the_configured_client(client, db, provider):
    login = reverse("openid_connect_login", kwargs={"provider_id": "sso"})

    authorize = client.post(login)["Location"]

    assert authorize.startswith(provider.issuer + "/authorize/")
    for part in (
        "code_challenge_method=S256",
        "code_challenge=",
        "state=",
        "nonce=",
        "client_id=careerpath-test",
    ):
        assert part in authorize


def test_sso_sign_ins_count_against_the_sign_in_rate_limit(client, db, provider, settings):
    """allauth's "login" limit, per client address, which password sign-ins count against too."""
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    provider.add_user("nora@acme.example", name="Nora")
    sso_sign_in(client, provider, "nora@acme.example")
    client.post(reverse("account_logout"))

    response = sso_sign_in(client, provider, "nora@acme.example")

    assert response.status_code == 429
    assert signed_in_as(client) is None


def test_signed_in_person_links_sso_from_the_connections_page(client, db, provider, password):
    alice = make_user("alice@example.com", password)
    provider.add_user("alice.work@acme.example", name="Alice at Acme")
    client.force_login(alice)
    login = reverse("openid_connect_login", kwargs={"provider_id": "sso"})

    authorize = client.post(login + "?process=connect")["Location"]
    back = provider.sign_in_at_provider(authorize, "alice.work@acme.example")
    response = client.get(back.split("http://testserver", 1)[1])

    assert response.status_code == 302 and response["Location"] == reverse("socialaccount_connections")
    assert SocialAccount.objects.get().user == alice
    page = client.get(reverse("socialaccount_connections")).content.decode()
    assert "Remove the link" in page and "Acme SSO" in page

    client.post(reverse("account_logout"))
    sso_sign_in(client, provider, "alice.work@acme.example")
    assert signed_in_as(client) == alice and User.objects.count() == 1


def test_with_sso_only_the_unconfirmed_holder_is_sent_to_an_administrator(
    client, db, provider, settings, password
):
    settings.SSO_ONLY = True
    make_user("alice@acme.example", password, verified=False)
    provider.add_user("alice@acme.example", name="Alice")

    response = sso_sign_in(client, provider, "alice@acme.example")

    assert_refused(response, "Ask an administrator to confirm the address")
    assert "Sign in with your password" not in response.content.decode()
