"""Sending what the email layer queued (base/emails.py)."""

import random

from celery import Task, shared_task
from django.conf import settings

from base import emails
from base.emails import SMTP_ERRORS


def retry_delay(retries: int) -> float:
    """Exponential backoff with jitter: EMAIL_RETRY_DELAY seconds doubling, capped at ten minutes
    (well under the broker's visibility timeout, so a waiting retry is never delivered twice)."""
    base = float(settings.EMAIL_RETRY_DELAY)
    return min(600.0, base * 2.0**retries) + random.uniform(0, base)


# Named as when it lived in plans/tasks.py, so a task waiting in the broker still finds it.
@shared_task(name="plans.tasks.send_email", bind=True, acks_late=True, max_retries=8)
def send_email(self: Task, email_id: int) -> None:
    try:
        emails.send_queued(email_id)
    except SMTP_ERRORS as error:
        raise self.retry(exc=error, countdown=retry_delay(self.request.retries)) from error
