"""Writing tokens: made (the secret returned once, only its hash kept), used, revoked."""

import secrets
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from api.models import DEFAULT_DAYS, MAX_DAYS, PREFIX_LENGTH, AccessToken, digest

# last_used_at moves at most this often: a request that finds it fresh writes nothing.
LAST_USED_PRECISION = timedelta(minutes=1)


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str,
    can_write: bool = False,
    days: int = DEFAULT_DAYS,
    revoke_on_password_change: bool = False,
) -> tuple[AccessToken, str]:
    """A new token and its secret, which is shown once and never stored."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A token lasts 1 to {MAX_DAYS} days.")
    secret = "cp_" + secrets.token_urlsafe(30)
    token = AccessToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        digest=digest(secret),
        can_write=can_write,
        revoke_on_password_change=revoke_on_password_change,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, secret


def token_for_secret(secret: str) -> AccessToken | None:
    """The live token with this secret, with its person, else None."""
    if not secret.startswith("cp_") or len(secret) > 100:
        return None
    return AccessToken.objects.live().select_related("user").filter(digest=digest(secret)).first()


def token_mark_used(*, token: AccessToken, now: datetime) -> None:
    """Record the use when the stored time is older than a minute: of many requests at once, one
    conditional UPDATE writes, the others match no row."""
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_PRECISION:
        AccessToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def token_revoke(*, token: AccessToken) -> None:
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def tokens_revoke_on_password_change(*, user: User) -> int:
    """Revoke the person's tokens that were made to end with their password."""
    return AccessToken.objects.filter(
        user=user, revoke_on_password_change=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
