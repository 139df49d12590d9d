"""Celery tasks for reminders: thin, they take ids and call goals.reminders.sweep and .sending.

Their names are the ones they had in goals/tasks.py: the beat schedule stored in the database,
and any task waiting in the broker, call them by those names.
"""

from celery import shared_task
from django.core.mail import get_connection

from base.tasks import SMTP_ERRORS, retry_delay
from goals.reminders import sending, sweep


@shared_task(name="goals.tasks.sweep_reminders")
def sweep_reminders() -> int:
    """Run by beat every few minutes (schedule stored by django-celery-beat, editable in the admin)."""
    return sweep.sweep().claimed


@shared_task(name="goals.tasks.send_deliveries", bind=True, acks_late=True, max_retries=8)
def send_deliveries(self, delivery_ids: list[int]) -> int:
    """Send a set of digests, built together, over one SMTP connection. A digest that cannot be
    built, or that the server refuses, is recorded on its row and the set goes on; an error of the
    connection retries the set with backoff (the ones already sent return at once on the retry)."""
    connection = get_connection()
    try:
        connection.open()  # one SMTP session for the whole set; send() would open and close one per digest
        return sending.send_deliveries(delivery_ids, connection=connection)
    except SMTP_ERRORS as error:
        raise self.retry(exc=error, countdown=retry_delay(self.request.retries)) from error
    finally:
        connection.close()
