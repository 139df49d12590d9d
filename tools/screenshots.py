"""Screenshot every page at phone (390 px) and desktop (1280 px) widths, for a person to look at.

    .venv/bin/python tools/screenshots.py        # PNGs in var/screenshots/pages/

Builds a scratch database (var/screenshots/site.sqlite3) with the shipped ladder and a
demo person with a plan, then drives Debian's Chromium through Playwright.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "screenshots" / "pages"
DB = ROOT / "var" / "screenshots" / "site.sqlite3"
PORT = 8765
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
EMAIL, PASSWORD = "demo@example.com", "demo passphrase 2026"

SETUP = f"""
from datetime import timedelta
from decimal import Decimal
from django.contrib.auth import get_user_model
from django.utils import timezone
from allauth.account.models import EmailAddress
from plans.models import CareerPlan, SkillAssessment, PlanCertification, Activity
from skills.models import Role, Certification
from goals.models import Goal, CheckIn, Milestone
user = get_user_model().objects.create_user("demo", "{EMAIL}", "{PASSWORD}", is_staff=True, is_superuser=True)
EmailAddress.objects.create(user=user, email="{EMAIL}", verified=True, primary=True)
apm = Role.objects.get(slug="associate-product-manager"); spm = Role.objects.get(slug="senior-product-manager")
plan = CareerPlan.objects.create(owner=user, title="Senior PM by 2028", current_role=apm, target_role=spm,
    is_primary=True, vision="Lead a product line in fintech.", target_date=timezone.localdate() + timedelta(days=540))
for i, req in enumerate(spm.requirements.select_related("skill")[:14]):
    SkillAssessment.objects.create(plan=plan, skill=req.skill, level=1 + i % 4)
cpm = Certification.objects.get(abbreviation="CPM")
PlanCertification.objects.create(plan=plan, certification=cpm, status="in_progress", target_date=timezone.localdate() + timedelta(days=90))
Activity.objects.create(plan=plan, kind="course", title="Pricing strategy course", date=timezone.localdate() - timedelta(days=20), status="done")
Activity.objects.create(plan=plan, kind="talk", title="Talk at the PM meetup", date=timezone.localdate() + timedelta(days=30))
goal = Goal.objects.create(plan=plan, title="Run 6 customer interviews a month", metric="Interviews per month", unit="interviews",
    baseline=Decimal(1), target=Decimal(6), start_date=timezone.localdate() - timedelta(days=60),
    deadline=timezone.localdate() + timedelta(days=120), relevance="Customer insight for the roadmap")
for d, v in ((50, 2), (30, 3), (10, 4)):
    CheckIn.objects.create(goal=goal, value=Decimal(v), checked_on=timezone.localdate() - timedelta(days=d))
Milestone.objects.create(goal=goal, title="Interview script reviewed", due_date=timezone.localdate() + timedelta(days=14))
print(plan.pk, goal.pk)
"""


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    if DB.exists():
        DB.unlink()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{DB}", "DEBUG": "1"}
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "load_demo_data", "-v0"], cwd=ROOT, env=env, check=True)
    ids = subprocess.run([py, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.split()  # fmt: skip
    plan_id, goal_id = ids[-2], ids[-1]
    server = subprocess.Popen([py, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(3)
    base = f"http://127.0.0.1:{PORT}"
    anonymous = ["/", "/accounts/login/", "/accounts/signup/", "/ladders/", "/ladders/product-management/",
                 "/ladders/product-management/senior-product-manager/"]  # fmt: skip
    signed_in = ["/", "/plans/", "/plans/new/", f"/plans/{plan_id}/", f"/plans/{plan_id}/assess/",
                 f"/plans/{plan_id}/history/", f"/plans/{plan_id}/sharing/", f"/plans/{plan_id}/certifications/add/",
                 f"/plans/{plan_id}/activities/add/", f"/goals/plan/{plan_id}/new/", f"/goals/plan/{plan_id}/draft/",
                 f"/goals/{goal_id}/", "/goals/calendar/", "/admin/skills/role/"]  # fmt: skip
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for width in (390, 1280):
                context = browser.new_context(viewport={"width": width, "height": 844})
                page = context.new_page()
                for path in anonymous:
                    shoot(page, base, path, f"anon-{width}")
                page.goto(base + "/accounts/login/")
                page.fill("input[name=login]", EMAIL)
                page.fill("input[name=password]", PASSWORD)
                page.get_by_role("button", name="Sign In").click()
                page.wait_for_load_state()
                for path in signed_in:
                    shoot(page, base, path, f"user-{width}")
                context.close()
            browser.close()
    finally:
        server.terminate()
    print(f"screenshots in {OUT}")


def shoot(page, base: str, path: str, prefix: str) -> None:
    response = page.goto(base + path)
    page.wait_for_timeout(400)
    name = prefix + (path.strip("/").replace("/", "_") or "home")
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
    status = response.status if response else "?"
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    print(f"{status} {'OVERFLOW ' if overflow else ''}{name}")


if __name__ == "__main__":
    main()
