"""The one email layer: rendered in the request, stored in the outbox, sent by a task after commit."""

import pytest
from django.core import mail
from django.db import transaction

from plans import emails
from plans.models import OutgoingEmail
from plans.tasks import send_email


def _queue_one() -> OutgoingEmail:
    return emails.queue(
        template="comment_notice",
        context={"plan": {"title": "A plan"}, "body": "Nice", "author_name": "Maya", "recipient_name": "Alice",
                 "to_owner": True, "url": "https://x/plans/1/#comments"},
        to="owner@example.com",
        headers={"X-Test": "1"},
    )  # fmt: skip


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


def test_a_broker_outage_at_commit_loses_nothing(db, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(send_email, "delay", broker_down)
    email = _queue_one()  # the request still succeeds
    assert mail.outbox == []
    monkeypatch.undo()
    assert emails.requeue_stale(now=timezone.now() + emails.STALE_AFTER + timedelta(seconds=1)) == 1
    [message] = mail.outbox
    assert message.to == [email.to]
