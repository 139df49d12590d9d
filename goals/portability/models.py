"""An uploaded export file waiting for its owner's review before it is imported."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class PendingImportQuerySet(models.QuerySet["PendingImport"]):
    def waiting_for(self, user, *, now: datetime) -> "PendingImportQuerySet":
        """The person's upload, if it is still waiting for its review (PendingImport.KEPT_HOURS)."""
        return self.filter(user=user, uploaded_at__gt=now - timedelta(hours=PendingImport.KEPT_HOURS))


class PendingImport(models.Model):
    """An uploaded export file that passed every check (goals.portability.checking.check), waiting
    for its owner's review: one per person, a new upload replaces it. In the database, not the session,
    so the review and the import may land on any web process; what the check found is kept
    (``preview``), so neither checks the file again. ``digest`` names the file: the review posts
    it back, and an Import from an older review (another tab uploaded since) is refused."""

    KEPT_HOURS = 24

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    document = models.TextField(help_text="The checked file's JSON.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the file, hex.")
    preview = models.JSONField(help_text="What importing it would do (goals.importing.Preview.summary).")
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = PendingImportQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Import waiting for {self.user}"
