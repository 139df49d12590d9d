"""The admin's role page: server time, size and queries, run by hand (issue 23).

Run: `.venv/bin/python bench/admin_role_page.py [--repeat 15]`

Builds a scratch SQLite database under var/bench/ (admin_role_page.sqlite3, replaced on every
run), imports the shipped ladders, gives the Senior Product Manager 24 skill requirements (its
own and one more skill from the file) and the Product Manager 5, and measures each role's change
page through Django's test client as a superuser: the median time of the whole request in this
process (no network, no browser; templates rendered as a server renders them, not recorded as
in tests), on the wall clock and in CPU time (on a machine others load, the wall clock also
counts their turns), the size of the HTML, and the queries of one request. The queries must be
equal at both sizes.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
DB = ROOT / "var" / "bench" / "admin_role_page.sqlite3"
if DB.exists():
    DB.unlink()
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerpath.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int, int]:
    """Median milliseconds per request over `repeat` runs, wall clock and this process's CPU (the
    server's share: on a machine others load, the wall clock also counts their turns), bytes of
    the page, queries of one request."""
    client.get(url)  # templates compiled, caches warm
    wall, cpu = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    return (
        statistics.median(wall),
        statistics.median(cpu),
        len(response.content),
        len(queries.captured_queries),
    )


def role_with_requirements(count: int, slug: str):
    """The shipped role `slug` with `count` requirements: its own, cut or topped up with other skills."""
    from skills.models import Role, RoleSkill, Skill

    role = Role.objects.get(track__slug="product-management", slug=slug)
    missing = count - role.requirements.count()
    have = role.requirements.values("skill")
    extra = Skill.objects.exclude(pk__in=have).order_by("name")[: max(missing, 0)]
    RoleSkill.objects.bulk_create([RoleSkill(role=role, skill=skill, level=3) for skill in extra])
    role.requirements.filter(pk__in=role.requirements.order_by("skill__name").values("pk")[count:]).delete()
    assert role.requirements.count() == count, f"the ladder has too few skills for {count}"
    return role


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from skills.ladder import import_ladder, load_ladder_file

    import_ladder(load_ladder_file(ROOT / "skills" / "ladders" / "product-management.json"))
    import_ladder(load_ladder_file(ROOT / "skills" / "ladders" / "software-engineering.json"))
    large = role_with_requirements(24, "senior-product-manager")
    small = role_with_requirements(5, "product-manager")
    user = get_user_model().objects.create_superuser("bench-admin", "admin@bench.example", "x")
    # No setup_test_environment(): its instrumented template rendering, which copies the context
    # for every template and widget the test client records, would be most of what is measured.
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    for label, role in (("24 requirements", large), ("5 requirements", small)):
        url = reverse("admin:skills_role_change", args=[role.pk])
        wall, cpu, size, queries = measure(client, url, args.repeat)
        print(
            f"role page, {role.title}, {label}: {wall:.0f} ms wall / {cpu:.0f} ms CPU (medians), "
            f"{size:,} bytes, {queries} queries"
        )


if __name__ == "__main__":
    main()
