"""Screenshot every page at phone (390 px) and desktop (1280 px) widths, for a person to look at.

    .venv/bin/python tools/screenshots.py        # PNGs in var/screenshots/pages/

Builds a scratch database (var/screenshots/site.sqlite3) with the shipped ladder and a
demo person with a plan, goals and reminder settings, then drives Debian's Chromium through
Playwright. Besides the pages, it shoots the reminder email's links (the unsubscribe confirmation
and done pages, an expired and a broken link) and the reminder digest email itself, rendered to
var/screenshots/pages/reminder-digest.html.
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "screenshots" / "pages"
DB = ROOT / "var" / "screenshots" / "site.sqlite3"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
EMAIL, PASSWORD = "demo@example.com", "demo passphrase 2026"
CALM_EMAIL = "calm@example.com"  # a second person, whose dashboard is up to date

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
# For the digest: a goal overdue, one due this week, a milestone due soon, a certification expiring.
Goal.objects.create(plan=plan, title="Ship the pricing page experiment", metric="Experiments shipped", unit="experiments",
    baseline=Decimal(0), target=Decimal(1), start_date=timezone.localdate() - timedelta(days=90),
    deadline=timezone.localdate() - timedelta(days=3))
soon = Goal.objects.create(plan=plan, title="Present the Q3 roadmap to leadership", metric="Roadmap reviews held",
    unit="reviews", baseline=Decimal(0), target=Decimal(1), start_date=timezone.localdate() - timedelta(days=30),
    deadline=timezone.localdate() + timedelta(days=4))
Milestone.objects.create(goal=soon, title="Draft the roadmap deck", due_date=timezone.localdate() + timedelta(days=2))
PlanCertification.objects.create(plan=plan, certification=Certification.objects.get(abbreviation="CPO"),
    status="earned", earned_on=timezone.localdate() - timedelta(days=700), expires_on=timezone.localdate() + timedelta(days=20))
# The dashboard's "Needs your attention": a mentor's comments on the plan and a goal, and an
# overdue milestone (the experiment past its deadline is behind, the CPO expiring).
from plans.sharing.models import Comment, Share
from goals.models import GoalComment
mentor = get_user_model().objects.create_user("maya", "maya@example.com", "{PASSWORD}", first_name="Maya Okafor")
Share.objects.create(plan=plan, email=mentor.email, user=mentor)
Comment.objects.create(plan=plan, author=mentor, body="The pricing course was a good pick. Have you thought about presenting what you learned to the team?")
GoalComment.objects.create(goal=goal, author=mentor, body="Four a month already: ask the sales team for two more introductions.")
Milestone.objects.create(goal=goal, title="Recruit interviewees from the beta list", due_date=timezone.localdate() - timedelta(days=5))
# A second person whose dashboard is up to date: one goal on track, checked in two days ago.
calm = get_user_model().objects.create_user("calm", "{CALM_EMAIL}", "{PASSWORD}", first_name="Sam Rivera")
EmailAddress.objects.create(user=calm, email="{CALM_EMAIL}", verified=True, primary=True)
calm_plan = CareerPlan.objects.create(owner=calm, title="Product Manager next year", current_role=apm,
    target_role=Role.objects.get(slug="product-manager"), is_primary=True)
calm_goal = Goal.objects.create(plan=calm_plan, title="Ship two pricing experiments", metric="Experiments shipped",
    unit="experiments", baseline=Decimal(0), target=Decimal(2), start_date=timezone.localdate() - timedelta(days=30),
    deadline=timezone.localdate() + timedelta(days=150), relevance="Evidence for the promotion case")
CheckIn.objects.create(goal=calm_goal, value=Decimal(1), checked_on=timezone.localdate() - timedelta(days=2))
from goals import services
services.reminder_settings_save(user=user, timezone="Europe/Berlin", hour=18, weekday=3, default_cadence="weekly",
    paused_until=None)
import json, time
from unittest import mock
from django.core import signing
from django.urls import reverse
from goals.reminders.tokens import CHECK_IN_LINK_SALT, unsubscribe_token
with mock.patch("time.time", return_value=time.time() - 15 * 86400):  # a digest from two weeks ago
    old = signing.dumps({{"goal": goal.pk, "user": user.pk}}, salt=CHECK_IN_LINK_SALT, compress=True)
print(json.dumps({{"plan": plan.pk, "goal": goal.pk, "unsubscribe": reverse("goals:unsubscribe", args=[unsubscribe_token(user)]),
    "expired": reverse("goals:check_in_link", args=[old])}}))
"""

# A fresh unsubscribe link for the demo person: one taken before they resubscribe has ended.
UNSUBSCRIBE = f"""
from django.contrib.auth import get_user_model
from django.urls import reverse
from goals.reminders.tokens import unsubscribe_token
print(reverse("goals:unsubscribe", args=[unsubscribe_token(get_user_model().objects.get(email="{EMAIL}"))]))
"""

# The digest the sweep would send the demo person now, written to a file for the browser to open.
DIGEST = """
import os
from django.contrib.auth import get_user_model
from django.utils import timezone
from goals.reminders.digest import build_digest
from base import emails
user = get_user_model().objects.get(username="demo")
now = timezone.now()
digest = build_digest(user=user, goal_ids=[int(os.environ["DIGEST_GOAL"])], now=now)
rendered = emails.render("reminder_digest", {**digest.context(now=now), "subject": digest.subject()})
with open(os.environ["DIGEST_FILE"], "w") as file:
    file.write(rendered.html)
"""


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    if DB.exists():
        DB.unlink()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{DB}", "DEBUG": "1"}
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "load_demo_data", "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    env["SITE_URL"] = base = f"http://127.0.0.1:{port}"
    out = subprocess.run(
        [py, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    made = json.loads(out.strip().splitlines()[-1])
    plan_id, goal_id = made["plan"], made["goal"]
    digest_file = OUT / "reminder-digest.html"
    digest_env = {**env, "DIGEST_GOAL": str(goal_id), "DIGEST_FILE": str(digest_file)}
    subprocess.run([py, "manage.py", "shell", "-c", DIGEST], cwd=ROOT, env=digest_env, check=True)
    server = subprocess.Popen(
        [py, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(3)
    anonymous = [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/ladders/",
        "/ladders/product-management/",
        "/ladders/product-management/senior-product-manager/",
    ]
    signed_in = [
        "/",
        "/plans/",
        "/plans/new/",
        f"/plans/{plan_id}/",
        f"/plans/{plan_id}/assess/",
        f"/plans/{plan_id}/history/",
        f"/plans/{plan_id}/sharing/",
        f"/plans/{plan_id}/certifications/add/",
        f"/plans/{plan_id}/activities/add/",
        f"/goals/plan/{plan_id}/new/",
        f"/goals/plan/{plan_id}/draft/",
        f"/goals/{goal_id}/",
        "/goals/calendar/",
        "/goals/reminders/",
        "/admin/skills/role/",
        "/accounts/profile/",
        "/goals/import/",
        f"/plans/{plan_id}/print/",
        f"/plans/{plan_id}/delete/",
        f"/goals/{goal_id}/delete/",
        "/accounts/profile/delete/",
        "/admin/skills/track/import/",
        "/ladders/software-engineering/",
    ]
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for width in (390, 1280):
                context = browser.new_context(viewport={"width": width, "height": 844})
                page = context.new_page()
                for path in anonymous:
                    shoot(page, base, path, f"anon-{width}")
                sign_in(page, base, EMAIL)
                for path in signed_in:
                    shoot(page, base, path, f"user-{width}")
                # The account menu, where Reminder settings live.
                page.goto(base + "/")
                if page.locator(".navbar-toggler").is_visible():
                    page.locator(".navbar-toggler").click()
                page.get_by_test_id("nav-user").click()
                page.get_by_role("link", name="Reminder settings").wait_for()
                shoot(page, base, None, f"user-{width}", name="account-menu")
                shoot(page, base, made["expired"], f"user-{width}", name="link-expired")
                # The digest's unsubscribe link, opened from a mail app: no session.
                mail_app = browser.new_context(viewport={"width": width, "height": 844})
                mail_page = mail_app.new_page()
                shoot(
                    mail_page, base, "/goals/unsubscribe/not-a-real-token/", f"mail-{width}", name="link-bad"
                )
                unsubscribe = (
                    subprocess.run(
                        [py, "manage.py", "shell", "-c", UNSUBSCRIBE],
                        cwd=ROOT,
                        env=env,
                        check=True,
                        capture_output=True,
                        text=True,
                    )
                    .stdout.strip()
                    .splitlines()[-1]
                )
                shoot(mail_page, base, unsubscribe, f"mail-{width}", name="unsubscribe-confirm")
                mail_page.get_by_role("button", name="Unsubscribe").click()
                mail_page.wait_for_selector("text=You are unsubscribed")
                shoot(mail_page, base, None, f"mail-{width}", name="unsubscribe-done")
                mail_app.close()
                shoot(page, base, "/goals/reminders/", f"user-{width}", name="reminders-unsubscribed")
                page.get_by_role("button", name="Resubscribe").click()
                page.wait_for_selector("text=reminder emails are on again")
                shoot(page, base, unsubscribe, f"user-{width}", name="unsubscribe-link-ended")
                shoot(page, base, digest_file.as_uri(), f"email-{width}", name="reminder-digest")
                context.close()
                # The dashboard with nothing pressing: "You're up to date".
                calm = browser.new_context(viewport={"width": width, "height": 844})
                calm_page = calm.new_page()
                sign_in(calm_page, base, CALM_EMAIL)
                shoot(calm_page, base, "/", f"user-{width}", name="dashboard-up-to-date")
                calm.close()
            browser.close()
    finally:
        server.terminate()
    print(f"screenshots in {OUT}")


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Buttons, links styled as buttons and form fields shorter than this on a phone are hard to tap.
SMALL_TARGETS = """() => [...document.querySelectorAll("a.btn, label.btn, button, input:not([type=hidden]):not(.btn-check), select, textarea")]
    .filter(el => el.offsetParent !== null && !el.closest(".dropdown-menu, .navbar-collapse:not(.show)"))
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, box]) => box.height < 44 && !(el.type === "checkbox" || el.type === "radio"))
    .map(([el, box]) => `${el.tagName.toLowerCase()} "${(el.innerText || el.name || "").trim().slice(0, 30)}" ${Math.round(box.height)}px`)"""


def shoot(page, base: str, path: str | None, prefix: str, name: str = "") -> None:
    """Open path (a site path, or a file:// URL) unless it is None, and screenshot the page."""
    response = None
    if path is not None:
        response = page.goto(path if path.startswith("file:") else base + path)
    page.wait_for_timeout(400)
    name = f"{prefix}-{name}" if name else prefix + (path.strip("/").replace("/", "_") or "home")
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
    status = response.status if response else "  -"
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    small = page.evaluate(SMALL_TARGETS) if page.viewport_size["width"] < 576 else []
    print(
        f"{status} {'OVERFLOW ' if overflow else ''}{name}" + (f"  small targets: {small}" if small else "")
    )


if __name__ == "__main__":
    main()
