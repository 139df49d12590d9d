"""The import of a large export, timed through the pages (run by hand):
one plan, one goal with 43,000 check-ins (a compact file of 4.9 MB, the most an export may be),
uploaded, reviewed three times and imported by another person, on a scratch SQLite database
under var/bench/. Prints the file's size and each step's wall time and queries."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
DB = ROOT / "var" / "bench" / "import.sqlite3"
for stale in (DB, DB.with_name(DB.name + "-wal"), DB.with_name(DB.name + "-shm")):
    stale.unlink(missing_ok=True)
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerpath.settings")

import django  # noqa: E402

django.setup()


from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def timed(label: str, fn):
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        start = time.perf_counter()
        response = fn()
        elapsed = time.perf_counter() - start
    print(f"{label:<28} {elapsed:7.2f} s  {len(queries):6} queries  -> {response.status_code}")
    return response


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from goals.models import CheckIn
    from plans.models import CareerPlan
    from skills.ladder import import_ladder, load_ladder_file
    from skills.models import Role
    from tests.goals.factories import LARGEST_CHECK_INS, largest_export

    import_ladder(load_ladder_file(ROOT / "skills" / "ladders" / "product-management.json"))
    users = get_user_model().objects
    alice = users.create_user("alice", "alice@example.com", "x")
    bob = users.create_user("bob", "bob@example.com", "x")
    current, target = Role.objects.order_by("level", "pk")[:2]
    plan = CareerPlan.objects.create(owner=alice, title="Big plan", current_role=current, target_role=target)
    # Compact, as a script that writes exports might: the same document in half the bytes of dump()'s.
    check_ins = int(os.environ.get("CHECK_INS", LARGEST_CHECK_INS))
    content = largest_export(plan, check_ins)
    print(f"export: {len(content):,} bytes, {check_ins:,} check-ins in one goal")

    client = Client()
    client.force_login(bob)
    upload = SimpleUploadedFile("careerpath.json", content, content_type="application/json")
    timed("upload (POST /goals/import/)", lambda: client.post(reverse("goals:import"), {"file": upload}))
    for n in range(3):
        review = timed(f"review GET #{n + 1}", lambda: client.get(reverse("goals:import_confirm")))
    posted = {"ladder": "skip"}
    if review.context and "digest" in review.context:
        posted["digest"] = review.context["digest"]
    timed("confirm (POST)", lambda: client.post(reverse("goals:import_confirm"), posted))
    print(f"imported check-ins: {CheckIn.objects.filter(goal__plan__owner=bob).count():,}")


if __name__ == "__main__":
    main()
