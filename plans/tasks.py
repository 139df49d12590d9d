"""Sending what the email layer queued (plans/emails.py)."""

import logging
import random
import smtplib

from celery import shared_task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from plans import emails
from plans.models import OutgoingEmail

logger = logging.getLogger(__name__)

# An email still unsent after this many tries is marked failed and left for a person to look at.
MAX_ATTEMPTS = 20
SMTP_ERRORS = (smtplib.SMTPException, OSError)


def retry_delay(retries: int) -> int:
    """Exponential backoff with jitter, capped at ten minutes (well under the broker's visibility
    timeout, so a waiting retry is never delivered twice)."""
    return min(600, 10 * 2**retries) + random.randint(0, 10)


@shared_task(bind=True, acks_late=True, max_retries=8)
def send_email(self, email_id: int) -> None:
    with transaction.atomic():
        # The row lock makes two workers holding the same message take turns; the second sees SENT.
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutgoingEmail.Status.PENDING:
            return
        try:
            emails.message(
                rendered=emails.Rendered(email.subject, email.text, email.html),
                to=email.to, reply_to=email.reply_to, headers=email.headers,
            ).send()  # fmt: skip
        except SMTP_ERRORS as error:
            failure = error
        else:
            email.status, email.sent_at = OutgoingEmail.Status.SENT, timezone.now()
            email.attempts, email.last_attempt_at = email.attempts + 1, email.sent_at
            email.save(update_fields=["status", "sent_at", "attempts", "last_attempt_at"])
            return
    _record_failure(email_id, failure)
    raise self.retry(exc=failure, countdown=retry_delay(self.request.retries))


def _record_failure(email_id: int, error: Exception) -> None:
    logger.warning("Email %s not sent: %s", email_id, error)
    OutgoingEmail.objects.filter(pk=email_id).update(
        attempts=F("attempts") + 1, last_attempt_at=timezone.now(), last_error=str(error)[:500]
    )
    OutgoingEmail.objects.filter(pk=email_id, attempts__gte=MAX_ATTEMPTS).update(
        status=OutgoingEmail.Status.FAILED
    )
