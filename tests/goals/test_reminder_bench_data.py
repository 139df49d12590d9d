"""bench/reminders.py writes its million goals with INSERT … SELECT, naming every column: a column
the schema gains without a database default stops it at its first statement (a NOT NULL violation,
found only when someone next ran the bench, cb0c39c). Here the bench's own generate() writes its
people, plans and goals at a small scale into the test database, and the app's sweep claims the
goals it made due, as the bench's timed sweep does.

Its SQL is PostgreSQL's (generate_series, session_replication_role), so this runs on PostgreSQL
only: a skip on a laptop without it, a failure under CAREERPATH_STRICT=1.
"""

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection

from goals.models import Goal
from goals.reminders import sweep
from tests.conftest import require

BENCH = Path(__file__).resolve().parents[2] / "bench" / "reminders.py"
PEOPLE = 30


def bench_module():
    """bench/reminders.py as a module (bench/ is scripts, not a package); its main() does not run."""
    spec = importlib.util.spec_from_file_location("bench_reminders", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchs_data_fits_the_schema_and_the_sweep_claims_its_due_goals(transactional_db, monkeypatch):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://…)")
    bench = bench_module()
    database = connection.settings_dict
    user, host, port = (
        database["USER"] or "postgres",
        database["HOST"] or "127.0.0.1",
        database["PORT"] or 5432,
    )
    server = f"postgres://{user}@{host}:{port}"
    monkeypatch.setattr(bench, "PG_URL", server)
    monkeypatch.setattr(bench, "SOURCE", database["NAME"])  # the test database: flushed after the test
    monkeypatch.setattr(bench, "PEOPLE", PEOPLE)
    now = datetime.now(UTC).replace(microsecond=0)

    bench.generate(now)

    assert get_user_model().objects.count() == PEOPLE
    assert Goal.objects.count() == PEOPLE * bench.GOALS_PER_PERSON
    assert Goal.objects.filter(status=Goal.Status.ACTIVE, next_reminder_at__lte=now).count() == PEOPLE
    result = sweep.sweep(now=now, enqueue=False)
    assert result.claimed == PEOPLE  # goal 0 of each person, as the bench's sweep claims 100,000
