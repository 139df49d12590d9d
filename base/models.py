"""What every app stores the same way: version tokens, uses of a limit, and the outbox."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Version(models.Model):
    """The current token of one kind of content (base.versions): written in the same transaction
    as the change it stands for, so every process reads the token and the data that go together."""

    name = models.CharField(max_length=100, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.name} @ {self.token}"


class LimitUse(models.Model):
    """One use of a limited action (base.limits): who (key) did what (scope) and when."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="limit_use_window_idx")]

    def __str__(self) -> str:
        return f"{self.scope} by {self.key} at {self.at:%Y-%m-%d %H:%M}"


# A row tried this many times without leaving is marked failed and left for a person to look at.
MAX_SEND_ATTEMPTS = 20
# A row pending this long after its last try, or sending this long after its claim, lost its task
# (a lost broker message, a worker killed mid-send, a broker down at commit): the reminder sweep
# hands it to a worker again. Longer than the longest retry delay (base.tasks.retry_delay), so a
# waiting retry is not doubled, and than any task may run (CELERY_TASK_TIME_LIMIT), so a row still
# being sent is never taken from its worker.
SEND_STALE_AFTER = timedelta(minutes=15)


class SendQuerySet(models.QuerySet[Any]):
    """The states of a row that guards one email (an OutgoingEmail, a reminder delivery):
    pending → sending → sent, or back to pending with the error to be tried again (failed after
    MAX_SEND_ATTEMPTS), or failed at once when trying again would fail again. Each step is one
    conditional UPDATE from the state its caller expects, so of two workers holding the same row
    only one claims it (healthchecks' sendalerts), and the SMTP conversation between claim and
    mark runs with no transaction open: on SQLite an open write transaction would hold the whole
    database's write lock while the server takes its time.
    """

    def claim(self, *, now: datetime) -> bool:
        """pending → sending, counting the attempt; True when this caller claimed the row (the one
        the queryset names: call it on ``filter(pk=…)``, with any guard the sender needs)."""
        pending = self.filter(status=self.model.Status.PENDING)
        claimed = pending.update(
            status=self.model.Status.SENDING, attempts=models.F("attempts") + 1, last_attempt_at=now
        )
        return claimed == 1

    def mark_sent(self, *, now: datetime, **fields: Any) -> bool:
        """sending → sent, with ``fields`` (the subject a digest went out with)."""
        sending = self.filter(status=self.model.Status.SENDING)
        return sending.update(status=self.model.Status.SENT, sent_at=now, **fields) == 1

    def mark_failed(self, reason: str) -> None:
        """sending → failed with ``reason``: trying again would fail again."""
        self.filter(status=self.model.Status.SENDING).update(
            status=self.model.Status.FAILED, last_error=reason[:500]
        )

    def retry_later(self, error: Exception) -> None:
        """sending → pending with the error, to be tried again; failed after MAX_SEND_ATTEMPTS."""
        status = self.model.Status
        self.filter(status=status.SENDING).update(
            status=models.Case(
                models.When(attempts__gte=MAX_SEND_ATTEMPTS, then=models.Value(status.FAILED)),
                default=models.Value(status.PENDING),
            ),
            last_error=str(error)[:500],
        )

    def stale(self, *, now: datetime) -> "SendQuerySet":
        """The rows no task is working on any more (see SEND_STALE_AFTER), oldest first; those
        left sending still have to be put back to pending (release_stale) before a send claims
        them."""
        cutoff = now - SEND_STALE_AFTER
        status = self.model.Status
        return (
            self.filter(status__in=[status.PENDING, status.SENDING], created_at__lte=cutoff)
            .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=cutoff))
            .order_by("created_at")
        )

    def release_stale(self, *, now: datetime) -> int:
        """Put back to pending the rows left sending longer than SEND_STALE_AFTER (their worker
        died between claim and mark); how many. If the server had taken the message, it is sent
        again: the one duplicate possible."""
        status = self.model.Status
        return self.stale(now=now).filter(status=status.SENDING).update(status=status.PENDING)


class OutgoingEmail(models.Model):
    """The outbox: every email the project sends is a row here before a worker sends it.

    Written in the web request's transaction, sent by base.tasks.send_email after commit (see
    SendQuerySet for its states); the reminder sweep re-enqueues rows whose task was lost, so a
    lost broker message, a killed worker or a dead SMTP server delays an email but never loses it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40, help_text="The template it was written from.")
    to = models.EmailField(max_length=254)
    reply_to = models.EmailField(max_length=254, blank=True)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Whose action wrote it (an invitation's owner, a comment's author): it goes with their account.
    caused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Written for a person who is gone (the goodbye): once sent, the row keeps no name or address.
    erase_when_sent = models.BooleanField(default=False)

    objects = SendQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"], name="email_unsent_idx", condition=Q(status__in=["pending", "sending"])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
