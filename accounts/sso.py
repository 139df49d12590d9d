"""Single sign-on through allauth's OpenID Connect provider: the account rules around it
(docs/decisions.md "Single sign-on"). allauth does the protocol (code flow with PKCE, state, the ID
token's issuer, audience and expiry; its signature in accounts.views_sso); this adapter decides who
may sign in and who may sign up.

- An address is trusted only when the provider says ``email_verified``.
- A verified address that some account has verified too signs into that account and links it
  (allauth's SOCIALACCOUNT_EMAIL_AUTHENTICATION); the person is told. An address an account holds
  unverified is refused: never merged silently.
- SIGNUP_ALLOWED_DOMAINS limits who may create an account, by SSO as by password.
"""

from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import render

from accounts.addresses import normalize_address

# How the holder of an unconfirmed address confirms it, with passwords on and with SSO_ONLY.
CONFIRM_FIRST = {
    False: "Sign in with your password and confirm the address from the email we send.",
    True: "Ask an administrator to confirm the address on your account (passwords are off here).",
}


def signup_domain_allowed(email: str) -> bool:
    """Whether ``email`` may create an account: any address when SIGNUP_ALLOWED_DOMAINS is empty,
    else one whose domain (after the last @) is listed."""
    allowed = settings.SIGNUP_ALLOWED_DOMAINS
    return not allowed or normalize_address(email).rpartition("@")[2] in allowed


def signup_domains_sentence() -> str:
    return ", ".join("@" + domain for domain in settings.SIGNUP_ALLOWED_DOMAINS)


def refuse(request: HttpRequest, *, title: str, reason: str) -> ImmediateHttpResponse:
    """An exception allauth turns into a page saying why, before anything is written."""
    page = render(request, "socialaccount/refused.html", {"title": title, "reason": reason}, status=403)
    return ImmediateHttpResponse(page)


def provider_name(sociallogin: SocialLogin) -> str:
    return sociallogin.provider.name if sociallogin.account.provider else "single sign-on"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """After allauth has checked the provider's answer and looked the person up, before any
        account is made, linked or signed into."""
        # The sign-in limit (allauth's "login", per client address) counts SSO sign-ins too; the
        # callback is a GET, which allauth's limits skip unless told.
        too_many = ratelimit.consume_or_429(request, action="login", limit_get=True)
        if too_many:
            raise ImmediateHttpResponse(too_many)
        name = provider_name(sociallogin)
        id_token = sociallogin.account.extra_data.get("id_token") or {}
        if not sociallogin.state.get("nonce") or id_token.get("nonce") != sociallogin.state["nonce"]:
            # The ID token was not issued for the sign-in this browser started (accounts.views_sso).
            raise ImmediateHttpResponse(render_authentication_error(request, sociallogin.provider))
        if sociallogin.state.get("process") == "connect":
            return  # a signed-in person linking their own sign-in: allauth refuses one linked elsewhere
        if sociallogin.is_existing and not getattr(sociallogin, "_did_authenticate_by_email", None):
            return  # the link made before: the provider's subject id names the account
        verified = [a.email for a in sociallogin.email_addresses if a.verified]
        if not verified:
            raise refuse(
                request,
                title="Your email address is not verified",
                reason=f"{name} did not say your email address is verified, so CareerPath cannot "
                "trust it. Verify it with your organisation, then sign in again.",
            )
        if sociallogin.is_existing:
            messages.success(request, f"{name} is now linked to your account: sign in with it from now on.")
            return
        addresses = [normalize_address(e) for e in verified]
        held = (
            EmailAddress.objects.filter(email__in=addresses).exists()
            or get_user_model().objects.filter(email__in=addresses).exists()
        )
        if held:
            raise refuse(
                request,
                title="This address has an account that is not confirmed",
                reason=f"An account lists {verified[0]} but has not confirmed it, so {name} cannot "
                f"sign into it. {CONFIRM_FIRST[settings.SSO_ONLY]} Then sign in with {name}.",
            )

    def list_apps(self, request: HttpRequest, provider=None, client_id=None) -> list:
        """The configured provider (SOCIALACCOUNT_PROVIDERS, from the OIDC_* variables) and no
        database rows: with none configured, the sign-in pages ask the database nothing more."""
        if not settings.SOCIALACCOUNT_PROVIDERS:
            return []
        return super().list_apps(request, provider=provider, client_id=client_id)

    def authenticate_by_email(self, sociallogin: SocialLogin):
        """allauth's match of the provider's verified address to an account, kept only when that
        account has verified the address too: allauth would otherwise take an unverified holder
        (and wipe its password), which merges two people silently."""
        match = super().authenticate_by_email(sociallogin)
        if match is None:
            return None
        user, email = match
        if not EmailAddress.objects.filter(user=user, email=normalize_address(email), verified=True).exists():
            return None
        return match

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        """SSO_ONLY closes password sign-up, not this one; SIGNUP_ALLOWED_DOMAINS closes both."""
        email = next((a.email for a in sociallogin.email_addresses if a.verified), "")
        if not signup_domain_allowed(email):
            raise refuse(
                request,
                title="Sign-up is limited to your organisation",
                reason=f"New accounts are for addresses at {signup_domains_sentence()} only, and "
                f"{email} is not one. Ask your administrator if you need access.",
            )
        return True

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict):
        """The provider's name is the display name (User.first_name alone, as sign-up stores it)."""
        user = super().populate_user(request, sociallogin, data)
        full = data.get("name") or " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        user.first_name = " ".join((full or "").split())[:150]
        user.last_name = ""
        return user
