"""Benchmarks, run by hand (`make bench`): figures and ratios measured in one run.

Builds a scratch SQLite database under var/bench/, then measures:
- the plan page (render time, queries) with 5 vs 50 skills, certifications and activities,
- path finding on the shipped ladder vs a synthetic 500-role ladder,
- ladder import of the shipped product management ladder (first run vs idempotent re-run).
Targets (ratios, not absolute times, so they hold on any machine):
  plan page 50/5 time ratio < 3, queries equal; re-import < first import.
`make bench` also runs bench/reminders.py: the reminder sweep and digest sending on PostgreSQL.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
DB = ROOT / "var" / "bench" / "bench.sqlite3"
if DB.exists():
    DB.unlink()
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerpath.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def timed(fn, repeat: int = 15) -> tuple[float, int]:
    """Median wall time in ms over `repeat` runs, and the query count of one run."""
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from skills.ladder import import_ladder, load_ladder_file

    ladder_file = ROOT / "skills" / "ladders" / "product-management.json"
    data = load_ladder_file(ladder_file)
    t0 = time.perf_counter()
    import_ladder(data)
    first_import = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    import_ladder(data)
    second_import = (time.perf_counter() - t0) * 1000
    print(
        f"ladder import: first {first_import:.0f} ms, idempotent re-run {second_import:.0f} ms "
        f"(ratio {second_import / first_import:.2f})"
    )

    sys.path.insert(0, str(ROOT))
    from tests.plans.test_plan_queries import build_plan

    user = get_user_model().objects.create_user("bench", "bench@example.com", "x")
    small, large = build_plan(user, 5), build_plan(user, 50)
    client = Client()
    client.force_login(user)
    small_ms, small_q = timed(lambda: client.get(small.get_absolute_url()))
    large_ms, large_q = timed(lambda: client.get(large.get_absolute_url()))
    print(
        f"plan page: 5 items {small_ms:.1f} ms / {small_q} queries; 50 items {large_ms:.1f} ms / {large_q} queries "
        f"(time ratio {large_ms / small_ms:.2f}, target < 3; queries equal: {small_q == large_q})"
    )
    home_ms, home_q = timed(lambda: client.get("/"))
    print(f"dashboard with 2 plans: {home_ms:.1f} ms / {home_q} queries")

    from plans.paths import find_paths
    from skills.models import Role, Track, Transition

    pm = Role.objects.filter(track__slug="product-management")
    start, goal = pm.get(slug="business-analyst"), pm.get(slug="product-leader")
    shipped_ms, _ = timed(lambda: find_paths(start, goal), repeat=50)
    track = Track.objects.create(name="Synthetic", slug="synthetic")
    roles = Role.objects.bulk_create(
        [Role(track=track, title=f"R{i}", slug=f"r{i}", level=1 + i // 25) for i in range(500)]
    )
    Transition.objects.bulk_create(
        [
            Transition(from_role=roles[i], to_role=roles[j])
            for i in range(475)
            for j in (i + 25, i + 26)
            if j < 500
        ]
    )
    big_ms, _ = timed(lambda: find_paths(roles[0], roles[499]), repeat=10)
    print(
        f"path finding: shipped ladder (9 roles) {shipped_ms:.2f} ms; synthetic 500 roles/{Transition.objects.filter(from_role__track=track).count()} transitions {big_ms:.1f} ms "
        f"(ratio {big_ms / shipped_ms:.0f}x)"
    )


if __name__ == "__main__":
    main()
