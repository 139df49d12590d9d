"""Sending reminder digests, each guarded by its delivery row.

A task's set of deliveries is built together: the pending ones in one query, their digests in a
fixed number more (goals.digest.build_digests), rendered with templates loaded once. Then each is
sent on its own, over the set's SMTP connection, in a short transaction of its own:

1. UPDATE its row to sent (or skipped) where it is still pending, still has the goals its digest
   was built from, and (to send) its owner has not unsubscribed since: one statement that also
   takes the row lock.
2. Hand the message to the SMTP server.
3. COMMIT.

The row stays locked while the SMTP server takes the message, so a second worker holding the same
delivery waits and then finds it sent. An SMTP error rolls the mark back: the delivery stays
pending, the failure is recorded and the task retries with backoff. A duplicate can only come from
a crash between the server's acceptance and this commit, so at most the one message in flight.

When step 1 matches nothing (another worker sent it, or its goals or settings changed since the
set was read), the delivery goes the single way, send_delivery: lock the row, then build, render
and send it afresh.
"""

import itertools
import json
import logging
import re

from django.db import connection as db
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from goals.digest import Digest, DigestRenderer, build_digest, build_digests
from goals.models import ReminderDelivery, ReminderSettings
from plans import emails
from plans.tasks import MAX_ATTEMPTS, SMTP_ERRORS

logger = logging.getLogger(__name__)

PENDING, SENT, SKIPPED = (
    ReminderDelivery.Status.PENDING, ReminderDelivery.Status.SENT, ReminderDelivery.Status.SKIPPED,
)  # fmt: skip


def send_deliveries(delivery_ids: list[int], *, connection=None) -> int:
    """Send the digests of the deliveries still pending among ``delivery_ids``, in that order;
    how many emails left now. Those already sent (or skipped, or failed) cost nothing: a retried
    or redelivered set returns after one query when they all are. An SMTP error is recorded on
    its delivery and raised; the deliveries after it are left pending for the retry."""
    order = {pk: index for index, pk in enumerate(delivery_ids)}
    deliveries = sorted(
        ReminderDelivery.objects.filter(pk__in=list(order), status=PENDING).select_related(
            "user", "user__reminder_settings"
        ),
        key=lambda delivery: order[delivery.pk],
    )
    if not deliveries:
        return 0
    digests = build_digests([(d.user, d.goal_ids) for d in deliveries], now=timezone.now())
    renderer = DigestRenderer()
    return sum(
        _send_built(delivery, digest, renderer, connection)
        for delivery, digest in zip(deliveries, digests, strict=True)
    )


def send_delivery(delivery_id: int, *, connection=None) -> bool:
    """Send one digest unless it was sent already; True when an email left now.

    Locks the row first and builds the digest inside the lock. The row stays locked while the SMTP
    server takes the message, so a second worker holding the same delivery waits and then finds
    it sent. A duplicate can only come from a crash between the server's acceptance and this
    commit.
    """
    failure = None
    with transaction.atomic():
        delivery = (
            ReminderDelivery.objects.select_for_update().select_related("user").filter(pk=delivery_id).first()
        )
        if delivery is None or delivery.status != PENDING:
            return False
        now = timezone.now()
        digest = build_digest(user=delivery.user, goal_ids=delivery.goal_ids, now=now)
        if _skips(digest):
            _finish(delivery, SKIPPED, now)
            return False
        message = _message(delivery, digest, DigestRenderer(), now, connection)
        try:
            message.send()
        except SMTP_ERRORS as error:
            failure = error
        else:
            delivery.subject = message.subject
            _finish(delivery, SENT, now)
            return True
    _record_failure(delivery_id, failure)
    raise failure


def _send_built(delivery: ReminderDelivery, digest: Digest, renderer: DigestRenderer, connection) -> bool:
    """Send a digest built with its set: mark, send and commit (see the module's docstring)."""
    now = timezone.now()
    message = None if _skips(digest) else _message(delivery, digest, renderer, now, connection)
    try:
        with transaction.atomic():
            claimed = _mark(delivery, SENT if message else SKIPPED, now, message.subject if message else "")
            if claimed and message:
                message.send()
    except SMTP_ERRORS as error:
        _record_failure(delivery.pk, error)
        raise
    if not claimed:
        return send_delivery(delivery.pk, connection=connection)
    return message is not None


def _skips(digest: Digest) -> bool:
    return digest.is_empty or not digest.prefs.receives_reminders


def _message(delivery: ReminderDelivery, digest: Digest, renderer: DigestRenderer, now, connection):
    rendered, unsubscribe = renderer.render(digest, now=now)
    return emails.message(
        rendered=rendered, to=delivery.user.email, headers=_list_headers(unsubscribe), connection=connection
    )


def _list_headers(unsubscribe_url: str) -> dict:
    """RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs without a sign-in."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _mark(delivery: ReminderDelivery, status: str, now, subject: str) -> bool:
    """Within the caller's transaction: record the outcome on the row (as _finish does) if it is
    still pending with the goals the digest was built from and, to be sent, its owner still takes
    reminders; True when it matched. One statement, by primary key; it holds the row lock (on
    SQLite the IMMEDIATE transaction holds the write lock) until the caller's commit."""
    when = db.ops.adapt_datetimefield_value(now)
    sent_at = when if status == SENT else None
    goal_ids = json.dumps(delivery.goal_ids)
    params = [status, when, sent_at, subject or delivery.subject, delivery.pk, PENDING, goal_ids]
    with db.cursor() as cursor:
        if db.vendor == "postgresql" and status == SENT:
            # The statement every digest sends: planned once per connection, not once per digest
            # (planning was about 40% of the database's CPU per digest, bench/reminders.py).
            _prepare_mark_sent(cursor)
            cursor.execute(f"EXECUTE {MARK_SENT} ({', '.join(['%s'] * len(params))})", params)
        else:
            cursor.execute(_mark_sql(status), params)
        return cursor.rowcount == 1


MARK_SENT = "careerpath_mark_delivery_sent"


def _mark_sql(status: str) -> str:
    ops = db.ops
    table = ops.quote_name(ReminderDelivery._meta.db_table)
    settings_table = ops.quote_name(ReminderSettings._meta.db_table)
    # Stored JSON compared as JSON: jsonb on PostgreSQL, json() text on SQLite.
    same_goals = "goal_ids = %s::jsonb" if db.vendor == "postgresql" else "json(goal_ids) = json(%s)"
    sql = (
        f"UPDATE {table} SET status = %s, attempts = attempts + 1, last_attempt_at = %s, sent_at = %s, "
        f"subject = %s WHERE id = %s AND status = %s AND {same_goals}"
    )
    if status == SENT:
        sql += (
            f" AND NOT EXISTS (SELECT 1 FROM {settings_table} s WHERE s.user_id = {table}.user_id "
            "AND s.unsubscribed_at IS NOT NULL)"
        )
    return sql


def _prepare_mark_sent(cursor) -> None:
    """PREPARE the mark on this database session unless it was already: a prepared statement
    lives as long as its session (a rollback keeps it), so it is tracked per connection."""
    if getattr(db, "_prepared_mark_sent_on", None) is db.connection:
        return
    numbers = itertools.count(1)
    statement = re.sub("%s", lambda _: f"${next(numbers)}", _mark_sql(SENT))
    cursor.execute(f"PREPARE {MARK_SENT} AS {statement}")
    db._prepared_mark_sent_on = db.connection


def _finish(delivery: ReminderDelivery, status: str, now) -> None:
    delivery.status, delivery.last_attempt_at = status, now
    delivery.attempts += 1
    if status == SENT:
        delivery.sent_at = now
    delivery.save(update_fields=["status", "attempts", "last_attempt_at", "sent_at", "subject"])


def _record_failure(delivery_id: int, error: Exception) -> None:
    logger.warning("Reminder delivery %s not sent: %s", delivery_id, error)
    rows = ReminderDelivery.objects.filter(pk=delivery_id)
    rows.update(attempts=F("attempts") + 1, last_attempt_at=timezone.now(), last_error=str(error)[:500])
    rows.filter(attempts__gte=MAX_ATTEMPTS).update(status=ReminderDelivery.Status.FAILED)
