"""Sending what the email layer queued (plans/emails.py)."""

import random

from celery import shared_task
from django.conf import settings

from plans import emails
from plans.emails import SMTP_ERRORS
from plans.models import MAX_SEND_ATTEMPTS

MAX_ATTEMPTS = MAX_SEND_ATTEMPTS


def retry_delay(retries: int) -> float:
    """Exponential backoff with jitter: EMAIL_RETRY_DELAY seconds doubling, capped at ten minutes
    (well under the broker's visibility timeout, so a waiting retry is never delivered twice)."""
    base = settings.EMAIL_RETRY_DELAY
    return min(600.0, base * 2**retries) + random.uniform(0, base)


@shared_task(bind=True, acks_late=True, max_retries=8)
def send_email(self, email_id: int) -> None:
    try:
        emails.send_queued(email_id)
    except SMTP_ERRORS as error:
        raise self.retry(exc=error, countdown=retry_delay(self.request.retries)) from error
