"""Page throughput under load: gunicorn + PostgreSQL + Redis, measured with wrk on loopback.

Run: `make bench` (after bench/run.py and bench/reminders.py), or alone:

    .venv/bin/python bench/pages.py [--rounds 3] [--duration 20] [--overload-duration 60 | --no-overload]

A default run (1 round of 20 s runs, the 60 s overload run) takes about six minutes.

What it does, on a scratch database it creates and drops (careerpath_pages_bench):
1. Migrates, loads the shipped ladder (load_demo_data), then writes in bulk
   - a heavy person: 3 plans, each with 50 goals of 20 check-ins and 3 milestones, 30 activities,
     5 certifications, every skill on the plan's routes assessed twice;
   - a light person: 1 plan, 5 goals of 3 check-ins and 1 milestone, every path skill assessed once;
   - 1,000 other people, each with a plan and 3 goals of 2 check-ins;
   - a mentor, with whom 100 of them share their plan (accepted), each plan's target role's
     skills assessed twice.
   The persons have a verified primary email address and the password in PASSWORD.
2. Starts gunicorn as the Procfile does (careerpath.wsgi, 2 sync workers, access log on) on
   127.0.0.1 and a free port, with production settings: DEBUG=0, Redis cache (db 3) and broker
   (db 4), static files collected into a temporary STATIC_ROOT for whitenoise's manifest storage
   (the only setting overridden, through a settings module in a temporary folder).
3. Signs both persons in through the real login form (CSRF included) and keeps their cookies.
4. Runs `wrk -t2 -c20 -d20s --latency` against each page with the person's cookies, with
   /healthz measured between every two pages, and prints a table per person: req/s, the ratio to
   /healthz (the mean of the healthz runs just before and after the page), p50/p95/p99, errors
   (socket errors and any response that is not a 200, counted by a wrk Lua hook, so a redirect to
   the login page is an error), and CPU ms per request of the gunicorn workers ("app") and of the
   PostgreSQL backends serving them ("db"), read from /proc. With --rounds N the figures are
   medians over the rounds. Then one run of 60 s at 50 connections with a 2 s client timeout
   against the heavy person's plan page, printing errors and timeouts.
5. Stops gunicorn, drops the database and removes its temporary folder.

Targets (from the issues), printed beside the figures: the heavy person's dashboard, plan page and
goal page, and the mentor's people page (issue 24), at >= 0.3 of /healthz throughput with p95 <= 100 ms at 20 connections; no errors at 50
connections for 60 s with a 2 s client timeout. The heavy person's goals through the API (issue 25:
GET /api/v1/plans/{id}/goals with a personal access token, a page of 50 goals) at >= 0.5 of
/healthz, no errors; its rate limit is raised out of the way, every request still counted.

Settings: BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432), BENCH_REDIS_HOST
(redis://127.0.0.1:6379). wrk, gunicorn and the client all share this machine's CPUs: read the
ratios, not the absolute figures.
"""

import argparse
import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS = os.environ.get("BENCH_REDIS_HOST", "redis://127.0.0.1:6379").rstrip("/")
DB_NAME = "careerpath_pages_bench"
PASSWORD = "bench-pages-Pa55word"
HEAVY_EMAIL, LIGHT_EMAIL = "heavy@bench.example", "light@bench.example"
MENTOR_EMAIL = "mentor@bench.example"
OTHER_PEOPLE = 1000
MENTEES = 100  # of the other people, sharing their plan with the mentor

TARGET_RATIO, TARGET_P95_MS = 0.3, 100.0
TARGETED_PAGES = {  # (person, page)
    *(("heavy person", page) for page in ("dashboard", "plan page", "goal page")),
    ("mentor", "people page"),  # issue 24
}
API_PAGE, API_TARGET_RATIO = "goals via API", 0.5  # issue 25: GET /api/v1/plans/{id}/goals, 50 goals
WRK_THREADS = 2

# Counts responses that are not a 200 (wrk itself only counts statuses > 399) and prints the
# figures in one parseable line: requests, duration, latency percentiles (µs), socket errors.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not200 = 0; last_bad = 0 end
function response(status, headers, body)
  if status ~= 200 then not200 = not200 + 1; last_bad = status end
end
function done(summary, latency, requests)
  local bad, last = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("not200")
    if t:get("last_bad") ~= 0 then last = t:get("last_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50=%.0f p95=%.0f p99=%.0f connect=%d read=%d write=%d timeout=%d not200=%d last_bad=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.timeout, bad, last))
end
"""


# --- PostgreSQL -------------------------------------------------------------------------------


def pg_connect(dbname: str = "postgres"):
    import psycopg2

    url = urlsplit(PG_URL)
    conn = psycopg2.connect(
        dbname=dbname,
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        connect_timeout=5,
    )
    conn.autocommit = True
    return conn


def recreate_database() -> None:
    with contextlib.closing(pg_connect()) as admin, admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {DB_NAME}")


def drop_database() -> None:
    with contextlib.closing(pg_connect()) as admin, admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def backend_pids() -> list[int]:
    """The PostgreSQL backends connected to the bench database (gunicorn's workers)."""
    with contextlib.closing(pg_connect()) as admin, admin.cursor() as cur:
        cur.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'",
            [DB_NAME],
        )
        return [row[0] for row in cur.fetchall()]


# --- Environment: production settings, a temporary STATIC_ROOT -----------------------------------


def bench_environment(tmp: Path) -> dict[str, str]:
    """The environment of the data build and of gunicorn: DEBUG=0 and the bench database, cache and
    broker. STATIC_ROOT is not read from the environment, so a settings module in `tmp` imports the
    real settings and points it at a temporary folder; nothing else changes."""
    static_root = tmp / "static"
    (tmp / "pages_bench_settings.py").write_text(
        "from careerpath.settings import *  # noqa: F403\n\n"
        f"STATIC_ROOT = {str(static_root)!r}  # collected by bench/pages.py\n"
    )
    return {
        "DJANGO_SETTINGS_MODULE": "pages_bench_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
        "DEBUG": "0",
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DATABASE_URL": f"{PG_URL}/{DB_NAME}",
        "CACHE_URL": f"{REDIS}/3",
        "CELERY_BROKER_URL": f"{REDIS}/4",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        # wrk sends one token as fast as it can: every request is still counted (base.limits), none refused.
        "API_REQUESTS_PER_MINUTE": str(10**9),
        "EMAIL_URL": "consolemail://",
        "LOG_LEVEL": "WARNING",
    }


# --- Data ---------------------------------------------------------------------------------------


@dataclass
class Person:
    label: str
    email: str
    plan_pk: int
    goal_pk: int
    description: str
    cookie: str = ""
    urls: dict[str, str] = field(default_factory=dict)
    api_token: str = ""  # the heavy person's, for the API's goals list (issue 25)


GOAL_KINDS = [  # (metric, unit, baseline, target)
    ("Customer interviews run", "interviews", 0, 40),
    ("Product courses completed", "courses", 0, 6),
    ("Experiments shipped", "experiments", 2, 22),
    ("Roadmap reviews led", "reviews", 0, 12),
    ("Stakeholder satisfaction", "%", 40, 90),
    ("Mentoring sessions", "sessions", 0, 24),
    ("Discovery docs written", "documents", 1, 15),
    ("Feature adoption", "percent", 10, 60),
]


def goals_for(plan, *, count: int, today, now, skills) -> list:
    """Unsaved goals of `plan`: mostly active, the last one completed, one in 25 paused."""
    from goals.models import Goal

    cadences = [Goal.Cadence.WEEKLY, Goal.Cadence.FORTNIGHTLY, Goal.Cadence.MONTHLY]
    rows = []
    for i in range(count):
        metric, unit, baseline, target = GOAL_KINDS[i % len(GOAL_KINDS)]
        start = today - timedelta(days=200 - i % 10)
        status = Goal.Status.ACTIVE
        if i == count - 1:
            status = Goal.Status.COMPLETED
        elif i % 25 == 23:
            status = Goal.Status.PAUSED
        rows.append(
            Goal(
                plan=plan,
                title=f"{metric} #{i + 1}",
                description="Measured every week or two.",
                metric=metric,
                unit=unit,
                baseline=Decimal(baseline),
                target=Decimal(target),
                plan_of_attack="Block two hours on Fridays.",
                effort="2 hours a week",
                skill=skills[i % len(skills)] if skills and i % 3 == 0 else None,
                role=plan.target_role if i % 4 == 0 else None,
                relevance="The target role asks for it.",
                start_date=start,
                deadline=start + timedelta(days=240 + 7 * i),
                status=status,
                reminder_cadence=cadences[i % 3],
                next_reminder_at=now + timedelta(hours=1 + i) if status == Goal.Status.ACTIVE else None,
                completed_at=now - timedelta(days=3) if status == Goal.Status.COMPLETED else None,
            )
        )
    return rows


def goal_children(goals, *, check_ins: int, milestones: int, today, now) -> tuple[list, list]:
    """Unsaved check-ins (every 9 days from the start, rising towards the target) and milestones."""
    from goals.models import CheckIn, Milestone

    checks, stones = [], []
    for goal in goals:
        step = (goal.target - goal.baseline) / (check_ins + 5)
        for k in range(check_ins):
            checks.append(
                CheckIn(
                    goal=goal,
                    value=(goal.baseline + step * (k + 1)).quantize(Decimal("0.01")),
                    note="Steady progress." if k % 4 else "",
                    checked_on=goal.start_date + timedelta(days=9 * k),
                )
            )
        for m in range(milestones):
            due = goal.start_date + timedelta(days=60 + 90 * m)
            stones.append(
                Milestone(
                    goal=goal,
                    title=f"Milestone {m + 1}",
                    due_date=due,
                    done_at=now - timedelta(days=(today - due).days) if due < today else None,
                )
            )
    return checks, stones


def assessments_for(plan, skills, *, times: int, now) -> list:
    """Each skill assessed `times` times, 90 days apart, a level higher each time."""
    from plans.models import SkillAssessment

    rows = []
    for n, skill in enumerate(skills):
        for t in range(times):
            level = min(1 + n % 3 + t, 5)
            rows.append(
                SkillAssessment(
                    plan=plan,
                    skill=skill,
                    level=level,
                    note="",
                    assessed_at=now - timedelta(days=120 - 90 * t),
                )
            )
    return rows


def activities_for(plan, *, count: int, today) -> list:
    """Unsaved activities of `plan`, every kind in turn, every 12 days from 60 days ahead backwards."""
    from plans.models import Activity

    kinds = list(Activity.Kind)
    rows = []
    for j in range(count):
        day = today + timedelta(days=60 - 12 * j)
        rows.append(
            Activity(
                plan=plan,
                kind=kinds[j % len(kinds)],
                title=f"Activity {j + 1}",
                date=day,
                status=Activity.Status.DONE if day <= today else Activity.Status.PLANNED,
                link="https://example.com/activity",
                note="Worth it.",
            )
        )
    return rows


def certifications_for(plan, certifications, *, today) -> list:
    """5 records: two earned (one expiring soon), one expired, one in progress, one planned."""
    from plans.models import PlanCertification
    from skills.models import add_months

    rows = []
    for k, certification in enumerate(certifications[:5]):
        earned_on = {
            0: today - timedelta(days=400),
            1: add_months(today, -23),
            2: today - timedelta(days=900),
        }
        status = PlanCertification.Status.EARNED if k in earned_on else PlanCertification.Status.PLANNED
        if k == 3:
            status = PlanCertification.Status.IN_PROGRESS
        earned = earned_on.get(k)
        expires = add_months(earned, certification.validity_months or 24) if earned else None
        rows.append(
            PlanCertification(
                plan=plan,
                certification=certification,
                status=status,
                target_date=today + timedelta(days=90 * (k + 1)) if earned is None else None,
                earned_on=earned,
                expires_on=expires,
            )
        )
    return rows


def build_data() -> tuple[Person, Person, Person]:
    """The three persons and the 1,000 others, in bulk; returns the three persons."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from goals.models import CheckIn, Goal, Milestone
    from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
    from plans.sharing.models import Share
    from skills.models import Certification, Role

    user_model = get_user_model()
    now = timezone.now()
    today = timezone.localdate()
    roles = {r.slug: r for r in Role.objects.filter(track__slug="product-management")}
    certifications = list(Certification.objects.order_by("pk"))
    for n in range(len(certifications), 5):
        certifications.append(
            Certification.objects.create(
                name=f"Bench certification {n}", slug=f"bench-certification-{n}", abbreviation=f"BC{n}"
            )
        )

    def new_plan(owner, current: str, target: str, primary: bool) -> CareerPlan:
        return CareerPlan(
            owner=owner,
            title=CareerPlan.suggested_title(roles[target]),
            current_role=roles[current],
            target_role=roles[target],
            target_date=today + timedelta(days=540),
            vision="Lead a product area end to end.",
            is_primary=primary,
        )

    with transaction.atomic():
        hashed = make_password(PASSWORD)
        heavy = user_model.objects.create(username="heavy", email=HEAVY_EMAIL, password=hashed)
        light = user_model.objects.create(username="light", email=LIGHT_EMAIL, password=hashed)
        mentor = user_model.objects.create(username="mentor", email=MENTOR_EMAIL, password=hashed)
        others = user_model.objects.bulk_create(
            [
                user_model(username=f"other{n}", email=f"other{n}@bench.example", password="!")
                for n in range(OTHER_PEOPLE)
            ]
        )
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=u, email=u.email, verified=True, primary=True)
                for u in (heavy, light, mentor, *others)
            ]
        )

        heavy_routes = [
            ("business-analyst", "product-manager"),
            ("product-manager", "product-leader"),
            ("project-manager", "senior-product-manager"),
        ]
        heavy_plans = CareerPlan.objects.bulk_create(
            [new_plan(heavy, *route, primary=n == 0) for n, route in enumerate(heavy_routes)]
        )
        (light_plan,) = CareerPlan.objects.bulk_create(
            [new_plan(light, "business-analyst", "associate-product-manager", primary=True)]
        )
        other_routes = [
            ("junior-product-manager", "associate-product-manager"),
            ("product-owner", "product-manager"),
        ]
        other_plans = CareerPlan.objects.bulk_create(
            [new_plan(u, *other_routes[n % 2], primary=True) for n, u in enumerate(others)]
        )

        # (goals, check-ins per goal, milestones per goal) by plan; the heavy plans' extra records.
        shape = {p.pk: (50, 20, 3) for p in heavy_plans} | {light_plan.pk: (5, 3, 1)}
        path_skills = {p.pk: p.path_skills() for p in (*heavy_plans, light_plan)}
        goals, assessments, activities, records = [], [], [], []
        for p in (*heavy_plans, light_plan):
            skills = path_skills[p.pk]
            goals += goals_for(p, count=shape[p.pk][0], today=today, now=now, skills=skills)
            assessments += assessments_for(p, skills, times=2 if p in heavy_plans else 1, now=now)
        for p in heavy_plans:
            activities += activities_for(p, count=30, today=today)
            records += certifications_for(p, certifications, today=today)
        for p in other_plans:
            goals += goals_for(p, count=3, today=today, now=now, skills=[])
        mentees = other_plans[:MENTEES]
        target_skills = {
            slug: [r.skill for r in roles[slug].requirements.select_related("skill")]
            for _, slug in other_routes
        }
        for p in mentees:
            assessments += assessments_for(p, target_skills[p.target_role.slug], times=2, now=now)
        Share.objects.bulk_create(
            [Share(plan=p, email=MENTOR_EMAIL, user=mentor, accepted_at=now, sent_at=now) for p in mentees]
        )
        goals = Goal.objects.bulk_create(goals)

        check_ins, milestones = [], []
        for goal in goals:
            _, checks, stones = shape.get(goal.plan_id, (3, 2, 0))
            c, m = goal_children([goal], check_ins=checks, milestones=stones, today=today, now=now)
            check_ins += c
            milestones += m
        CheckIn.objects.bulk_create(check_ins)
        Milestone.objects.bulk_create(milestones)
        SkillAssessment.objects.bulk_create(assessments)
        PlanCertification.objects.bulk_create(records)
        activities = Activity.objects.bulk_create(activities)
        links = Activity.skills.through
        links.objects.bulk_create(
            [
                links(activity_id=a.pk, skill_id=s.pk)
                for n, a in enumerate(activities)
                for s in path_skills[a.plan_id][n % 5 :: 11][:2]
            ]
        )

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    from api.tokens import token_create

    _, heavy_token = token_create(user=heavy, name="bench", days=1)
    primary = heavy_plans[0]
    heavy_goal = next(
        g for g in goals if g.plan_id == primary.pk and g.status == Goal.Status.ACTIVE and g.skill_id is None
    )
    light_goal = next(g for g in goals if g.plan_id == light_plan.pk and g.status == Goal.Status.ACTIVE)
    return (
        Person(
            "heavy person",
            HEAVY_EMAIL,
            primary.pk,
            heavy_goal.pk,
            "3 plans x 50 goals x 20 check-ins + 3 milestones, 30 activities, 5 certifications, path skills assessed twice",
            api_token=heavy_token,
        ),
        Person(
            "light person",
            LIGHT_EMAIL,
            light_plan.pk,
            light_goal.pk,
            "1 plan, 5 goals x 3 check-ins + 1 milestone, path skills assessed once",
        ),
        Person(
            "mentor",
            MENTOR_EMAIL,
            mentees[0].pk,
            light_goal.pk,
            f"{MENTEES} people share a plan each (3 goals x 2 check-ins, target skills assessed twice)",
        ),
    )


def row_counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from goals.models import CheckIn, Goal, Milestone
    from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment

    models = {
        "people": get_user_model(),
        "plans": CareerPlan,
        "goals": Goal,
        "check-ins": CheckIn,
        "milestones": Milestone,
        "assessments": SkillAssessment,
        "activities": Activity,
        "plan certifications": PlanCertification,
    }
    return {name: model.objects.count() for name, model in models.items()}


def prepare_database() -> tuple[Person, Person, Person]:
    """Migrate, load the shipped ladder, build the people and collect static files (in this process)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    people = build_data()
    print("data: " + ", ".join(f"{n:,} {name}" for name, n in row_counts().items()))
    call_command("collectstatic", "--noinput", verbosity=0)
    connections.close_all()
    return people


# --- gunicorn -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, env: dict, log: Path) -> subprocess.Popen:
    """As the Procfile's web process: 2 sync workers, access log to stdout (here a file)."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "careerpath.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--access-logfile",
        "-",
        "--timeout",
        "30",
    ]
    with open(log, "w") as out:
        server = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200 and len(worker_pids(server.pid)) == 2:
                    return server
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within 30 s:\n{log.read_text()[-3000:]}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                    pids.append(int(entry))
    return pids


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """utime + stime of each process, in seconds (processes gone are left out)."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(after[pid] - before.get(pid, 0.0) for pid in after)


# --- Signing in -----------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(base: str, email: str) -> str:
    """POST the login form (with its CSRF token) as a browser would; the Cookie header to send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    login_url = f"{base}/accounts/login/"
    with opener.open(login_url, timeout=10) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD})
    request = urllib.request.Request(login_url, data=data.encode(), headers={"Referer": login_url})
    try:
        opener.open(request, timeout=30)
        raise RuntimeError(f"logging {email} in did not redirect: the form came back")
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"logging {email} in set no session cookie")
    return f"sessionid={cookies['sessionid']}; csrftoken={cookies.get('csrftoken', '')}"


def auth_header(person: Person, page: str) -> str:
    """How the page is asked for: the API with the person's token, any other page with their cookies."""
    return f"Authorization: Bearer {person.api_token}" if page == API_PAGE else f"Cookie: {person.cookie}"


def check_page(url: str, header: str) -> int:
    """The page answers 200 for this person (not a redirect to the login page); its size in bytes."""
    opener = urllib.request.build_opener(_NoRedirect)
    name, _, value = header.partition(": ")
    request = urllib.request.Request(url, headers={name: value})
    try:
        with opener.open(request, timeout=30) as response:
            return len(response.read())
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{url} answered {error.code}, not 200") from None


# --- wrk --------------------------------------------------------------------------------------------


@dataclass
class Run:
    url: str
    requests: int
    seconds: float
    p50: float  # ms
    p95: float
    p99: float
    socket_errors: dict[str, int]
    not200: int
    last_bad: int
    app_cpu: float  # seconds, gunicorn workers
    db_cpu: float  # seconds, PostgreSQL backends

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return sum(self.socket_errors.values()) + self.not200

    @property
    def app_ms(self) -> float:
        return 1000 * self.app_cpu / self.requests if self.requests else float("nan")

    @property
    def db_ms(self) -> float:
        return 1000 * self.db_cpu / self.requests if self.requests else float("nan")


def run_wrk(
    url: str, *, header: str, connections: int, duration: int, script: Path, master: int, timeout: str = ""
) -> Run:
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "-s",
        str(script),
        "-H",
        header,
        *(["--timeout", timeout] if timeout else []),
        url,
    ]
    workers = worker_pids(master)
    app_before, db_pids = cpu_seconds(workers), backend_pids()
    db_before = cpu_seconds(db_pids)
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    app_after = cpu_seconds(set(workers) | set(worker_pids(master)))
    db_after = cpu_seconds(set(db_pids) | set(backend_pids()))
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stdout}\n{result.stderr}")
    figures = {k: int(v) for k, v in (item.split("=") for item in line.split()[1:])}
    return Run(
        url=url,
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50=figures["p50"] / 1000,
        p95=figures["p95"] / 1000,
        p99=figures["p99"] / 1000,
        socket_errors={k: figures[k] for k in ("connect", "read", "write", "timeout")},
        not200=figures["not200"],
        last_bad=figures["last_bad"],
        app_cpu=cpu_delta(app_before, app_after),
        db_cpu=cpu_delta(db_before, db_after),
    )


# --- The measurements ---------------------------------------------------------------------------------

PAGES = ["dashboard", "plan page", "goal page", "ladder"]
MENTOR_PAGES = ["people page", "skills heatmap"]  # issue 24


def page_urls(base: str, person: Person) -> dict[str, str]:
    if person.label == "mentor":
        return {"people page": f"{base}/mentoring/", "skills heatmap": f"{base}/mentoring/skills/"}
    urls = {
        "dashboard": f"{base}/",
        "plan page": f"{base}/plans/{person.plan_pk}/",
        "goal page": f"{base}/goals/{person.goal_pk}/",
        "ladder": f"{base}/ladders/product-management/",
    }
    if person.api_token:
        urls[API_PAGE] = f"{base}/api/v1/plans/{person.plan_pk}/goals"
    return urls


@dataclass
class PageFigures:
    runs: list[Run] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)


def measure_round(people, base, args, script, master, results, healthz_runs) -> None:
    """healthz, two pages, healthz, two pages, … healthz: each page's ratio is to the mean of the
    healthz runs just before and after it."""
    schedule = [(person, page) for person in people for page in person.urls]
    run = lambda url, header: run_wrk(  # noqa: E731
        url, header=header, connections=args.connections, duration=args.duration, script=script, master=master
    )
    healthz_url = f"{base}/healthz"
    previous = run(healthz_url, auth_header(people[0], "healthz"))
    healthz_runs.append(previous)
    print(f"  {'':13} {'/healthz':10} {previous.rate:8.1f} req/s  p95 {previous.p95:7.1f} ms", flush=True)
    pending: list[tuple[PageFigures, Run]] = []
    for n, (person, page) in enumerate(schedule, start=1):
        measured = run(person.urls[page], auth_header(person, page))
        figures = results.setdefault((person.label, page), PageFigures())
        figures.runs.append(measured)
        pending.append((figures, measured))
        print(
            f"  {person.label:13} {page:10} {measured.rate:8.1f} req/s  p95 {measured.p95:7.1f} ms",
            flush=True,
        )
        if n % 2 == 0 or n == len(schedule):
            following = run(healthz_url, auth_header(people[0], "healthz"))
            healthz_runs.append(following)
            print(
                f"  {'':13} {'/healthz':10} {following.rate:8.1f} req/s  p95 {following.p95:7.1f} ms",
                flush=True,
            )
            for figures, measured in pending:
                figures.ratios.append(measured.rate / ((previous.rate + following.rate) / 2))
            pending, previous = [], following


def cpu_ms(runs: list[Run]) -> float:
    """App and database CPU ms per request, over all the runs."""
    requests = sum(r.requests for r in runs)
    return 1000 * sum(r.app_cpu + r.db_cpu for r in runs) / requests if requests else float("nan")


def fmt_row(name: str, runs: list[Run], ratio: float, cpu_ratio: float, target: str) -> str:
    med = lambda values: statistics.median(values)  # noqa: E731
    return (
        f"  {name:36} {med([r.rate for r in runs]):8.1f} {ratio:8.2f} {med([r.p50 for r in runs]):7.1f} "
        f"{med([r.p95 for r in runs]):7.1f} {med([r.p99 for r in runs]):7.1f} {sum(r.errors for r in runs):7d} "
        f"{med([r.app_ms for r in runs]):8.2f} {med([r.db_ms for r in runs]):7.2f} {cpu_ratio:8.2f}  {target}"
    )


def print_tables(people, results, healthz_runs, args) -> None:
    rounds = f"median of {args.rounds} rounds" if args.rounds > 1 else "1 round"
    print(
        f"\nwrk -t{WRK_THREADS} -c{args.connections} -d{args.duration}s on loopback, {rounds}; "
        "latencies in ms (requests that timed out are not in them);\n  CPU ms per request of the gunicorn "
        "workers (app) and the PostgreSQL backends (db); cpu x: /healthz's app + db CPU per request over the "
        "page's,\n  the throughput ratio to expect when CPU bound (steadier than req/s on a busy machine)"
    )
    header = (
        f"  {'page':36} {'req/s':>8} {'x healthz':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>7} "
        f"{'app ms':>8} {'db ms':>7} {'cpu x':>8}  target"
    )
    for person in people:
        print(f"\n{person.label}: {person.description}")
        print(header)
        print(fmt_row("/healthz (all runs)", healthz_runs, 1.0, 1.0, ""))
        for page in person.urls:
            figures = results[(person.label, page)]
            ratio = statistics.median(figures.ratios)
            p95 = statistics.median(r.p95 for r in figures.runs)
            errors = sum(r.errors for r in figures.runs)
            target = ""
            if page == API_PAGE:
                ok = ratio >= API_TARGET_RATIO and errors == 0
                target = f">= {API_TARGET_RATIO:g}x: {'ok' if ok else 'MISSED'}"
            elif (person.label, page) in TARGETED_PAGES:
                ok = ratio >= TARGET_RATIO and p95 <= TARGET_P95_MS and errors == 0
                target = f">= {TARGET_RATIO:g}x, p95 <= {TARGET_P95_MS:g} ms: {'ok' if ok else 'MISSED'}"
            path = urlsplit(person.urls[page]).path
            cpu_ratio = cpu_ms(healthz_runs) / cpu_ms(figures.runs)
            print(fmt_row(f"{page} {path}", figures.runs, ratio, cpu_ratio, target))
            bad = [r for r in figures.runs if r.errors]
            for r in bad:
                print(
                    f"      errors: socket {r.socket_errors}, non-200 {r.not200} (last status {r.last_bad})"
                )


def overload_run(person: Person, args, script, master) -> None:
    url = person.urls["plan page"]
    print(
        f"\noverload: {person.label}'s plan page {urlsplit(url).path}, wrk -t{WRK_THREADS} -c50 "
        f"-d{args.overload_duration}s --timeout 2s",
        flush=True,
    )
    r = run_wrk(
        url,
        header=auth_header(person, "plan page"),
        connections=50,
        duration=args.overload_duration,
        script=script,
        master=master,
        timeout="2s",
    )
    print(
        f"  {r.requests} requests, {r.rate:.1f} req/s, p50 {r.p50:.1f} / p95 {r.p95:.1f} / p99 {r.p99:.1f} ms, "
        f"app {r.app_ms:.2f} ms/req, db {r.db_ms:.2f} ms/req"
    )
    print(
        f"  errors {r.errors}: timeouts (> 2 s) {r.socket_errors['timeout']}, connect {r.socket_errors['connect']}, "
        f"read {r.socket_errors['read']}, write {r.socket_errors['write']}, non-200 {r.not200}"
        + (f" (last status {r.last_bad})" if r.not200 else "")
    )
    print(
        f"  target: zero errors at 50 connections for 60 s, 2 s timeout: {'ok' if r.errors == 0 else 'MISSED'}"
    )


def git_commit() -> str:
    result = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    changes = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
    ).stdout.splitlines()
    changed = len(changes)
    return result.stdout.strip() + (f" (+ uncommitted changes in {changed} tracked files)" if changed else "")


def machine_load() -> str:
    return f"{os.cpu_count()} CPUs, load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=1, help="rounds over every page (default 1)")
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run (default 20)")
    parser.add_argument("--connections", type=int, default=20, help="wrk connections (default 20)")
    parser.add_argument("--warm-up", type=int, default=2, help="seconds of unrecorded load per URL first")
    parser.add_argument(
        "--overload-duration", type=int, default=60, help="the 50-connection run (default 60)"
    )
    parser.add_argument("--no-overload", action="store_true", help="skip the 50-connection run")
    return parser.parse_args(argv)


def _interrupted(signum, frame):
    raise SystemExit(f"bench/pages.py: stopped by signal {signum}")


def main(argv=None) -> None:
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    if shutil.which("wrk") is None:
        sys.exit("bench/pages.py needs wrk on the PATH")
    try:
        pg_connect().close()
    except Exception as error:
        sys.exit(f"bench/pages.py needs PostgreSQL at {PG_URL} (BENCH_POSTGRES_URL): {error}")
    started = time.monotonic()
    # Bounded: setup, warm-up, the measured runs and the overload run, with room to spare.
    pages = (
        2 * len(PAGES) + len(MENTOR_PAGES) + 1
    )  # per round (+1: the API's goals list), with a healthz run first and after every two
    runs = args.rounds * (pages + 1 + pages // 2) * (args.duration + 5)
    budget = 600 + runs + 11 * args.warm_up + (0 if args.no_overload else args.overload_duration + 30)
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGALRM, lambda *_: _interrupted("SIGALRM (time budget)", None))
    signal.alarm(budget)

    tmp = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    env = bench_environment(tmp)
    os.environ.update(env)
    sys.path[:0] = [str(tmp), str(ROOT)]
    server = None
    print(f"pages bench on {git_commit()}; {machine_load()}")
    try:
        recreate_database()
        t0 = time.monotonic()
        people = prepare_database()
        print(f"      migrate, ladder, people and collectstatic in {time.monotonic() - t0:.1f} s")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_gunicorn(port, env, tmp / "gunicorn.log")
        script = tmp / "count.lua"
        script.write_text(WRK_SCRIPT)
        for person in people:
            person.cookie = log_in(base, person.email)
            person.urls = page_urls(base, person)
            sizes = {page: check_page(url, auth_header(person, page)) for page, url in person.urls.items()}
            print(
                f"{person.label} signed in; pages answer 200: "
                + ", ".join(f"{p} {s / 1024:.0f} kB" for p, s in sizes.items())
            )
        if args.warm_up:  # unrecorded: templates compiled, connections open, caches filled
            warm_up = [(f"{base}/healthz", auth_header(people[0], "healthz"))]
            warm_up += [(url, auth_header(p, page)) for p in people for page, url in p.urls.items()]
            for url, header in warm_up:
                run_wrk(
                    url,
                    header=header,
                    connections=args.connections,
                    duration=args.warm_up,
                    script=script,
                    master=server.pid,
                )

        results: dict[tuple[str, str], PageFigures] = {}
        healthz_runs: list[Run] = []
        for n in range(args.rounds):
            print(f"round {n + 1} of {args.rounds}:")
            measure_round(people, base, args, script, server.pid, results, healthz_runs)
        print_tables(people, results, healthz_runs, args)
        if not args.no_overload:
            overload_run(people[0], args, script, server.pid)
    finally:
        signal.alarm(0)
        if server is not None:
            stop_gunicorn(server)
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        drop_database()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\npages bench: {time.monotonic() - started:.0f} s in all; {machine_load()}")


if __name__ == "__main__":
    main()
