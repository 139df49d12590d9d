"""Email is sent with no database transaction open (issue 20).

A send claims its row (pending → sending) and commits, talks to the SMTP server with nothing
locked, then marks the row sent, or puts it back to pending with the error. On SQLite, where any
open write transaction holds the whole database's write lock, an SMTP server that hangs must
therefore cost the web nothing: here a check-in is recorded while a digest or an invitation is
stuck in the SMTP conversation, on a server that accepts the connection and then says nothing
more. The row is retried later and the email leaves once, when a server answers.
"""

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.db import connection as db_connection
from django.urls import reverse
from django.utils import timezone

from base.models import SEND_STALE_AFTER, OutgoingEmail
from base.tasks import send_email
from goals.models import ReminderDelivery
from goals.reminders import sweep
from goals.reminders.tasks import send_deliveries
from tests.conftest import SMTPSink
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

# Every wait in this module gives up after this long.
TIMEOUT = 30
# What a web write may take while an email is stuck in the SMTP conversation.
WEB_WRITE_BUDGET = 1.0


class HungSMTPServer:
    """A TCP listener on loopback that never answers a client (``after_data=False``), or that
    speaks SMTP up to the end of a message and then never confirms it (``after_data=True``): a
    mail server hung before the greeting or hung on the message. ``hung`` is set once a client
    is waiting on it; close() drops every connection."""

    def __init__(self, *, after_data: bool) -> None:
        self.after_data = after_data
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.hung = threading.Event()
        self.clients: list[socket.socket] = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            self.clients.append(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        if not self.after_data:
            self.hung.set()
            return  # the client waits for a greeting that never comes
        try:
            reader = client.makefile("rb")
            client.sendall(b"220 hung.example ESMTP\r\n")
            for line in reader:
                command = line[:4].upper()
                if command in (b"EHLO", b"HELO"):
                    client.sendall(b"250 hung.example\r\n")
                elif command == b"DATA":
                    client.sendall(b"354 go ahead\r\n")
                    for body_line in reader:
                        if body_line == b".\r\n":
                            break
                    self.hung.set()
                    return  # the message is in; its "250" never comes
                elif command == b"QUIT":
                    client.sendall(b"221 bye\r\n")
                    return
                else:
                    client.sendall(b"250 OK\r\n")
        except OSError:
            return

    def close(self) -> None:
        self.closed = True
        self.listener.close()
        for client in self.clients:
            with contextlib.suppress(OSError):  # already gone
                client.shutdown(socket.SHUT_RDWR)
            client.close()


@pytest.fixture
def use_smtp(settings) -> Callable[[int], None]:
    """Send this test's email over SMTP to a port on loopback."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # what EMAIL_URL=smtp://… selects
    settings.EMAIL_HOST, settings.EMAIL_USE_TLS = "127.0.0.1", False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""

    def use(port: int) -> None:
        settings.EMAIL_PORT = port

    return use


@pytest.fixture
def hung_server() -> Iterator[Callable[..., HungSMTPServer]]:
    servers: list[HungSMTPServer] = []

    def start(*, after_data: bool) -> HungSMTPServer:
        servers.append(HungSMTPServer(after_data=after_data))
        return servers[-1]

    yield start
    for server in servers:
        if not server.closed:
            server.close()


class Sender(threading.Thread):
    """Runs ``send`` in a thread of its own, with a database connection of its own, as a worker
    process would; keeps what it raised."""

    def __init__(self, send: Callable[[], object]) -> None:
        super().__init__(daemon=True)
        self.send, self.error = send, None

    def run(self) -> None:
        try:
            self.send()
        except Exception as error:  # the SMTP error a task would retry on
            self.error = error
        finally:
            db_connection.close()


def wait_until(condition: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up after {timeout:.0f} s waiting for {what}"
        time.sleep(0.05)


@pytest.fixture
def alice_with_a_goal(transactional_db, alice):
    plan = CareerPlanFactory(owner=alice)
    start = timezone.localdate() - timedelta(days=20)
    return GoalFactory(
        plan=plan,
        title="Interview five customers",
        unit="interviews",
        baseline=0,
        target=5,
        start_date=start,
        deadline=start + timedelta(days=180),
        next_reminder_at=timezone.now() - timedelta(minutes=5),
    )


def a_digest(goal) -> tuple[type, int, Callable[[], object]]:
    """Alice's digest, claimed by a sweep and sent as a worker's task sends a set (one SMTP
    connection opened first, then each digest over it)."""
    [delivery_id] = sweep.sweep(enqueue=False).deliveries
    return ReminderDelivery, delivery_id, lambda: send_deliveries.run([delivery_id])


def an_invitation(goal) -> tuple[type, int, Callable[[], object]]:
    """An email in the outbox (a mentor's invitation), sent as a worker's task sends it."""
    email = OutgoingEmail.objects.create(
        kind="plan_invitation", to="mentor@example.com", subject="Read my plan", text="Hello", html=""
    )
    return OutgoingEmail, email.pk, lambda: send_email.run(email.pk)


@pytest.mark.parametrize("kind", [a_digest, an_invitation], ids=["digest", "invitation"])
def test_a_check_in_is_recorded_at_once_while_smtp_hangs_and_the_email_leaves_once_later(
    kind, alice_with_a_goal, alice_client, use_smtp, hung_server
):
    goal = alice_with_a_goal
    server = hung_server(after_data=True)
    use_smtp(server.port)
    model, pk, send = kind(goal)
    check_in_url = reverse("goals:check_in_add", args=[goal.pk])
    alice_client.get(check_in_url)  # templates and session warm, so the POST below times the write

    sender = Sender(send)
    sender.start()
    assert server.hung.wait(TIMEOUT), "the email never reached the server"
    assert model.objects.get(pk=pk).status == "sending"  # what the admin lists show meanwhile

    started = time.monotonic()
    response = alice_client.post(check_in_url, {"value": "2", "note": "while SMTP hangs"})
    took = time.monotonic() - started

    assert response.status_code == 302
    assert goal.check_ins.filter(note="while SMTP hangs").exists()
    print(f"\ncheck-in POST with SMTP hung: {took * 1000:.0f} ms")
    assert took < WEB_WRITE_BUDGET, f"the check-in took {took:.1f} s while SMTP hung"

    server.close()  # the hung server drops the connection: the send fails
    sender.join(TIMEOUT)
    assert not sender.is_alive()
    assert sender.error is not None
    row = model.objects.get(pk=pk)
    assert (row.status, row.attempts, row.sent_at) == ("pending", 1, None)
    assert row.last_error

    # A server answers now; the sweep, past the wait for a lost task, hands the row to a worker.
    sink = SMTPSink()
    sink.start()
    try:
        use_smtp(sink.port)
        later = timezone.now() + SEND_STALE_AFTER + timedelta(minutes=1)
        assert sweep.requeue_stale(now=later) == 1
        [message] = sink.wait_for(1, timeout=TIMEOUT)
        # Nothing more goes out: another sweep finds nothing to do.
        assert sweep.requeue_stale(now=later + timedelta(hours=1)) == 0
        assert len(sink.messages) == 1
    finally:
        sink.stop()
    assert message["To"] == ("alice@example.com" if model is ReminderDelivery else "mentor@example.com")
    row = model.objects.get(pk=pk)
    assert (row.status, row.attempts) == ("sent", 2)
    assert row.sent_at is not None


def test_a_server_that_never_answers_fails_the_send_after_email_timeout(
    transactional_db, alice_with_a_goal, use_smtp, hung_server, settings
):
    server = hung_server(after_data=False)
    use_smtp(server.port)
    settings.EMAIL_TIMEOUT = 0.25  # a real socket timeout, short: the claim is who decides, not how long
    _, pk, send = an_invitation(alice_with_a_goal)

    sender = Sender(send)
    started = time.monotonic()
    sender.start()
    sender.join(TIMEOUT)

    assert not sender.is_alive(), "the send is still waiting on the server"
    assert "timed out" in str(sender.error)
    # The timeout, not the server, decided.
    assert time.monotonic() - started < settings.EMAIL_TIMEOUT + WEB_WRITE_BUDGET * 5
    row = OutgoingEmail.objects.get(pk=pk)
    assert (row.status, row.attempts) == ("pending", 1) and "timed out" in row.last_error


def test_email_timeout_is_10_seconds_unless_the_environment_says_otherwise():
    import os

    from tests.core.test_settings import settings_read_from

    env = {key: value for key, value in os.environ.items() if key != "EMAIL_TIMEOUT"}
    assert settings_read_from(env)["EMAIL_TIMEOUT"] == 10
    assert settings_read_from({**env, "EMAIL_TIMEOUT": "3"})["EMAIL_TIMEOUT"] == 3


@pytest.mark.parametrize("model", [ReminderDelivery, OutgoingEmail], ids=["deliveries", "outbox"])
def test_the_admin_lists_show_the_emails_being_sent(admin_client, alice, model):
    if model is ReminderDelivery:
        ReminderDelivery.objects.create(user=alice, period=timezone.localdate(), status="sending")
    else:
        OutgoingEmail.objects.create(
            kind="x", to="mentor@example.com", subject="Hi", text="Hi", status="sending"
        )
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    page = admin_client.get(url, {"status__exact": "sending"}).content.decode()

    assert '<td class="field-status">Sending</td>' in page
    assert 'title="Sending"' in page or ">Sending</a>" in page  # the status filter offers it
