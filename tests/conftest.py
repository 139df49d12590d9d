"""Fixtures every test module meets: the three people, a real SMTP sink, a real worker.

CAREERPATH_STRICT=1 (set by .ci/run) turns "this machine lacks a browser / PostgreSQL /
Redis" from a skip into a failure, so CI can never pass by skipping.
"""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache

STRICT = os.environ.get("CAREERPATH_STRICT", "") not in ("", "0", "false")
BASE_DIR = Path(settings.BASE_DIR)


def require(condition: bool, what: str) -> None:
    """Skip on a developer's machine without `what`; fail under CAREERPATH_STRICT."""
    if condition:
        return
    if STRICT:
        pytest.fail(f"{what} is required under CAREERPATH_STRICT=1 but is missing")
    pytest.skip(f"{what} is not available here (set CAREERPATH_STRICT=1 to make this a failure)")


def pytest_sessionstart(session) -> None:
    # Settings create nothing on disk; the test SQLite file and a filesystem broker need var/.
    from careerpath.celery import ensure_broker_folders

    (BASE_DIR / "var").mkdir(exist_ok=True)
    ensure_broker_folders()


@pytest.fixture(autouse=True)
def _emails_go_out_at_commit(request, monkeypatch) -> Iterator[None]:
    """Email leaves through a Celery task enqueued on commit (plans/emails.py). pytest-django runs
    each test in a transaction that never commits, so here on-commit callbacks run at once and
    tasks run inline, as a request's commit and a worker would. Tests with a real transaction
    (transactional_db, live_server) keep Django's real on_commit; tests with a real worker keep
    a real broker. tests/plans/test_email_layer.py proves a rollback sends nothing."""
    from django.db import transaction

    from careerpath.celery import app

    real_transactions = {"transactional_db", "live_server", "celery_worker_process"} & set(
        request.fixturenames
    )
    if not real_transactions:
        monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = "celery_worker_process" not in request.fixturenames
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # The real hasher costs ~1 s per user; tests check behaviour, not hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The moment `frozen_time` stops the clock at: noon UTC, so the date is TODAY in any time zone
# from UTC-12 to UTC+11.
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture
def frozen_time() -> Iterator[datetime]:
    """The clock stands still at NOW: timezone.now() is NOW and timezone.localdate() is TODAY
    for the test, its models, forms, views and factories.

    Request it before the fixtures that create rows (first argument, or
    ``pytest.mark.usefixtures("frozen_time")``) so they too are made at NOW.
    """
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # allauth's rate limits count in the cache; one test's sign-ups must not throttle the next.
    cache.clear()


@pytest.fixture
def password() -> str:
    return "correct horse battery staple 42"


def make_user(email: str, password: str, verified: bool = True):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=email.split("@")[0], email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


@pytest.fixture
def alice(db, password):
    """The owner in ownership tests."""
    return make_user("alice@example.com", password)


@pytest.fixture
def bob(db, password):
    """Another signed-in user, who must see nothing of Alice's."""
    return make_user("bob@example.com", password)


PEOPLE = {"owner": "alice", "mentor": "mentor", "stranger": "bob"}


def sign_in(client, request, person: str) -> None:
    """Sign `client` in as one of the people every view meets; "anonymous" stays signed out."""
    if person in PEOPLE:
        client.force_login(request.getfixturevalue(PEOPLE[person]))


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


# --- A real SMTP server on loopback ----------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPSink:
    """aiosmtpd on a free loopback port, keeping every message it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        self._received = threading.Condition()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._received:
            self.messages.append(message)
            self._received.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def wait_for(self, count: int = 1, timeout: float = 20) -> list[EmailMessage]:
        with self._received:
            self._received.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
        assert len(self.messages) >= count, f"expected {count} emails, got {len(self.messages)}"
        return self.messages


@pytest.fixture
def smtp_server(settings) -> Iterator[SMTPSink]:
    """Send this test's email through a real SMTP conversation with aiosmtpd."""
    sink = SMTPSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    sink.stop()


def body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""


# --- A real Celery worker process -------------------------------------------------


class WorkerProcess:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in stop())
        # A queue of its own, so a developer's running `make run` worker can't take the test's tasks.
        self.queue = f"test-{uuid.uuid4().hex[:8]}"
        cmd = [
            sys.executable, "-m", "celery", "-A", "careerpath", "worker",
            "--pool", "solo", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "-n", f"{self.queue}@%h", "-Q", self.queue,
        ]  # fmt: skip
        self.process = subprocess.Popen(cmd, cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log_path.read_text()

    def wait_for_output(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = self.output()
            if text in out:
                return out
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"worker never logged {text!r}; its log:\n{self.output()[-4000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def worker_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


@pytest.fixture
def celery_worker_process(tmp_path) -> Iterator[WorkerProcess]:
    """A real `celery worker` on the configured broker (Redis in CI, files by default).

    The worker's database is the test database, so tests that use it need
    ``transactional_db`` for their rows to be visible to the other process.
    """
    from django.db import connection

    if settings.CELERY_BROKER_URL.startswith("redis://"):
        import redis

        try:
            redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2).ping()
        except redis.RedisError:
            require(False, f"Redis at {settings.CELERY_BROKER_URL}")
    elif STRICT:
        require(False, "a Redis CELERY_BROKER_URL")
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        database_url = f"sqlite:///{db['NAME']}"
    else:
        database_url = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    env = worker_env(DATABASE_URL=database_url, CELERY_BROKER_URL=settings.CELERY_BROKER_URL)
    worker = WorkerProcess(env, tmp_path / "worker.log")
    try:
        worker.wait_for_output("ready.")
        yield worker
    finally:
        worker.stop()


# --- Headless Chromium ----------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
