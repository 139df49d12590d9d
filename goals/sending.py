"""Sending one reminder digest, guarded by its delivery row."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from goals.digest import build_digest, unsubscribe_url
from goals.models import ReminderDelivery
from plans import emails
from plans.tasks import MAX_ATTEMPTS, SMTP_ERRORS

logger = logging.getLogger(__name__)


def send_delivery(delivery_id: int, *, connection=None) -> bool:
    """Send the digest unless it was sent already; True when an email left now.

    The row stays locked while the SMTP server takes the message, so a second worker holding the
    same delivery waits and then finds it sent. A duplicate can only come from a crash between
    the server's acceptance and this commit.
    """
    failure = None
    with transaction.atomic():
        delivery = (
            ReminderDelivery.objects.select_for_update().select_related("user").filter(pk=delivery_id).first()
        )
        if delivery is None or delivery.status != ReminderDelivery.Status.PENDING:
            return False
        now = timezone.now()
        digest = build_digest(user=delivery.user, goal_ids=delivery.goal_ids, now=now)
        if digest.is_empty or not digest.prefs.receives_reminders:
            _finish(delivery, ReminderDelivery.Status.SKIPPED, now)
            return False
        rendered = emails.render("reminder_digest", {**digest.context(now=now), "subject": digest.subject()})
        message = emails.message(
            rendered=rendered,
            to=delivery.user.email,
            headers=_list_headers(delivery.user),
            connection=connection,
        )
        try:
            message.send()
        except SMTP_ERRORS as error:
            failure = error
        else:
            delivery.subject = rendered.subject
            _finish(delivery, ReminderDelivery.Status.SENT, now)
            return True
    _record_failure(delivery_id, failure)
    raise failure


def _list_headers(user) -> dict:
    """RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs without a sign-in."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _finish(delivery: ReminderDelivery, status: str, now) -> None:
    delivery.status, delivery.last_attempt_at = status, now
    delivery.attempts += 1
    if status == ReminderDelivery.Status.SENT:
        delivery.sent_at = now
    delivery.save(update_fields=["status", "attempts", "last_attempt_at", "sent_at", "subject"])


def _record_failure(delivery_id: int, error: Exception) -> None:
    logger.warning("Reminder delivery %s not sent: %s", delivery_id, error)
    rows = ReminderDelivery.objects.filter(pk=delivery_id)
    rows.update(attempts=F("attempts") + 1, last_attempt_at=timezone.now(), last_error=str(error)[:500])
    rows.filter(attempts__gte=MAX_ATTEMPTS).update(status=ReminderDelivery.Status.FAILED)
