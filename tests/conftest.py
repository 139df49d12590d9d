"""Fixtures every test module meets: the three people, a real SMTP sink, a real worker.

CAREERPATH_STRICT=1 (set by .ci/run) turns "this machine lacks a browser / PostgreSQL /
Redis" from a skip into a failure, so CI can never pass by skipping.
"""

import asyncio
import atexit
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
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

# Seconds any wait on something another process or thread does (a worker's start-up, an email
# arriving, a row settling) gives up after. Generous, for a 2-core machine busy with other work,
# where a Python process importing Django can take 20 s to start: a test that passes returns as
# soon as what it waits for happens, so only a failing test ever waits this long.
DEADLINE = 180


def wait_until(condition: Callable[[], bool], what: str, timeout: float = DEADLINE) -> None:
    """Poll ``condition`` until it holds; fail saying ``what`` never happened by the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


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
    _private_cache_folder()


def _private_cache_folder() -> None:
    """The default cache is a folder every process of `make run` shares (var/cache/). Each test run
    gets a folder of its own, so clearing it between tests touches neither a running app nor a
    second test run; processes a test starts are handed it as CACHE_URL."""
    import tempfile

    from django.test import override_settings

    backend = settings.CACHES["default"]["BACKEND"]
    if backend == "django.core.cache.backends.filebased.FileBasedCache":
        folder = tempfile.mkdtemp(prefix="careerpath-test-cache-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["CACHE_URL"] = f"filecache://{folder}"
        override_settings(CACHES={"default": {**settings.CACHES["default"], "LOCATION": folder}}).enable()


@pytest.fixture(autouse=True)
def _emails_go_out_at_commit(request, monkeypatch) -> Iterator[None]:
    """Email leaves through a Celery task enqueued on commit (base/emails.py). pytest-django runs
    each test in a transaction that never commits, so here on-commit callbacks run at once and
    tasks run inline, as a request's commit and a worker would. Tests with a real transaction
    (transactional_db, live_server) keep Django's real on_commit; tests with a real worker keep
    a real broker. tests/plans/test_email_layer.py proves a rollback sends nothing."""
    from django.db import transaction

    from careerpath.celery import app

    real_worker = {"celery_worker_process", "celery_workers"} & set(request.fixturenames)
    real_transactions = {"transactional_db", "live_server", *real_worker} & set(request.fixturenames)
    if not real_transactions:
        monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = not real_worker
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


@pytest.fixture(scope="module")
def shipped_ladders(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The shipped ladders, as `manage.py load_demo_data` loads them on an empty database, once for
    a module whose tests only read them (a load takes seconds; 27 tests read the same rows).

    The load stays in a transaction that is rolled back when the module's tests are done: each
    test's own transaction (the `db` fixture) nests in it as a savepoint, so what a test writes is
    undone after it, as always, and the next module finds the database empty. Not for tests with
    real transactions (transactional_db, live_server), whose flush would empty it. The first load
    in a process runs the command; later ones write the rows it wrote (load_shipped_ladders).
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        load_shipped_ladders()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# What load_demo_data wrote on an empty database, per model, once this process has run it.
_shipped_rows: list[tuple[type, list]] | None = None


def shipped_ladder_models() -> list[type]:
    """The tables load_demo_data writes: the skills app's (with their history and many-to-many
    tables) and base.Version (the ladders' version token)."""
    from django.apps import apps

    from base.models import Version

    return [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label == "skills"] + [
        Version
    ]


def load_shipped_ladders() -> None:
    """The database as `manage.py load_demo_data` leaves it, for tests with real transactions
    (live_server), which start on an empty database and so cannot share one load.

    The first call in a process on an empty database runs the command and keeps the rows it wrote;
    later calls on an empty database write those same rows back in one transaction, in a fraction
    of the seconds an import takes. Where ladder rows are already there, the command runs, as it
    would. The command and the import themselves are tested in tests/skills/.
    """
    global _shipped_rows
    import copy

    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction

    models = shipped_ladder_models()
    empty = not any(model.objects.exists() for model in models)
    if not empty or _shipped_rows is None:
        call_command("load_demo_data", verbosity=0)
        if empty:
            _shipped_rows = [(model, list(model.objects.order_by("pk"))) for model in models]
        return
    with transaction.atomic():  # foreign keys are checked at commit: the tables go in any order
        for model, rows in _shipped_rows:
            model.objects.bulk_create([copy.copy(row) for row in rows])
        with connection.cursor() as cursor:  # PostgreSQL's sequences go on after the rows' ids
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


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
    """aiosmtpd on a loopback port (a free one unless given), keeping every message it receives.

    With ``delay`` it is a slow server: each message waits that long before it is accepted."""

    def __init__(self, port: int | None = None, delay: float = 0.0) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        self._received = threading.Condition()
        self.port = port or free_port()
        self.delay = delay
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._received:
            self.messages.append(message)
            self._received.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def wait_for(self, count: int = 1, timeout: float = DEADLINE) -> list[EmailMessage]:
        with self._received:
            self._received.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
        assert len(self.messages) >= count, f"expected {count} emails, got {len(self.messages)}"
        return self.messages


@pytest.fixture
def smtp_server(settings) -> Iterator[SMTPSink]:
    """Send this test's email through a real SMTP conversation with aiosmtpd."""
    sink = SMTPSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # what EMAIL_URL=smtp://… selects
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


# `celery -A careerpath worker` whose default queue is the queue it consumes, so what its tasks
# enqueue (the sends of a sweep that beat asked for) stays with it too.
WORKER_MAIN = (
    "import os, sys; from careerpath.celery import app; "
    "app.conf.task_default_queue = os.environ['CAREERPATH_WORKER_QUEUE']; app.worker_main(sys.argv[1:])"
)


def new_queue_name() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


class WorkerProcess:
    def __init__(self, env: dict[str, str], log_path: Path, queue: str | None = None) -> None:
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in kill())
        # A queue of its own, so a developer's running `make run` worker can't take the test's tasks.
        self.queue = queue or new_queue_name()
        cmd = [
            sys.executable,
            "-c",
            WORKER_MAIN,
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{uuid.uuid4().hex[:8]}@%h",
            "-Q",
            self.queue,
        ]
        env = {**env, "CAREERPATH_WORKER_QUEUE": self.queue}
        self.process = subprocess.Popen(cmd, cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log_path.read_text()

    def wait_for_output(self, text: str, timeout: float = DEADLINE) -> str:
        """Wait until the worker has logged ``text``; fail at once if the worker exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = self.output()
            if text in out:
                return out
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"worker never logged {text!r}; its log:\n{self.output()[-4000:]}")

    def wait_until_ready(self) -> None:
        self.wait_for_output("ready.")

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, nothing acknowledged or committed after this instant."""
        self.process.kill()
        self.process.wait(timeout=15)
        if not self.log.closed:
            self.log.close()


def worker_env(**extra: str) -> dict[str, str]:
    """This process's environment for another (worker, beat, gunicorn, manage.py): a filesystem
    broker is looked at every 0.1 s, not every second, so a test waits less for each hop."""
    env = {"CELERY_BROKER_POLLING_INTERVAL": "0.1", **os.environ, **extra}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


def require_configured_broker() -> None:
    """The configured broker answers (Redis in CI); under CAREERPATH_STRICT it must be Redis."""
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        import redis

        try:
            redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2).ping()
        except redis.RedisError:
            require(False, f"Redis at {settings.CELERY_BROKER_URL}")
    elif STRICT:
        require(False, "a Redis CELERY_BROKER_URL")


def shared_database_url() -> str:
    """DATABASE_URL for another process (worker, beat, manage.py) to use the test database."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_workers(tmp_path) -> Iterator[Callable[..., WorkerProcess]]:
    """Start real `celery worker` processes as a test needs them; all are stopped at its end.

    ``celery_workers(queue=None, broker_url=None, ready=True, **env)``: a worker on the test
    database, consuming ``queue`` (a new one by default) on ``broker_url`` (the configured broker
    by default, whose presence is required), with extra environment such as EMAIL_URL. It returns
    once the worker is ready; with ``ready=False`` at once, so that several workers start side by
    side (then call ``wait_until_ready()`` on each). Tests using it need ``transactional_db``.
    """
    workers: list[WorkerProcess] = []

    def start(
        *, queue: str | None = None, broker_url: str | None = None, ready: bool = True, **extra_env: str
    ) -> WorkerProcess:
        if broker_url is None:
            require_configured_broker()
        env = worker_env(
            DATABASE_URL=shared_database_url(),
            CELERY_BROKER_URL=broker_url or settings.CELERY_BROKER_URL,
            **extra_env,
        )
        worker = WorkerProcess(env, tmp_path / f"worker-{len(workers) + 1}.log", queue=queue)
        workers.append(worker)
        if ready:
            worker.wait_until_ready()
        return worker

    try:
        yield start
    finally:
        # SIGKILL: the test is over, so nothing a warm shutdown would finish is still wanted, and
        # a warm shutdown costs seconds a worker (the broker's poll). Tests of a warm shutdown
        # stop their worker themselves.
        for worker in workers:
            worker.kill()


@pytest.fixture
def celery_worker_process(celery_workers) -> WorkerProcess:
    """A real `celery worker` on the configured broker (Redis in CI, files by default).

    The worker's database is the test database, so tests that use it need
    ``transactional_db`` for their rows to be visible to the other process.
    """
    return celery_workers()


# --- A private Redis server -----------------------------------------------------------


class RedisServer:
    """`redis-server` on a free loopback port with no persistence: a restart empties it."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=2)

    def start(self) -> None:
        import redis

        cmd = [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.directory),
        ]
        self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + DEADLINE
        while True:
            try:
                self.client().ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    """A Redis of the test's own (needs the redis-server binary; required under CAREERPATH_STRICT)."""
    require(bool(shutil.which("redis-server")), "redis-server")
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- Headless Chromium ----------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
