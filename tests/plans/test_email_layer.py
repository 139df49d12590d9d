"""The one email layer: rendered in the request, stored in the outbox, sent by a task after commit."""

import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from base import emails
from base.models import SEND_STALE_AFTER, OutgoingEmail
from base.tasks import send_email
from tests.goals import test_sending_failures

refusing_sink = test_sending_failures.refusing_sink  # a server that refuses person001@example.com


def _queue_one(to: str = "owner@example.com", **fields) -> OutgoingEmail:
    return emails.queue(
        template="comment_notice",
        context={
            "plan": {"title": "A plan"},
            "body": "Nice",
            "author_name": "Maya",
            "recipient_name": "Alice",
            "to_owner": True,
            "url": "https://x/plans/1/#comments",
        },
        to=to,
        headers={"X-Test": "1"},
        **fields,
    )


def test_a_queued_email_is_sent_after_commit_with_text_html_and_headers(transactional_db):
    from careerpath.celery import app

    app.conf.task_always_eager = True  # a worker's part, inline
    try:
        with transaction.atomic():
            email = _queue_one()
            assert mail.outbox == []  # nothing leaves inside the transaction
        [message] = mail.outbox
    finally:
        app.conf.task_always_eager = False
    assert message.to == ["owner@example.com"]
    assert message.extra_headers["X-Test"] == "1"
    assert "Nice" in message.body and "Nice" in message.alternatives[0][0]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.sent_at is not None


def test_a_rolled_back_transaction_enqueues_and_sends_nothing(transactional_db):
    from careerpath.celery import app

    app.conf.task_always_eager = True
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            _queue_one()
            raise RuntimeError("the request failed")
    finally:
        app.conf.task_always_eager = False
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_sending_twice_sends_once(db):
    email = _queue_one()  # sent at once here (see tests/conftest.py)
    send_email.apply(args=[email.pk])
    assert len(mail.outbox) == 1


def test_an_email_refused_for_good_is_marked_failed_at_once_and_never_tried_again(db, refusing_sink):
    """A 5xx (no such mailbox) will be the answer every time: the row fails with the server's
    words after one attempt, and neither the task nor a later sweep tries it again."""
    from datetime import timedelta

    from django.utils import timezone

    email = _queue_one(to="person001@example.com")  # sent at once here: refused

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 1)
    assert "No such mailbox" in email.last_error
    assert emails.requeue_stale(now=timezone.now() + SEND_STALE_AFTER + timedelta(seconds=1)) == 0
    assert refusing_sink.refusals == 1


def test_a_broker_outage_at_commit_loses_nothing(db, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(send_email, "delay", broker_down)
    email = _queue_one()  # the request still succeeds
    assert mail.outbox == []
    monkeypatch.undo()
    assert emails.requeue_stale(now=timezone.now() + SEND_STALE_AFTER + timedelta(seconds=1)) == 1
    [message] = mail.outbox
    assert message.to == [email.to]


def test_text_and_subject_say_stored_text_as_written_and_the_html_escapes_it(db):
    """Django templates throughout: the text part and the subject turn autoescaping off, the HTML
    part keeps it on, and the message is Django's own EmailMultiAlternatives."""
    name, title, body = "Zoë O'Brien & <Co>", 'Growth & "next" <b>step</b>', "Nice <start> & 'more'\nline two"
    context = {
        "plan": {"title": title},
        "body": body,
        "author_name": name,
        "recipient_name": "Alice",
        "to_owner": True,
        "url": "https://x/plans/1/#comments",
    }
    rendered = emails.render("comment_notice", context)

    assert rendered.subject == f"[CareerPath] {name} commented on your plan “{title}”"
    assert f"{name} commented on your career plan “{title}”:\n\n{body}\n" in rendered.text
    assert "<strong>Zoë O&#x27;Brien &amp; &lt;Co&gt;</strong>" in rendered.html
    assert "Nice &lt;start&gt; &amp; &#x27;more&#x27;<br>line two" in rendered.html
    message = emails.message(rendered=rendered, to="alice@example.com", headers={"X-Test": "1"})
    assert type(message) is EmailMultiAlternatives
    assert message.body == rendered.text and message.alternatives == [(rendered.html, "text/html")]


@pytest.mark.parametrize(
    ("error", "for_good"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"No such mailbox")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (500, b"")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (599, b"")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (499, b"")}), False),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (600, b"")}), False),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b""), "b@example.com": (450, b"")}), False),
        (smtplib.SMTPRecipientsRefused({}), False),
        (smtplib.SMTPDataError(554, b"Message refused"), True),
        (smtplib.SMTPDataError(500, b""), True),
        (smtplib.SMTPDataError(599, b""), True),
        (smtplib.SMTPDataError(499, b""), False),
        (smtplib.SMTPDataError(600, b""), False),
        (smtplib.SMTPDataError(451, b"Try again later"), False),
        (smtplib.SMTPSenderRefused(550, b"Sender refused", "noreply@example.com"), False),
        (smtplib.SMTPAuthenticationError(535, b"Bad credentials"), False),
        (ConnectionRefusedError(), False),
    ],
    ids=lambda value: value if isinstance(value, bool) else type(value).__name__,
)
def test_only_a_5xx_for_the_recipients_or_the_content_is_a_refusal_for_good(error, for_good):
    """RFC 5321: 5xx replies are permanent, 4xx are not. Every recipient must be refused for good
    (one turned away for now may pass next time); a refused sender or sign-in is the server's
    settings, which someone can fix."""
    assert emails.refused_for_good(error) is for_good


def test_an_email_to_erase_when_sent_keeps_nothing_of_its_message_once_sent(db):
    """The goodbye to a deleted account (plans.deletion) goes out, then its row keeps no address,
    words or headers: only that an email of its kind was sent."""
    email = _queue_one(to="leaving@example.com", erase_when_sent=True)  # sent at once here

    [message] = mail.outbox
    assert message.to == ["leaving@example.com"] and message.body
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert (email.to, email.subject, email.text, email.html, email.headers) == (
        "",
        "(erased once sent)",
        "",
        "",
        {},
    )


def test_an_email_tried_again_just_now_is_left_to_its_retry_until_stale_after_that_try(
    db, settings, smtp_server
):
    """The sweep hands an email to a worker again only SEND_STALE_AFTER after its last try, not
    after it was queued: within a retry's back-off it would be sent twice."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from tests.conftest import NOW, free_port

    settings.EMAIL_PORT = free_port()  # the mail server is down: nothing listens there
    with time_machine.travel(NOW, tick=False):
        email = _queue_one()  # tried at once here, and failed
    tried_again = NOW + timedelta(hours=1)
    with time_machine.travel(tried_again, tick=False), pytest.raises(OSError):
        emails.send_queued(email.pk)  # a retry, an hour later: failed too

    email.refresh_from_db()
    assert (email.status, email.last_attempt_at) == (OutgoingEmail.Status.PENDING, tried_again)
    assert emails.requeue_stale(now=tried_again + SEND_STALE_AFTER - timedelta(minutes=1)) == 0
    assert emails.requeue_stale(now=timezone.now() + SEND_STALE_AFTER + timedelta(hours=2)) == 1
