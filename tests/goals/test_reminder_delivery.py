"""Reminder digests delivered end to end, with real parts: the sweep, the configured broker, real
`celery worker` and `celery beat` processes on the test database, and an SMTP server (aiosmtpd).

What is asserted is what people notice: which emails arrive, to whom, with whose goals, and that
nobody gets a digest twice, when two sweeps or two beats run at once, a worker is killed mid-batch,
the SMTP server is down for a while, or Redis restarts with the messages in it. The rules behind
it are in goals/reminders/sweep.py and goals/reminders/sending.py; tests/goals/test_reminders.py has the unit
tests, run inline.

CI runs this twice: on SQLite with the filesystem broker, and on PostgreSQL with Redis under
CAREERPATH_STRICT=1 (nothing may skip there).
"""

import re
import subprocess
import sys
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from base.models import SEND_STALE_AFTER
from careerpath.celery import app, ping
from goals.models import Goal, ReminderDelivery
from goals.reminders import sweep
from tests.conftest import (
    BASE_DIR,
    DEADLINE,
    SMTPSink,
    body_text,
    free_port,
    make_user,
    new_queue_name,
    shared_database_url,
    wait_until,
    worker_env,
)
from tests.factories import RoleFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

# transactional_db first, so it is torn down (flushed) after the processes below have stopped.
pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("transactional_db")]


@dataclass(frozen=True)
class Person:
    email: str
    tag: str  # in each of their goal titles, and nobody else's
    titles: tuple[str, ...]


def make_people(count: int, *, first: int = 1, due: bool = True) -> list[Person]:
    """People with a verified address, an active plan and two goals whose reminder is due now
    (or tomorrow with ``due=False``)."""
    current = RoleFactory(level=1)
    target = RoleFactory(track=current.track, level=2)
    when = timezone.now() + (timedelta(minutes=-5) if due else timedelta(days=1))
    people = []
    for number in range(first, first + count):
        tag = f"P{number:03d}"
        person = Person(
            email=f"person{number:03d}@example.com",
            tag=tag,
            titles=(f"Interview five customers {tag}", f"Ship a pricing test {tag}"),
        )
        plan = CareerPlanFactory(
            owner=make_user(person.email, "pw"), current_role=current, target_role=target
        )
        for title in person.titles:
            GoalFactory(
                plan=plan,
                title=title,
                next_reminder_at=when,
                start_date=timezone.localdate() - timedelta(days=20),
            )
        people.append(person)
    return people


def make_due(people: list[Person]) -> None:
    for tag in (person.tag for person in people):
        Goal.objects.filter(title__endswith=f" {tag}").update(
            next_reminder_at=timezone.now() - timedelta(minutes=1)
        )


def smtp_url(port: int) -> str:
    return f"smtp://127.0.0.1:{port}"


def html_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part else ""


def recipients(messages: list[EmailMessage]) -> Counter:
    return Counter(str(message["To"]) for message in messages)


def assert_digests(messages: list[EmailMessage], people: list[Person], *, most_each: int = 1) -> None:
    """Every person got a digest (at most ``most_each``), with both of their goals and no one else's;
    nobody else got anything."""
    by_person = {person.email: person for person in people}
    counts = recipients(messages)
    assert set(counts) == set(by_person), f"digests went to {sorted(counts)}"
    assert max(counts.values()) <= most_each, f"digests per person: {counts}"
    for message in messages:
        person = by_person[str(message["To"])]
        text, html = body_text(message), html_text(message)
        for title in person.titles:
            assert title in text and title in html, f"{title!r} missing from {person.email}'s digest"
        others = [other.tag for other in people if other is not person]
        leaked = [tag for tag in others if tag in text or tag in html]
        assert not leaked, f"{person.email}'s digest names other people's goals: {leaked}"
        assert message["List-Unsubscribe"] and message["List-Unsubscribe-Post"]


UNSETTLED = (ReminderDelivery.Status.PENDING, ReminderDelivery.Status.SENDING)


def nothing_pending() -> bool:
    """Every delivery is settled (none waiting, none on its way), so no worker has a digest left."""
    return not ReminderDelivery.objects.filter(status__in=UNSETTLED).exists()


def wait_until_delivered(sink: SMTPSink, people: list[Person]) -> None:
    def everyone_has_one() -> bool:
        return set(recipients(list(sink.messages))) >= {person.email for person in people}

    wait_until(everyone_has_one, f"a digest for each of {len(people)} people")
    wait_until(nothing_pending, "every delivery to be sent")


# --- Other processes: sweeps and beats --------------------------------------------------------

SWEEP = (
    "import os; from datetime import timedelta; from django.utils import timezone; "
    "from careerpath.celery import app; from goals.reminders import sweep; "
    "app.conf.task_default_queue = os.environ['CAREERPATH_WORKER_QUEUE']; "
    "ahead = timedelta(seconds=int(os.environ['SWEEP_AHEAD_SECONDS'])); "
    "print(sweep.sweep(now=timezone.now() + ahead))"
)


class Processes:
    """Sweeps (`manage.py shell`) and beats started by a test on the test database; stopped at its end."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def _start(self, name: str, cmd: list[str], env: dict[str, str]) -> tuple[subprocess.Popen, Path]:
        log = self.tmp_path / f"{name}-{len(self.started) + 1}.log"
        with open(log, "w") as out:
            process = subprocess.Popen(cmd, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.started.append((process, log))
        return process, log

    def env(self, queue: str, broker_url: str | None) -> dict[str, str]:
        return worker_env(
            DATABASE_URL=shared_database_url(),
            CELERY_BROKER_URL=broker_url or settings.CELERY_BROKER_URL,
            CAREERPATH_WORKER_QUEUE=queue,
        )

    def sweep(self, queue: str, *, broker_url: str | None = None, ahead: timedelta = timedelta()):
        """Start `manage.py shell -c "sweep()"`, its sends routed to ``queue``."""
        env = {**self.env(queue, broker_url), "SWEEP_AHEAD_SECONDS": str(int(ahead.total_seconds()))}
        return self._start("sweep", [sys.executable, "manage.py", "shell", "-c", SWEEP], env)

    def run_sweep(self, queue: str, **kwargs) -> str:
        process, log = self.sweep(queue, **kwargs)
        returncode = process.wait(timeout=DEADLINE)
        assert returncode == 0, f"the sweep failed:\n{log.read_text()[-4000:]}"
        return log.read_text()

    def beat(self, queue: str) -> tuple[subprocess.Popen, Path]:
        """`celery beat` with the DatabaseScheduler (settings) on the test database."""
        number = len(self.started) + 1
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "careerpath",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(self.tmp_path / f"beat-{number}.schedule"),
            "--pidfile",
            str(self.tmp_path / f"beat-{number}.pid"),
            "--max-interval",
            "1",
        ]
        return self._start("beat", cmd, self.env(queue, None))

    def stop(self) -> None:
        """SIGKILL each: the test is over, and a warm shutdown would cost seconds a process."""
        for process, _ in self.started:
            process.kill()
        for process, _ in self.started:
            process.wait(timeout=15)


@pytest.fixture
def processes(tmp_path) -> Iterator[Processes]:
    started = Processes(tmp_path)
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def route_to() -> Iterator[Callable[[str], None]]:
    """Send what this process enqueues (the sweep's sends) to a test worker's queue."""
    default = app.conf.task_default_queue

    def route(queue: str) -> None:
        app.conf.task_default_queue = queue

    try:
        yield route
    finally:
        app.conf.task_default_queue = default


SWEEP_CLAIMED = re.compile(r"SweepResult\(claimed=(\d+)")
BEAT_SWEEP_CLAIMED = re.compile(r"Task goals\.tasks\.sweep_reminders\[[^\]]+\] succeeded in [\d.]+s: (\d+)")
BEAT_SENT = "Sending due task Send due reminder digests"


def beat_sends(log: Path) -> int:
    """How many sweeps this beat has sent."""
    return log.read_text().count(BEAT_SENT)


def beat_sweeps_claimed(worker_logs: list[Path]) -> list[int]:
    """The goals claimed by each beat-sent sweep the workers have run to the end."""
    return [int(n) for log in worker_logs for n in BEAT_SWEEP_CLAIMED.findall(log.read_text())]


# --- The tests -----------------------------------------------------------------------------


def test_each_person_due_gets_one_digest_with_their_own_goals(celery_workers, smtp_server, route_to):
    people = make_people(5)
    [not_due] = make_people(1, first=6, due=False)
    worker = celery_workers(EMAIL_URL=smtp_url(smtp_server.port))
    route_to(worker.queue)

    result = sweep.sweep()

    assert len(result.deliveries) == 5
    wait_until_delivered(smtp_server, people)
    assert len(smtp_server.messages) == 5
    assert_digests(smtp_server.messages, people)
    assert not_due.email not in recipients(smtp_server.messages)


def test_two_sweeps_and_two_beats_at_once_send_each_digest_once(celery_workers, smtp_server, processes):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    first_wave = make_people(4)
    second_wave = make_people(4, first=5, due=False)
    email_url = smtp_url(smtp_server.port)
    # Two workers on one queue, starting side by side rather than one after the other.
    first = celery_workers(EMAIL_URL=email_url, ready=False)
    workers = [first, celery_workers(queue=first.queue, EMAIL_URL=email_url, ready=False)]
    for worker in workers:
        worker.wait_until_ready()
    queue = first.queue
    # The shipped schedule (migration goals/0004), every two seconds, on the test workers' queue.
    every_two, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update_or_create(
        name="Send due reminder digests",
        defaults={
            "task": "goals.tasks.sweep_reminders",
            "interval": every_two,
            "queue": queue,
            "enabled": True,
        },
    )

    # Two sweeps and two beats at the same moment, on the first wave.
    sweeps = [processes.sweep(queue) for _ in range(2)]
    beats = [processes.beat(queue) for _ in range(2)]
    for process, log in sweeps:
        assert process.wait(timeout=DEADLINE) == 0, f"a sweep failed:\n{log.read_text()[-4000:]}"
    wait_until_delivered(smtp_server, first_wave)

    # The second wave falls due once both beats run (each has sent a sweep; a beat starts as slowly
    # as a worker): only their sweeps, on two workers, claim it.
    beat_logs = [log for _, log in beats]
    wait_until(lambda: all(beat_sends(log) for log in beat_logs), "both beats to send a sweep")
    make_due(second_wave)
    wait_until_delivered(smtp_server, first_wave + second_wave)
    # Both beats keep sending sweeps after that, and nothing more arrives: each sends another, and
    # the workers run every sweep the beats have sent by then (later ones find nothing due).
    sent_so_far = [beat_sends(log) for log in beat_logs]
    wait_until(
        lambda: all(beat_sends(log) > n for log, n in zip(beat_logs, sent_so_far, strict=True)),
        "each beat to send another sweep",
    )
    sent = sum(beat_sends(log) for log in beat_logs)
    worker_logs = [worker.log_path for worker in workers]
    wait_until(
        lambda: len(beat_sweeps_claimed(worker_logs)) >= sent,
        f"the workers to run the {sent} sweeps the beats sent",
    )
    wait_until(nothing_pending, "every delivery to be sent")
    # Each of the 16 goals was claimed by exactly one of all those sweeps; beats claimed the second wave.
    by_beats = beat_sweeps_claimed(worker_logs)
    by_sweeps = [int(n) for _, log in sweeps for n in SWEEP_CLAIMED.findall(log.read_text())]
    assert len(by_sweeps) == 2 and sum(by_beats) >= 8
    assert sum(by_sweeps) + sum(by_beats) == 16

    assert len(smtp_server.messages) == 8
    assert_digests(smtp_server.messages, first_wave + second_wave)


def test_a_worker_killed_mid_batch_loses_no_digest(celery_workers, route_to):
    people = make_people(24)
    # A slow SMTP server (each message takes a quarter second) so the kill lands mid-batch.
    sink = SMTPSink(delay=0.25)
    sink.start()
    try:
        worker = celery_workers(EMAIL_URL=smtp_url(sink.port))
        route_to(worker.queue)
        sweep.sweep()
        # Killed a moment after the server took the third digest, likely before the worker committed
        # it as sent: the worst moment, when that one digest can go out twice.
        sink.wait_for(3)
        worker.kill()
        before_kill = len(sink.messages)
        sink.delay = 0  # the kill has landed: the replacement need not send slowly
        assert before_kill < len(people), "the worker finished before it was killed"

        replacement = celery_workers(queue=worker.queue, EMAIL_URL=smtp_url(sink.port))
        # The killed worker's message is lost (files) or unacknowledged for an hour (Redis): a
        # sweep past STALE_AFTER hands the pending deliveries to the new worker.
        later = timezone.now() + SEND_STALE_AFTER + timedelta(minutes=1)
        assert sweep.sweep(now=later).requeued >= len(people) - before_kill - 1
        wait_until_delivered(sink, people)
        # Its task logs success a moment after its last digest is marked sent: wait for the line.
        replacement.wait_for_output("succeeded")

        counts = recipients(sink.messages)
        duplicates = sum(count - 1 for count in counts.values())
        print(f"\nkilled mid-batch after {before_kill} of {len(people)} digests; duplicates: {duplicates}")
        if duplicates:
            # Only a kill between the SMTP server's acceptance and the commit can cause one.
            warnings.warn(f"the worker kill caused {duplicates} duplicate digest(s)", stacklevel=1)
        assert_digests(sink.messages, people, most_each=2)
        assert duplicates <= 1
        if duplicates:  # and it is the digest the server had just taken when the worker died
            twice = {to for to, count in counts.items() if count == 2}
            assert twice == {str(sink.messages[before_kill - 1]["To"])}
    finally:
        sink.stop()


def test_digests_wait_while_smtp_is_down_and_go_out_once_it_is_back(celery_workers, route_to):
    people = make_people(4)
    port = free_port()  # nothing listens here yet
    # Back-off from 0.2 s (EMAIL_RETRY_DELAY), not 10: the retry is the event this test waits for,
    # and eight retries doubling from 0.2 s give the server 50 s to come back.
    worker = celery_workers(EMAIL_URL=smtp_url(port), EMAIL_RETRY_DELAY="0.2")
    route_to(worker.queue)

    sweep.sweep()
    worker.wait_for_output("retry: Retry in")  # connection refused: backing off
    assert not nothing_pending()  # the digests wait; the server comes back only now
    sink = SMTPSink(port=port)
    sink.start()
    try:
        wait_until_delivered(sink, people)
        assert len(sink.messages) == 4
        assert_digests(sink.messages, people)
    finally:
        sink.stop()


def test_a_redis_restart_between_sweep_and_send_loses_no_digest(
    redis_server, celery_workers, smtp_server, processes
):
    people = make_people(4)
    queue = new_queue_name()
    redis = redis_server.client()

    processes.run_sweep(queue, broker_url=redis_server.url)  # no worker yet: the sends wait in Redis
    assert redis.llen(queue) >= 1
    redis_server.restart()  # with no persistence, the queued sends are gone
    assert redis.llen(queue) == 0

    worker = celery_workers(queue=queue, broker_url=redis_server.url, EMAIL_URL=smtp_url(smtp_server.port))
    # Lost with the restart: nothing arrives by itself. A ping queued now is taken after anything
    # left in the queue, so once the worker has run it, it has had every send there was to take.
    with app.connection_for_write(redis_server.url) as connection:
        barrier = ping.apply_async(queue=queue, connection=connection)
    worker.wait_for_output(f"Task careerpath.ping[{barrier.id}] succeeded")
    assert "Task goals.tasks.send_deliveries[" not in worker.output()
    assert smtp_server.messages == []

    # A sweep past STALE_AFTER finds the deliveries still pending and enqueues them again.
    processes.run_sweep(queue, broker_url=redis_server.url, ahead=SEND_STALE_AFTER + timedelta(minutes=1))
    wait_until_delivered(smtp_server, people)
    assert len(smtp_server.messages) == 4
    assert_digests(smtp_server.messages, people)
