"""Celery tasks for reminders: thin, they take ids and call goals.reminders / goals.sending."""

from celery import shared_task
from django.core.mail import get_connection

from goals import reminders, sending
from plans.tasks import SMTP_ERRORS, retry_delay


@shared_task(name="goals.tasks.sweep_reminders")
def sweep_reminders() -> int:
    """Run by beat every few minutes (schedule stored by django-celery-beat, editable in the admin)."""
    return reminders.sweep().claimed


@shared_task(bind=True, acks_late=True, max_retries=8)
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
