"""A plan shared with a mentor or manager by email, and the plan's comment thread."""

import secrets
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.addresses import normalize_address, same_address
from plans.models import CareerPlan

# How long an invitation can be accepted after it was (last) sent.
INVITATION_DAYS = 30


class Share(models.Model):
    """Read access (and comments) for a mentor or manager the owner invited by email."""

    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="shares")
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="plan_shares"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    message = models.TextField(
        "personal message", blank=True, help_text="Sent with the invitation (and a resend)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the invitation last went out: it can be accepted for INVITATION_DAYS after that.
    sent_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Whether this mentor may rate the owner's skills (plans.ratings): the owner's to decide, off
    # until they turn it on.
    may_rate = models.BooleanField("may rate your skills", default=False)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # Stored normalised (accounts.addresses): Mentor@x and mentor@x are one person; this
            # holds under races.
            models.UniqueConstraint(fields=["plan", "email"], name="share_unique_email_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} shared with {self.email}"

    def save(self, *args, **kwargs) -> None:
        self.email = normalize_address(self.email)
        super().save(*args, **kwargs)

    def expires_at(self) -> datetime:
        return self.sent_at + timedelta(days=INVITATION_DAYS)

    def is_expired(self, now: datetime | None = None) -> bool:
        """A pending invitation lapses INVITATION_DAYS after it was last sent; a resend renews it."""
        return self.user_id is None and (now or timezone.now()) >= self.expires_at()

    def invitee_addresses(self, user) -> list[EmailAddress]:
        """The user's email addresses that are the invited one (accounts.addresses: never by
        Unicode case folding, which would match look-alike domains)."""
        return [a for a in EmailAddress.objects.filter(user=user) if same_address(a.email, self.email)]

    def invitee_verified(self, user) -> bool:
        return any(address.verified for address in self.invitee_addresses(user))


class Comment(models.Model):
    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="comments")
    # Null once the author deleted their account: the comment stays in the thread, by "a former
    # member" (accounts.names.display_name).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(
        default=timezone.now, editable=False
    )  # an import sets the exported time

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.plan}"
