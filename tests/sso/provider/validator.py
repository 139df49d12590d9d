"""The claims the test provider gives: each user's email and name, and email_verified true unless
the user is in the group "email-unverified". Groups "wrong-audience", "expired-token" and
"foreign-issuer", "wrong-nonce" make the ID token wrong in that one way (signed as usual), and "tampered-token"
changes its subject after signing, for the refusal tests."""

import base64
import json
import time

from oauth2_provider.oauth2_validators import OAuth2Validator


def groups(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


class ClaimsValidator(OAuth2Validator):
    def get_additional_claims(self, request) -> dict:
        user = request.user
        return {
            "email": user.email,
            "email_verified": "email-unverified" not in groups(user),
            "name": user.first_name,
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        wrong = groups(request.user)
        if "wrong-audience" in wrong:
            claims["aud"] = "some-other-application"
        if "expired-token" in wrong:
            claims["iat"], claims["exp"] = int(time.time()) - 7200, int(time.time()) - 3600
        if "foreign-issuer" in wrong:
            claims["iss"] = "https://attacker.example"
        if "wrong-nonce" in wrong:
            claims["nonce"] = "not-the-one-careerpath-sent"
        return claims, expiration_time

    def finalize_id_token(self, id_token, token, token_handler, request) -> str:
        signed = super().finalize_id_token(id_token, token, token_handler, request)
        if "tampered-token" not in groups(request.user):
            return signed
        header, payload, signature = signed.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = "someone-else"
        changed = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return ".".join([header, changed, signature])
