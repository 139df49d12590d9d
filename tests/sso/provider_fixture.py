"""The session's OpenID Connect provider (tests/sso/provider/, django-oauth-toolkit) as a process
on a free loopback port, and the way a test signs in through it without a browser.

Import the fixture where it is used: `from tests.sso.provider_fixture import oidc_provider`."""

import copy
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "careerpath-test"
SECRET = "careerpath-test-secret"
PASSWORD = "provider password 1"
PROVIDER_ID = "sso"
NAME = "Acme SSO"


@dataclass
class Provider:
    base: str  # http://127.0.0.1:<port>

    @property
    def issuer(self) -> str:
        return self.base + "/o"

    def add_user(self, email: str, name: str = "", groups: tuple[str, ...] = ()) -> None:
        """A person the provider knows; groups: email-unverified, wrong-audience, expired-token,
        foreign-issuer (tests/sso/provider/validator.py)."""
        data = {"email": email, "name": name, "password": PASSWORD, "groups": list(groups)}
        requests.post(self.base + "/setup/user", json=data, timeout=10).raise_for_status()

    def allow_redirect(self, site: str) -> None:
        """Let the provider send people back to CareerPath at `site` (http://testserver, a live server)."""
        uri = site.rstrip("/") + reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER_ID})
        requests.post(self.base + "/setup/redirect", json={"client_id": CLIENT_ID, "uri": uri}, timeout=10)

    def settings(self, client_id: str = CLIENT_ID) -> dict:
        """SOCIALACCOUNT_PROVIDERS as careerpath/settings.py builds it from OIDC_* variables."""
        app = {
            "provider_id": PROVIDER_ID,
            "name": NAME,
            "client_id": client_id,
            "secret": SECRET,
            "settings": {"server_url": self.issuer},
        }
        return {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": [app]}}

    def configure(self, settings) -> None:
        """pytest-django's `settings` as careerpath/settings.py sets them with OIDC_SERVER_URL: the
        provider, and its origin in the form-action policy (the button's POST is redirected there)."""
        settings.SOCIALACCOUNT_PROVIDERS = self.settings()
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(self.base)
        settings.CONTENT_SECURITY_POLICY = policy

    def sign_in_at_provider(self, authorize_url: str, email: str) -> str:
        """What a browser does at the provider: sign in there, authorize, and be sent back. The URL
        it is sent back to (CareerPath's callback with code and state)."""
        session = requests.Session()
        login = self.base + "/login/"
        session.get(login, timeout=10)
        next_path = authorize_url.split(self.base, 1)[1]
        response = session.post(
            login,
            data={
                "username": email,
                "password": PASSWORD,
                "next": next_path,
                "csrfmiddlewaretoken": session.cookies["provider_csrftoken"],
            },
            allow_redirects=False,
            timeout=10,
        )
        location = urljoin(login, response.headers["Location"])
        while location.startswith(self.base):
            response = session.get(location, allow_redirects=False, timeout=10)
            location = urljoin(location, response.headers["Location"])
        return location


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory) -> Iterator[Provider]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sso.provider.settings",
        "SSO_PROVIDER_DIR": str(tmp_path_factory.mktemp("oidc-provider")),
        "SSO_PROVIDER_RSA_KEY": pem,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sso.provider.serve", CLIENT_ID, SECRET],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()  # blocks until the port is bound, or the process died
        assert line.startswith("listening "), f"the test provider did not start: {line!r}"
        provider = Provider(base=f"http://127.0.0.1:{int(line.split()[1])}")
        requests.get(provider.issuer + "/.well-known/openid-configuration", timeout=10).raise_for_status()
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)


def sso_sign_in(client, provider: Provider, email: str, next_url: str = ""):
    """The whole sign-in by SSO with Django's test client for CareerPath and plain HTTP for the
    provider: the button's POST, the provider's sign-in, then CareerPath's callback. Its answer."""
    login = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    response = client.post(login + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.status_code
    back = provider.sign_in_at_provider(response["Location"], email)
    parts = urlsplit(back)
    return client.get(f"{parts.path}?{parts.query}")
