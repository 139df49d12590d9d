"""Bearer tokens only: no session, no cookie, so no CSRF surface. The token's person is set as
``request.user``, so the pages' access helpers (plans/access.py, goals/access.py) answer for it."""

import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from api.models import AccessToken
from api.problems import RateLimited
from api.tokens import token_for_secret, token_mark_used
from base.limits import Limit


def request_limit() -> Limit:
    return Limit(scope="api-token", count=settings.API_REQUESTS_PER_MINUTE, period=timedelta(minutes=1))


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> AccessToken | None:
        found = token_for_secret(token)
        if found is None:
            return None
        _count_request(found)
        request.user = found.user
        return found


@transaction.atomic
def _count_request(token: AccessToken) -> None:
    """Count the request against the token's limit, or refuse it with when to come back. The row
    lock on the token serialises its requests from the count to the commit (base.limits.Limit.take),
    so two requests at once cannot both take the last use."""
    AccessToken.objects.select_for_update().filter(pk=token.pk).values_list("pk", flat=True).first()
    limit = request_limit()
    if not limit.remaining(token.pk):
        wait = (limit.free_at(token.pk) - timezone.now()).total_seconds()
        raise RateLimited(max(math.ceil(wait), 1))
    limit.take(token.pk)
    token_mark_used(token=token, now=timezone.now())


def require_write(request: HttpRequest) -> None:
    """A write needs a token with the write scope: a read-only token gets 403 before any lookup."""
    token = getattr(request, "auth", None)
    if not isinstance(token, AccessToken) or not token.can_write:
        raise AuthorizationError(403, "This token may only read: make one with the write scope.")
