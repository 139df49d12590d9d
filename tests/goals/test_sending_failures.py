"""Failure boundaries in sending (issues 21 and 28): one digest that cannot be built or sent
costs nobody else theirs, retries that are lost are picked up by the sweep, a digest the server
refuses for good (a 5xx: no such mailbox) is marked failed at once, and one it turns away for now
(a 4xx) every time stops after MAX_SEND_ATTEMPTS instead of being tried forever.

Email goes through a real SMTP server on loopback (aiosmtpd); tasks run inline
(tests/conftest.py). Time moves with time-machine.
"""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from base.models import MAX_SEND_ATTEMPTS, SEND_STALE_AFTER
from base.tasks import retry_delay
from goals.models import ReminderDelivery, ReminderSettings
from goals.reminders import sending, sweep
from goals.reminders.digest import Digest
from tests.conftest import NOW, TODAY, SMTPSink, free_port, make_user
from tests.factories import RoleFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

# A zone the server's time-zone database no longer knows (zones are renamed and dropped by
# tzdata updates): the digest builder chokes on it.
GONE_ZONE = "America/Atlantis"
TIMEOUT = 30


def people(count: int) -> list:
    """People with a verified address, an active plan and a goal due for a reminder now."""
    current = RoleFactory(level=1)
    target = RoleFactory(track=current.track, level=2)
    users = []
    for number in range(count):
        user = make_user(f"person{number:03d}@example.com", "pw")
        plan = CareerPlanFactory(owner=user, current_role=current, target_role=target)
        GoalFactory(
            plan=plan,
            title=f"Goal of person {number:03d}",
            next_reminder_at=NOW - timedelta(minutes=5),
            start_date=TODAY - timedelta(days=20),
        )
        users.append(user)
    return users


def swept() -> list[int]:
    """Due goals claimed into deliveries, nothing sent yet."""
    return sweep.sweep(enqueue=False).deliveries


def poison(user) -> None:
    """Make ``user``'s digest impossible to build (after the sweep that wrote it)."""
    ReminderSettings.objects.update_or_create(user=user, defaults={"timezone": GONE_ZONE})


def recipients(sink: SMTPSink) -> Counter:
    return Counter(str(message["To"]) for message in sink.messages)


# --- Issue 21: one digest that cannot be built --------------------------------------------------


def test_a_digest_that_cannot_be_built_is_marked_failed_and_the_other_99_of_its_set_go_out(db, smtp_server):
    users = people(100)
    ids = swept()
    assert len(ids) == 100
    poisoned = users[37]
    poison(poisoned)

    sweep.enqueue_deliveries(ids)  # one task for the set of 100 (SEND_CHUNK), run inline

    smtp_server.wait_for(99, timeout=TIMEOUT)
    assert recipients(smtp_server) == Counter({user.email: 1 for user in users if user != poisoned})
    failed = ReminderDelivery.objects.get(user=poisoned)
    assert failed.status == ReminderDelivery.Status.FAILED
    assert GONE_ZONE in failed.last_error and "ZoneInfoNotFoundError" in failed.last_error
    statuses = Counter(ReminderDelivery.objects.exclude(user=poisoned).values_list("status", flat=True))
    assert statuses == Counter({ReminderDelivery.Status.SENT: 99})


def test_a_digest_that_cannot_be_rendered_is_marked_failed_and_the_set_goes_on(db, smtp_server, monkeypatch):
    users = people(3)
    ids = swept()
    render = Digest.render

    def render_but_not_for_the_second(digest, *, now):
        if digest.user == users[1]:
            raise ValueError("a value the template cannot format")
        return render(digest, now=now)

    monkeypatch.setattr(Digest, "render", render_but_not_for_the_second)

    assert sending.send_deliveries(ids) == 2

    assert recipients(smtp_server) == Counter({users[0].email: 1, users[2].email: 1})
    failed = ReminderDelivery.objects.get(user=users[1])
    assert (failed.status, failed.last_error) == ("failed", "ValueError: a value the template cannot format")


def test_send_reminders_carries_on_past_a_digest_it_cannot_build_and_exits_non_zero_with_the_count(
    db, smtp_server
):
    """Deliveries a sweep wrote earlier wait for a cron run (no worker); one of them can no longer
    be built. The command sends the others and fails at the end, saying how many were not sent."""
    users = people(3)
    ids = swept()
    poison(users[1])

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"^1 digest\(s\) and 0 other email\(s\) not sent"):
        call_command("send_reminders", stdout=out, stderr=err)

    assert "0 due goal(s) claimed, 2 digest(s) sent" in out.getvalue()
    assert recipients(smtp_server) == Counter({users[0].email: 1, users[2].email: 1})
    rows = {row.user_id: row.status for row in ReminderDelivery.objects.filter(pk__in=ids)}
    assert rows == {users[0].pk: "sent", users[1].pk: "failed", users[2].pk: "sent"}


def test_send_reminders_exits_zero_when_everything_went_out(db, smtp_server):
    people(2)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "2 due goal(s) claimed, 2 digest(s) sent, 0 other email(s) sent." in out.getvalue()
    assert len(smtp_server.messages) == 2


# --- Issue 28: delivery retries ---------------------------------------------------------------


NO_SUCH_MAILBOX = "550 5.1.1 No such mailbox"  # for good (RFC 5321's 5xx)
MAILBOX_BUSY = "450 4.2.1 Mailbox busy, try again later"  # for now (4xx)


class RefusingSink(SMTPSink):
    """aiosmtpd that refuses the recipients in ``refused`` with ``reply`` and takes everyone
    else's mail."""

    def __init__(self, refused: set[str], reply: str = NO_SUCH_MAILBOX) -> None:
        super().__init__()
        self.refused, self.reply = refused, reply
        self.refusals = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's hook)
        if address in self.refused:
            self.refusals += 1
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"


def running_sink(settings, reply: str):
    sink = RefusingSink({"person001@example.com"}, reply)
    sink.start()
    settings.EMAIL_PORT = sink.port
    return sink


@pytest.fixture
def refusing_sink(smtp_server, settings):
    """Like smtp_server, on a server that refuses person001@example.com for good (550)."""
    sink = running_sink(settings, NO_SUCH_MAILBOX)
    yield sink
    sink.stop()


@pytest.fixture
def busy_sink(smtp_server, settings):
    """Like smtp_server, on a server that turns person001@example.com away for now (450)."""
    sink = running_sink(settings, MAILBOX_BUSY)
    yield sink
    sink.stop()


def later_sweeps(count: int, *, start=NOW):
    """``count`` sweeps, each STALE_AFTER and a minute after the one before (the clock moves)."""
    for number in range(1, count + 1):
        moment = start + number * (SEND_STALE_AFTER + timedelta(minutes=1))
        with time_machine.travel(moment, tick=False):
            yield sweep.sweep(now=timezone.now())


def test_a_refused_digest_lets_the_rest_of_its_set_go_out(db, busy_sink):
    users = people(3)
    sweep.enqueue_deliveries(swept())

    assert recipients(busy_sink) == Counter({users[0].email: 1, users[2].email: 1})
    refused = ReminderDelivery.objects.get(user=users[1])
    assert (refused.status, refused.attempts) == ("pending", 1)
    assert "Mailbox busy" in refused.last_error


def test_a_digest_refused_for_good_is_marked_failed_at_once_and_never_tried_again(db, refusing_sink):
    users = people(3)
    sweep.enqueue_deliveries(swept())

    assert recipients(refusing_sink) == Counter({users[0].email: 1, users[2].email: 1})
    refused = ReminderDelivery.objects.get(user=users[1])
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert "No such mailbox" in refused.last_error
    assert [result.requeued for result in later_sweeps(3)] == [0, 0, 0]
    assert refusing_sink.refusals == 1


def test_a_digest_turned_away_every_time_is_marked_failed_after_20_attempts_and_never_enqueued_again(
    db, busy_sink
):
    assert MAX_SEND_ATTEMPTS == 20
    users = people(2)
    sweep.enqueue_deliveries(swept())
    refused = ReminderDelivery.objects.get(user=users[1])
    assert refused.attempts == 1

    requeued = [result.requeued for result in later_sweeps(MAX_SEND_ATTEMPTS + 3)]

    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == ("failed", MAX_SEND_ATTEMPTS)
    assert busy_sink.refusals == MAX_SEND_ATTEMPTS
    # Each sweep tried it once more until the 20th attempt; none after that.
    assert requeued == [1] * (MAX_SEND_ATTEMPTS - 1) + [0] * 4
    assert recipients(busy_sink) == Counter({users[0].email: 1})


def test_a_digest_whose_retry_was_lost_is_enqueued_again_by_the_sweep_and_sent_once(
    db, smtp_server, settings
):
    [user] = people(1)
    [delivery_id] = swept()
    settings.EMAIL_PORT = free_port()  # down: the first attempt fails, and its retry (the back-off) is lost
    with pytest.raises(OSError):
        sending.send_deliveries([delivery_id])
    row = ReminderDelivery.objects.get()
    assert (row.status, row.attempts) == ("pending", 1)

    settings.EMAIL_PORT = smtp_server.port  # back up
    # Within the back-off nothing is enqueued twice; past STALE_AFTER the sweep enqueues it.
    with time_machine.travel(NOW + SEND_STALE_AFTER - timedelta(minutes=1), tick=False):
        assert sweep.sweep(now=timezone.now()).requeued == 0
    assert [result.requeued for result in later_sweeps(3)] == [1, 0, 0]

    assert recipients(smtp_server) == Counter({user.email: 1})
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)


def test_a_delivery_left_sending_by_a_dead_worker_is_sent_again_after_the_lease_and_only_then(
    db, smtp_server
):
    [user] = people(1)
    [delivery_id] = swept()
    # A worker claimed it and died before the server took the message.
    assert ReminderDelivery.objects.filter(pk=delivery_id).claim(now=NOW)

    with time_machine.travel(NOW + SEND_STALE_AFTER - timedelta(minutes=1), tick=False):
        assert sweep.sweep(now=timezone.now()).requeued == 0  # its worker may still be at it
        assert sending.send_delivery(delivery_id) is False  # and nobody else takes it
    assert ReminderDelivery.objects.get().status == "sending"

    assert [result.requeued for result in later_sweeps(2)] == [1, 0]
    assert recipients(smtp_server) == Counter({user.email: 1})
    row = ReminderDelivery.objects.get()
    assert (row.status, row.attempts) == ("sent", 2)


def test_the_lease_outlasts_any_task(settings):
    """A row is taken back from its worker only once no task could still be sending it."""
    longest_task = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    longest_back_off = timedelta(seconds=retry_delay(20))
    assert max(longest_task, longest_back_off) < SEND_STALE_AFTER


def test_the_retry_back_off_is_a_setting():
    with override_settings(EMAIL_RETRY_DELAY=0.01):
        delays = [retry_delay(retries) for retries in range(4)]
    assert all(0.01 * 2**n <= delay <= 0.01 * 2**n + 0.01 for n, delay in enumerate(delays))
    with override_settings(EMAIL_RETRY_DELAY=10):
        assert 10 <= retry_delay(0) <= 20 and retry_delay(30) <= 610
