"""Reminder benchmark on PostgreSQL (`make bench`, or `python bench/reminders.py` alone).

Figures and ratios measured in one run, on a scratch database it creates and drops:

1. Data: 100,000 people (user, verified primary address, a third with their own reminder
   settings in a dozen time zones), one active plan each and 1,000,000 goals, 100,000 of them
   due (one per person), written with INSERT … SELECT generate_series.
2. The sweep, ``goals.reminders.sweep(enqueue=False)``, against the floor: a hand-written SQL
   loop doing the same claim in batches of 1,000 (SELECT … FOR UPDATE SKIP LOCKED, INSERT … ON
   CONFLICT DO NOTHING into the deliveries, the reschedule UPDATE), each on its own fresh copy
   of the data (CREATE DATABASE … TEMPLATE). Targets: sweep/floor ≤ 2, peak memory ≤ 300 MB,
   and the due query an index scan on goal_due_reminder_idx (its EXPLAIN is printed).
3. Digests per second: one real Celery worker as `make serve` runs it (the prefork pool,
   ``--concurrency`` CELERY_CONCURRENCY or 2 x cores; Redis broker, a private queue) sending 2,000 digests
   to an aiosmtpd sink in its own process, against a bare smtplib loop sending the very messages
   the sink received over one connection, in rounds (each pool, then the bare loop), the best
   of each compared. Target: ratio ≥ 0.3; below it the figure is reported with a profile
   (docs/reminder-benchmark.md), never bought with a private API or a hand-written standard. The same worker with two processes (``make run``'s)
   and with ``--pool solo`` (one process) is measured too, for the record.

Settings: BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL
(redis://127.0.0.1:6379/0). Without Redis the digests are sent in-process, and it says so.
"""

import contextlib
import gc
import multiprocessing
import os
import resource
import smtplib
import socket
import subprocess
import sys
import time
import tracemalloc
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SOURCE = "careerpath_bench"
ROUNDS = 2  # floor, sweep, floor, sweep: each on its own fresh copy; the best of each is compared
FLOOR_DBS = [f"{SOURCE}_floor{i}" for i in range(ROUNDS)]
SWEEP_DBS = [f"{SOURCE}_sweep{i}" for i in range(ROUNDS)]
TRACED_DB = f"{SOURCE}_traced"
ALL_DBS = (*FLOOR_DBS, *SWEEP_DBS, TRACED_DB, SOURCE)

PEOPLE = 100_000
GOALS_PER_PERSON = 10  # goal 0 of each person is due; 1–7 due later; 8–9 completed
BATCH = 1000
DIGESTS = 2000
WARM_UP_DIGESTS = 400  # four tasks: every process of the pool has sent digests before the timing
TARGET_RATIO, TARGET_MB, TARGET_DIGEST_RATIO = 2.0, 300, 0.3

ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Helsinki",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
]


# --- PostgreSQL -------------------------------------------------------------------------------


def pg_connect(dbname: str):
    import psycopg2

    url = urlsplit(PG_URL)
    conn = psycopg2.connect(
        dbname=dbname,
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
    )
    conn.autocommit = True
    return conn


def drop_databases() -> None:
    with contextlib.closing(pg_connect("postgres")) as admin, admin.cursor() as cur:
        for name in ALL_DBS:
            cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def copy_database(template: str, name: str) -> None:
    with contextlib.closing(pg_connect("postgres")) as admin, admin.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")


def generate(now: datetime) -> None:
    """The people, their plans and goals, in bulk: a few INSERT … SELECT generate_series."""
    with contextlib.closing(pg_connect(SOURCE)) as conn, conn.cursor() as cur:
        conn.autocommit = False
        # The rows are consistent by construction: skip the deferred foreign-key checks.
        cur.execute("SET session_replication_role = replica")
        cur.execute(
            "INSERT INTO skills_track (name, slug, description) VALUES ('Bench', 'bench', '') RETURNING id"
        )
        (track,) = cur.fetchone()
        cur.execute(
            "INSERT INTO skills_role (title, slug, level, summary, responsibilities, is_entry_point, track_id, "
            "standard, external_id) "
            "VALUES ('Analyst', 'analyst', 1, '', '', true, %(t)s, '', ''), "
            "('Lead', 'lead', 3, '', '', false, %(t)s, '', '') "
            "RETURNING id",
            {"t": track},
        )
        current, target = (row[0] for row in cur.fetchall())
        params = {"n": PEOPLE, "now": now, "zones": ZONES, "current": current, "target": target}
        cur.execute(
            "INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, "
            "is_staff, is_active, date_joined) "
            "SELECT g, '!', false, 'person' || g, '', '', 'person' || g || '@bench.example', false, true, "
            "%(now)s - interval '90 days' FROM generate_series(1, %(n)s) g",
            params,
        )
        cur.execute(
            'INSERT INTO account_emailaddress (email, verified, "primary", user_id) '
            "SELECT 'person' || g || '@bench.example', true, true, g FROM generate_series(1, %(n)s) g",
            params,
        )
        # A third of them chose their own slot: 12 zones x 5 hours x 3 weekdays; 2% paused, 1% unsubscribed.
        cur.execute(
            "INSERT INTO goals_remindersettings (timezone, hour, weekday, default_cadence, paused_until, "
            "unsubscribed_at, updated_at, user_id) "
            "SELECT (%(zones)s::text[])[1 + g %% 12], (ARRAY[8, 9, 10, 12, 17])[1 + (g / 12) %% 5], "
            "(ARRAY[0, 2, 4])[1 + (g / 60) %% 3], 'weekly', "
            "CASE WHEN g %% 50 = 9 THEN %(now)s::date + 10 END, "
            "CASE WHEN g %% 100 = 21 THEN %(now)s - interval '30 days' END, %(now)s, g "
            "FROM generate_series(3, %(n)s, 3) g",
            params,
        )
        cur.execute(
            "INSERT INTO plans_careerplan (id, title, vision, status, is_primary, created_at, updated_at, "
            "current_role_id, owner_id, target_role_id, chosen_levels) "
            "SELECT g, 'Plan ' || g, '', 'active', true, %(now)s - interval '60 days', "
            "%(now)s - interval '60 days', %(current)s, g, %(target)s, '{}' FROM generate_series(1, %(n)s) g",
            params,
        )
        # Goal g belongs to plan p = (g - 1) / 10 + 1 and is its k = (g - 1) %% 10-th goal.
        cur.execute(
            "INSERT INTO goals_goal (id, title, description, metric, unit, baseline, target, plan_of_attack, "
            "effort, relevance, start_date, deadline, status, reminder_cadence, next_reminder_at, created_at, "
            "completed_at, plan_id) "
            "SELECT g, 'Goal ' || g, '', 'sessions', 'sessions', 0, 10, '', '', '', "
            "%(now)s::date - 60, %(now)s::date - 10 + g %% 130, "
            "CASE WHEN k >= 8 THEN 'completed' ELSE 'active' END, "
            "CASE WHEN (p + k) %% 20 = 0 THEN 'monthly' WHEN (p + k) %% 7 = 0 THEN 'fortnightly' ELSE 'weekly' END, "
            "CASE WHEN k = 0 THEN %(now)s - make_interval(secs => (g::bigint * 7919) %% 518400) "
            "WHEN k < 8 THEN %(now)s + interval '1 hour' + make_interval(secs => (g::bigint * 7919) %% 2505600) END, "
            "%(now)s - interval '60 days', CASE WHEN k >= 8 THEN %(now)s - interval '5 days' END, p "
            "FROM (SELECT g, (g - 1) / 10 + 1 AS p, (g - 1) %% 10 AS k "
            "      FROM generate_series(1, %(n)s * 10) g) AS goals",
            params,
        )
        for table in ("auth_user", "plans_careerplan", "goals_goal"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        conn.commit()
        conn.autocommit = True
        cur.execute("VACUUM ANALYZE")


# --- The floor: the same claim in hand-written SQL ----------------------------------------------

FLOOR_SELECT = (
    "SELECT g.id, p.owner_id FROM goals_goal g JOIN plans_careerplan p ON p.id = g.plan_id "
    "WHERE g.status = 'active' AND g.next_reminder_at <= %s "
    "ORDER BY g.next_reminder_at LIMIT %s FOR UPDATE OF g SKIP LOCKED"
)
FLOOR_INSERT = (
    "INSERT INTO goals_reminderdelivery "
    "(user_id, period, goal_ids, status, attempts, subject, last_error, created_at) "
    "SELECT owner, %s, jsonb_agg(goal), 'pending', 0, '', '', %s "
    "FROM unnest(%s::int[], %s::bigint[]) AS t(owner, goal) GROUP BY owner "
    "ON CONFLICT (user_id, period) DO NOTHING RETURNING id"
)
FLOOR_UPDATE = (
    "UPDATE goals_goal SET next_reminder_at = next_reminder_at + interval '7 days' WHERE id = ANY(%s)"
)


def floor_sweep(dbname: str, now: datetime) -> tuple[float, int, int]:
    """(seconds, goals claimed, deliveries written)."""
    claimed = deliveries = 0
    with contextlib.closing(pg_connect(dbname)) as conn, conn.cursor() as cur:
        conn.autocommit = False
        start = time.perf_counter()
        while True:
            with conn:  # one transaction per batch
                cur.execute(FLOOR_SELECT, (now, BATCH))
                rows = cur.fetchall()
                if rows:
                    goals, owners = [r[0] for r in rows], [r[1] for r in rows]
                    cur.execute(FLOOR_INSERT, (now.date(), now, owners, goals))
                    deliveries += len(cur.fetchall())
                    cur.execute(FLOOR_UPDATE, (goals,))
                    claimed += cur.rowcount
            if len(rows) < BATCH:
                break
        return time.perf_counter() - start, claimed, deliveries


# --- The sweep ----------------------------------------------------------------------------------


def use_database(name: str) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def explain_due_query(now: datetime) -> list[str]:
    """EXPLAIN of the claim's SELECT exactly as the sweep sends it (captured from one batch, rolled back)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from goals.reminders import sweep

    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        sweep.claim_batch(now=now, batch_size=BATCH)
        transaction.set_rollback(True)
    sql = next(q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return [row[0] for row in cursor.fetchall()]


def db_counts() -> tuple[int, int]:
    """(goals still due, deliveries)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM goals_goal WHERE status = 'active' AND next_reminder_at <= %s), "
            "(SELECT count(*) FROM goals_reminderdelivery)",
            [NOW],
        )
        return cursor.fetchone()


# --- Digests: an SMTP sink in its own process ----------------------------------------------------


def _sink_main(port: int, received, commands) -> None:
    """aiosmtpd on loopback, counting messages and keeping them (in memory) for the replay."""
    from aiosmtpd.controller import Controller

    kept: list[tuple[str, list[str], bytes]] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
            kept.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
            received.value += 1
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    commands.send("ready")
    while (command := commands.recv()) != "stop":
        if command == "take":  # hand over what was kept, and start counting afresh
            commands.send(kept[:])
            kept.clear()
            received.value = 0
    controller.stop()


class Sink:
    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        context = multiprocessing.get_context("spawn")
        self.received = context.RawValue("i", 0)
        self._commands, child = context.Pipe()
        self.process = context.Process(target=_sink_main, args=(self.port, self.received, child), daemon=True)
        self.process.start()
        assert self._commands.poll(30) and self._commands.recv() == "ready", "the SMTP sink did not start"

    def wait_for(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.received.value < count:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"the sink received {self.received.value} of {count} messages (worker log: {WORKER_LOG})"
                )
            time.sleep(0.002)

    def take(self) -> list[tuple[str, list[str], bytes]]:
        self._commands.send("take")
        return self._commands.recv()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._commands.send("stop")
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


WORKER_LOG = ROOT / "var" / "bench" / "reminders-worker.log"


# The worker as `make serve` runs it (Procfile.serve): 2 x cores processes unless CELERY_CONCURRENCY.
DEPLOYED_POOL = ["--concurrency", os.environ.get("CELERY_CONCURRENCY", str(2 * os.cpu_count()))]
TWO_POOL = ["--concurrency", "2"]
SOLO_POOL = ["--pool", "solo"]


def start_worker(queue: str, env: dict, pool: list[str]) -> subprocess.Popen:
    """celery worker with ``pool`` on a private queue, once it says it is ready (all its
    processes started, so that none starts during the timing); its log goes to WORKER_LOG."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "careerpath",
        "worker",
        *pool,
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "INFO",
    ]
    WORKER_LOG.parent.mkdir(parents=True, exist_ok=True)
    with open(WORKER_LOG, "w") as log:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while " ready." not in WORKER_LOG.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the Celery worker did not start (see {WORKER_LOG})")
        time.sleep(0.05)
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(20)
    except subprocess.TimeoutExpired:
        worker.kill()


def send_digests(ids: list[int], sink: Sink, queue: str | None) -> None:
    """Hand the deliveries to the worker, SEND_CHUNK per task as the sweep does; wait for the sink."""
    from goals.reminders.sweep import SEND_CHUNK
    from goals.reminders.tasks import send_deliveries

    for start in range(0, len(ids), SEND_CHUNK):
        chunk = ids[start : start + SEND_CHUNK]
        if queue:
            send_deliveries.apply_async(args=[chunk], queue=queue)
        else:
            send_deliveries(chunk)
    sink.wait_for(len(ids), timeout=600)


def smtplib_loop(messages: list[tuple[str, list[str], bytes]], port: int) -> float:
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        start = time.perf_counter()
        for mail_from, rcpt_tos, content in messages:
            smtp.sendmail(mail_from, rcpt_tos, content)
        return time.perf_counter() - start


# --- The run ------------------------------------------------------------------------------------

NOW = datetime.now(UTC).replace(microsecond=0)


def timed_sweep(dbname: str, *, traced: bool = False) -> tuple[float, float]:
    """Run the sweep on a fresh copy: (seconds, MB). The MB are tracemalloc's peak when traced
    (slower, so that run's time is not compared), else the growth of the process's peak RSS."""
    from goals.reminders import sweep

    use_database(dbname)
    gc.collect()
    rss_before = rss_mb()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    result = sweep.sweep(now=NOW, enqueue=False)
    seconds = time.perf_counter() - start
    if traced:
        megabytes = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    else:
        megabytes = peak_rss_mb() - rss_before
    still_due, deliveries = db_counts()
    assert result.claimed == PEOPLE and still_due == 0 and deliveries == len(result.deliveries), (
        f"sweep claimed {result.claimed}, {still_due} still due, {deliveries} deliveries"
    )
    return seconds, megabytes


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    try:
        pg_connect("postgres").close()
    except Exception as error:
        sys.exit(f"bench/reminders.py needs PostgreSQL at {PG_URL} (BENCH_POSTGRES_URL): {error}")
    worker = None
    queue = f"bench-reminders-{os.getpid()}"
    use_redis = redis_available()
    sink = Sink()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "careerpath.settings",
        "DATABASE_URL": f"{PG_URL}/{SOURCE}",
        "DEBUG": "0",  # as in production: no query log
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "CELERY_BROKER_URL": REDIS_URL if use_redis else "memory://",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    os.environ.update(env)
    try:
        drop_databases()
        with contextlib.closing(pg_connect("postgres")) as admin, admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE {SOURCE}")
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        migrated = time.perf_counter() - start
        start = time.perf_counter()
        generate(NOW)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        for copy in (*FLOOR_DBS, *SWEEP_DBS, TRACED_DB):
            copy_database(SOURCE, copy)
        copied = time.perf_counter() - start
        print(
            f"reminders data: {PEOPLE:,} people, {PEOPLE * GOALS_PER_PERSON:,} goals, {PEOPLE:,} due "
            f"(migrate {migrated:.1f} s, generate {generated:.1f} s, {2 * ROUNDS + 1} copies {copied:.1f} s)"
        )

        sys.path.insert(0, str(ROOT))
        import django

        django.setup()

        use_database(SOURCE)
        plan = explain_due_query(NOW)
        scan = next((line.strip() for line in plan if "goal_due_reminder_idx" in line), "")
        print("due query EXPLAIN (the SELECT claim_batch sends):")
        print("\n".join("    " + line for line in plan))
        print(f"  uses goal_due_reminder_idx: {'yes' if 'Index Scan' in scan else 'NO'}: {scan}")
        assert "Index Scan" in scan, "the due query does not use an index scan on goal_due_reminder_idx"

        load = os.getloadavg()[0]
        floors, sweeps, rss = [], [], []
        for floor_db, sweep_db in zip(FLOOR_DBS, SWEEP_DBS, strict=True):
            seconds, claimed, written = floor_sweep(floor_db, NOW)
            assert claimed == PEOPLE == written, (claimed, written)
            floors.append(seconds)
            seconds, megabytes = timed_sweep(sweep_db)
            sweeps.append(seconds)
            rss.append(megabytes)
        traced_s, traced_mb = timed_sweep(TRACED_DB, traced=True)
        ratio = min(sweeps) / min(floors)
        runs = lambda times: ", ".join(f"{t:.2f}" for t in times)  # noqa: E731
        print(
            f"claiming {PEOPLE:,} due of {PEOPLE * GOALS_PER_PERSON:,} goals, batches of {BATCH:,}, each run on a "
            f"fresh copy (load average {load:.1f} on {os.cpu_count()} CPUs when it started):"
        )
        print(f"  floor (hand-written SQL loop): {min(floors):.2f} s best of {ROUNDS} ({runs(floors)})")
        print(f"  sweep (sweep.sweep):       {min(sweeps):.2f} s best of {ROUNDS} ({runs(sweeps)})")
        print(
            f"  sweep/floor ratio {ratio:.2f} (target <= {TARGET_RATIO:g}): {'ok' if ratio <= TARGET_RATIO else 'MISSED'}"
        )
        peak = max(traced_mb, *rss)
        print(
            f"  sweep peak memory: tracemalloc {traced_mb:.1f} MB (traced run {traced_s:.2f} s), "
            f"peak RSS growth {max(rss):.1f} MB (target <= {TARGET_MB}): {'ok' if peak <= TARGET_MB else 'MISSED'}"
        )

        # Digests, from deliveries the timed sweep wrote (people who did not unsubscribe: one email each).
        from goals.models import ReminderDelivery

        use_database(SWEEP_DBS[0])
        ids = list(
            ReminderDelivery.objects.exclude(user__reminder_settings__unsubscribed_at__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)[: WARM_UP_DIGESTS + DIGESTS]
        )
        warm_up, timed = ids[:WARM_UP_DIGESTS], ids[WARM_UP_DIGESTS:]
        # Each round sends the digests with each pool, then replays what the sink received with
        # the bare loop; the best of the rounds is compared, as for the sweep.
        rates, bare_rates = defaultdict(list), []
        pools = [("deployed", DEPLOYED_POOL), ("two", TWO_POOL), ("solo", SOLO_POOL)]
        runs = pools if use_redis else [("in-process", None)]
        for _ in range(ROUNDS):
            for name, pool in runs:
                ReminderDelivery.objects.filter(pk__in=ids).update(
                    status=ReminderDelivery.Status.PENDING, sent_at=None
                )
                if pool:
                    worker = start_worker(queue, {**env, "DATABASE_URL": f"{PG_URL}/{SWEEP_DBS[0]}"}, pool)
                send_digests(warm_up, sink, queue if pool else None)  # the worker is up and warm
                sink.take()
                start = time.perf_counter()
                send_digests(timed, sink, queue if pool else None)
                rates[name].append(len(timed) / (time.perf_counter() - start))
                messages = sink.take()
                if worker is not None:
                    stop_worker(worker)
                    worker = None
                bare_rates.append(len(messages) / smtplib_loop(messages, sink.port))
        bare_rate = max(bare_rates)
        print(f"digests to an aiosmtpd sink on loopback, {len(timed):,} of them, best of {ROUNDS} rounds:")
        labels = {
            "deployed": f"one Celery worker as make serve runs it ({' '.join(DEPLOYED_POOL)}, Redis broker)",
            "two": "the same worker with --concurrency 2 (make run's)",
            "solo": "the same worker with --pool solo (one process)",
            "in-process": "send_deliveries in-process (no Redis at BENCH_REDIS_URL)",
        }
        per_run = lambda values: ", ".join(f"{v:.0f}" for v in values)  # noqa: E731
        for name, measured in rates.items():
            rate = max(measured)
            print(
                f"  {labels[name]}: {rate:.0f}/s ({1000 / rate:.2f} ms a digest; {per_run(measured)}), "
                f"ratio {rate / bare_rate:.2f}"
            )
        print(
            f"  bare smtplib loop, the same messages over one connection: {bare_rate:.0f}/s "
            f"({1000 / bare_rate:.2f} ms a message; {per_run(bare_rates)})"
        )
        digest_ratio = max(next(iter(rates.values()))) / bare_rate
        print(
            f"  worker/smtplib ratio {digest_ratio:.2f} (target >= {TARGET_DIGEST_RATIO:g}): "
            f"{'ok' if digest_ratio >= TARGET_DIGEST_RATIO else 'MISSED'}"
        )
    finally:
        if worker is not None:
            stop_worker(worker)
        sink.stop()
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if use_redis:
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            client.delete(queue, *client.scan_iter(f"_kombu.binding*.{queue}"))
        drop_databases()


if __name__ == "__main__":
    main()
