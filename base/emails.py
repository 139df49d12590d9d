"""The one email layer: every email the project sends is a subject / text / HTML trio under
templates/emails/, rendered here and sent by a Celery task after the transaction commits, never
inside a web request (so a slow or dead SMTP server costs a person nothing). One function per
email, as healthchecks' hc/lib/emails.py.

- queue(): for one-off emails (invitations, comment notices). Writes an OutgoingEmail row and
  enqueues base.tasks.send_email on commit, which calls send_queued(); the reminder sweep
  re-enqueues rows whose task was lost (requeue_stale).
- render() / message(): for senders that keep their own delivery row (the reminder digest).

Templates are Django templates, as the pages are (render_to_string); every byte of a message is
Django's own EmailMultiAlternatives, sent by the backend EMAIL_URL selects.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from base.models import OutgoingEmail

logger = logging.getLogger(__name__)

# What sending can raise when the SMTP server refuses, fails or cannot be reached (a timeout,
# EMAIL_TIMEOUT, is an OSError).
SMTP_ERRORS = (smtplib.SMTPException, OSError)
# Of those, the server's refusal of one message (its sender, recipients or content): the session
# goes on, and the next message may well pass.
REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def refused_for_good(error: Exception) -> bool:
    """Whether the server refused this message's recipient or content for good (an RFC 5321 5xx
    reply, as "550 No such mailbox"): sending it again would be refused again. A refused sender,
    a failed sign-in, a 4xx or a server that cannot be reached is tried again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    return isinstance(error, smtplib.SMTPDataError) and 500 <= error.smtp_code < 600


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(template: str, context: dict[str, Any]) -> Rendered:
    """templates/emails/<template>_subject.txt, <template>.txt and <template>.html rendered with
    ``context`` (and ``site_url``). The text templates turn autoescaping off; the subject is one line."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    return Rendered(
        subject=" ".join(subject.split()),
        text=render_to_string(f"emails/{template}.txt", context),
        html=render_to_string(f"emails/{template}.html", context),
    )


def message(
    *,
    rendered: Rendered,
    to: str,
    reply_to: str = "",
    headers: dict[str, str] | None = None,
    connection: BaseEmailBackend | None = None,
) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        rendered.subject,
        rendered.text,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        reply_to=[reply_to] if reply_to else None,
        headers=headers or {},
        connection=connection,
    )
    if rendered.html:
        email.attach_alternative(rendered.html, "text/html")
    return email


def queue(*, template: str, context: dict[str, Any], to: str, **fields: Any) -> OutgoingEmail:
    """Render now, store in the outbox, and hand to a worker once the transaction commits.
    ``fields``: reply_to, headers, caused_by (whose action it is: the row goes with their account),
    erase_when_sent."""
    return queue_rendered(kind=template, rendered=render(template, context), to=to, **fields)


def queue_rendered(*, kind: str, rendered: Rendered, to: str, **fields: Any) -> OutgoingEmail:
    """Store an already rendered email in the outbox (allauth renders its own, see careerpath/accounts.py)."""
    email = OutgoingEmail.objects.create(
        kind=kind[:40], to=to, subject=rendered.subject, text=rendered.text, html=rendered.html, **fields
    )
    transaction.on_commit(lambda: enqueue(email.pk))
    return email


def enqueue(email_id: int) -> None:
    """Hand one outbox row to a worker. A broker outage is logged, not raised: the row stays
    pending and the next reminder sweep enqueues it again."""
    from base.tasks import send_email

    try:
        send_email.delay(email_id)
    except Exception:
        logger.warning("Could not enqueue email %s; the next sweep will retry it", email_id, exc_info=True)


REQUEUE_BATCH = 1000


def requeue_stale(*, now: datetime) -> int:
    """Enqueue the emails that no task is working on any more; how many."""
    OutgoingEmail.objects.release_stale(now=now)
    ids = list(OutgoingEmail.objects.stale(now=now).values_list("pk", flat=True)[:REQUEUE_BATCH])
    for email_id in ids:
        enqueue(email_id)
    return len(ids)


def send_queued(email_id: int) -> bool:
    """Send one outbox email unless it was sent or claimed already; True when it left now.

    Claimed and committed first, sent with no transaction open, then marked (SendQuerySet). A
    refusal for good marks it failed with the server's answer; any other SMTP error puts it back
    to pending with the error (failed after MAX_SEND_ATTEMPTS) and is raised for the task to retry.
    """
    rows = OutgoingEmail.objects.filter(pk=email_id)
    if not rows.claim(now=timezone.now()):
        return False
    email = rows.get()
    try:
        message(
            rendered=Rendered(email.subject, email.text, email.html),
            to=email.to,
            reply_to=email.reply_to,
            headers=email.headers,
        ).send()
    except SMTP_ERRORS as error:
        logger.warning("Email %s not sent: %s", email_id, error)
        if refused_for_good(error):
            rows.mark_failed(str(error))
            return False
        rows.retry_later(error)
        raise
    rows.mark_sent(now=timezone.now())
    rows.filter(erase_when_sent=True).update(
        to="", subject="(erased once sent)", text="", html="", headers={}
    )
    return True
