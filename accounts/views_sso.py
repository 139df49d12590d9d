"""allauth's OpenID Connect callback, with the ID token's signature checked every time.

allauth skips the signature of an ID token it takes straight from the provider's token endpoint
(OpenID Connect Core 3.1.3.7 lets TLS stand in for it) and checks it only for tokens a client hands
in. Here its own check (``jwtkit.verify_and_decode``, the provider's keys from ``jwks_uri``) runs on
every token as well as the issuer, audience and expiry checks it always makes: a provider answer
changed on the way, or a proxy that terminates TLS, cannot sign anyone in. The URL is allauth's
(careerpath/urls.py puts this view in front of it), so the provider's registered callback is
unchanged.

allauth sends no nonce either: the login view here adds one to the authorization request and keeps
it in allauth's state (the session), and accounts.sso.SocialAccountAdapter refuses an ID token that
does not carry it back."""

from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base.utils import respond_to_login_on_get
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.crypto import get_random_string

NONCE_LENGTH = 32


class SignatureCheckingAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict:
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


@login_not_required
def sso_callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return OAuth2CallbackView.adapter_view(SignatureCheckingAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


class NonceLoginView(OAuth2LoginView):
    """allauth's step that sends the person to the provider, with a nonce in the request and in
    the state (allauth's ``redirect`` keeps extra keyword arguments there)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        provider = self.get_provider()
        confirm = respond_to_login_on_get(request, provider)
        if confirm:
            return confirm
        redirect = provider.get_redirect_from_request_kwargs(request)
        nonce = get_random_string(NONCE_LENGTH)
        redirect["auth_params"] = {**redirect["auth_params"], "nonce": nonce}
        return provider.redirect(request, nonce=nonce, **redirect)


@login_not_required
def sso_login(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return NonceLoginView.adapter_view(SignatureCheckingAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
