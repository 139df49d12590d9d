"""The claims the test provider gives: each user's email and name, and email_verified true unless
the user is in the group "email-unverified". Groups "wrong-audience", "expired-token" and
"foreign-issuer" make the ID token wrong in that one way (signed as usual), for the refusal tests."""

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
        return claims, expiration_time
