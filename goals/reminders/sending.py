"""Sending reminder digests, each guarded by its delivery row.

A task's set of deliveries is built together: the pending ones in one query, their digests in a
fixed number more (goals.reminders.digest.build_digests), rendered with templates loaded once. Then each is
sent on its own, over the set's SMTP connection, with no transaction open
(base.models.SendQuerySet):

1. Claim: UPDATE its row from pending to sending where it still has the goals its digest was
   built from and its owner has not unsubscribed since; one conditional statement that must
   change exactly one row, committed at once.
2. Hand the message to the SMTP server, nothing locked (EMAIL_TIMEOUT bounds every wait). On
   SQLite an open write transaction would hold the whole database's write lock meanwhile, and
   every web write would wait on the mail server.
3. Mark it sent. An SMTP error puts it back to pending with the error instead (failed after
   MAX_ATTEMPTS).

Of two workers holding the same delivery only one claim matches; the other leaves it. A worker
that dies between 1 and 3 leaves the row sending: the sweep puts it back to pending once it has
been sending longer than any task may run (base.models.SEND_STALE_AFTER) and it is sent again,
so a duplicate can only be the one message in flight, had the server taken it.

When the claim matches nothing (another worker has it, or its goals or settings changed since the
set was read), the delivery goes the single way, send_delivery: claim it, then build, render and
send it afresh.

Failure boundaries: a digest that cannot be built or rendered (a value the builder chokes on, a
bug) is marked failed with its reason, and a message the server refuses (its recipient, its
content) goes back to pending with the refusal; either way the rest of the set goes out. An
error of the connection itself (the server gone, a timeout) stops the set, and the task retries it.
"""

import logging
from collections.abc import Sequence
from typing import cast

from django.db import DatabaseError
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from base import emails
from base.emails import REFUSALS, SMTP_ERRORS, refused_for_good
from goals.models import ReminderDelivery, ReminderSettings
from goals.reminders.digest import Digest, build_digests

logger = logging.getLogger(__name__)

Status = ReminderDelivery.Status


def send_deliveries(delivery_ids: list[int], *, connection=None) -> int:
    """Send the digests of the deliveries still pending among ``delivery_ids``, in that order;
    how many emails left now. Those already sent (or skipped, or failed) cost nothing: a retried
    or redelivered set returns after one query when they all are. An error of the SMTP connection
    is recorded on its delivery and raised; the deliveries after it are left pending for the
    retry."""
    order = {pk: index for index, pk in enumerate(delivery_ids)}
    deliveries = sorted(
        ReminderDelivery.objects.filter(pk__in=list(order), status=Status.PENDING).select_related(
            "user", "user__reminder_settings"
        ),
        key=lambda delivery: order[delivery.pk],
    )
    if not deliveries:
        return 0
    digests = _build(deliveries, now=timezone.now())
    return sum(
        _send_built(delivery, digest, connection)
        for delivery, digest in zip(deliveries, digests, strict=True)
    )


def send_delivery(delivery_id: int, *, connection=None) -> bool:
    """Send one digest unless it was sent, or claimed by another worker, already; True when an
    email left now. Claims the row first, then builds and renders the digest and sends it with
    no transaction open (see the module's docstring)."""
    rows = ReminderDelivery.objects.filter(pk=delivery_id)
    now = timezone.now()
    if not rows.claim(now=now):
        return False
    delivery = rows.select_related("user").get()
    try:
        [digest] = build_digests([(delivery.user, delivery.goal_ids)], now=now)
        if _skips(digest):
            rows.filter(status=Status.SENDING).update(status=Status.SKIPPED)
            return False
        message = _message(delivery, digest, now, connection)
    except DatabaseError:
        raise  # the database, not the digest: the row stays sending and is tried again later
    except Exception as error:
        _fail(delivery_id, error)
        return False
    return _deliver(delivery_id, message)


def _build(deliveries: list[ReminderDelivery], *, now) -> Sequence[Digest | Exception]:
    """The set's digests, built together; when that fails, each alone, so that the one that
    cannot be built (kept as its exception) stops nobody else's."""
    requests = [(delivery.user, delivery.goal_ids) for delivery in deliveries]
    try:
        return build_digests(requests, now=now)
    except DatabaseError:
        raise
    except Exception:
        logger.warning("%s digests could not be built together; building each alone", len(requests))
    built: list[Digest | Exception] = []
    for request in requests:
        try:
            built += build_digests([request], now=now)
        except DatabaseError:
            raise
        except Exception as error:
            built.append(error)
    return built


def _send_built(delivery: ReminderDelivery, digest: Digest | Exception, connection) -> bool:
    """Send a digest built with its set: claim, send, mark (see the module's docstring)."""
    now = timezone.now()
    # Still the goals the digest was built from (jsonb equality on PostgreSQL; on SQLite the
    # stored text, which every writer dumps alike; should one not, the single way sends it).
    unchanged = ReminderDelivery.objects.filter(pk=delivery.pk, goal_ids=delivery.goal_ids)
    if isinstance(digest, Digest) and _skips(digest):
        skipped = unchanged.filter(status=Status.PENDING).update(
            status=Status.SKIPPED, attempts=F("attempts") + 1, last_attempt_at=now
        )
        return False if skipped else send_delivery(delivery.pk, connection=connection)
    if not unchanged.filter(_still_subscribed()).claim(now=now):
        return send_delivery(delivery.pk, connection=connection)
    if isinstance(digest, Exception):
        _fail(delivery.pk, digest)
        return False
    try:
        message = _message(delivery, digest, now, connection)
    except Exception as error:
        _fail(delivery.pk, error)
        return False
    return _deliver(delivery.pk, message)


def _still_subscribed() -> Exists:
    # ~ gives a negated Exists (Exists.__invert__), which django-stubs does not declare.
    return cast(
        Exists, ~Exists(ReminderSettings.objects.filter(user=OuterRef("user"), unsubscribed_at__isnull=False))
    )


def _deliver(delivery_id: int, message) -> bool:
    """Hand a claimed delivery's message to the SMTP server, then mark it sent. A refusal of
    this one message is recorded (failed when it is for good, else to be tried again) and the
    caller goes on; any other SMTP error is recorded and raised."""
    rows = ReminderDelivery.objects.filter(pk=delivery_id)
    try:
        message.send()
    except SMTP_ERRORS as error:
        logger.warning("Reminder delivery %s not sent: %s", delivery_id, error)
        if refused_for_good(error):
            rows.mark_failed(str(error))
            return False
        rows.retry_later(error)
        if isinstance(error, REFUSALS):
            return False
        raise
    rows.mark_sent(now=timezone.now(), subject=message.subject)
    return True


def _skips(digest: Digest) -> bool:
    return digest.is_empty or not digest.prefs.receives_reminders


def _message(delivery: ReminderDelivery, digest: Digest, now, connection):
    rendered, unsubscribe = digest.render(now=now)
    return emails.message(
        rendered=rendered, to=delivery.user.email, headers=list_headers(unsubscribe), connection=connection
    )


def list_headers(unsubscribe_url: str) -> dict:
    """RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs without a sign-in."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _fail(delivery_id: int, error: Exception) -> None:
    """A claimed digest that cannot be built or rendered: trying again would fail again, so it is
    marked failed with the reason, for a person to look at (the admin's Reminder deliveries)."""
    logger.error("Reminder delivery %s cannot be sent", delivery_id, exc_info=error)
    ReminderDelivery.objects.filter(pk=delivery_id).mark_failed(f"{type(error).__name__}: {error}")
