"""Personal access tokens: a person's credential for /api/v1/, stored as a hash only."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

DEFAULT_DAYS = 90
MAX_DAYS = 365
PREFIX_LENGTH = 11  # "cp_" and 8 characters of the secret: enough to tell tokens apart on the page


def digest(secret: str) -> str:
    """What is stored of a secret: a random 240-bit secret needs no slow hash, only one that is not
    reversible, and sha256 lets a request find its token by an indexed equality."""
    return hashlib.sha256(secret.encode()).hexdigest()


class AccessTokenQuerySet(models.QuerySet["AccessToken"]):
    def live(self) -> "AccessTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class AccessToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100, help_text="What uses it, such as “habit tracker script”.")
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    digest = models.CharField(max_length=64, unique=True)
    can_write = models.BooleanField(
        "may write", default=False, help_text="Record check-ins and change goals, not only read."
    )
    revoke_on_password_change = models.BooleanField("revoke when I change my password", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def scopes(self) -> list[str]:
        return ["read", "write"] if self.can_write else ["read"]

    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
