"""The print view in Chromium: a plan with 20 goals prints on at most two A4 pages and at most two
Letter pages, and the PDF's text holds the title, the readiness the page shows and every goal.

The PDFs are read with poppler's pdfinfo and pdftotext (CI installs poppler-utils): without them
the test fails, it never skips.
"""

import re
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from goals.models import CheckIn, Goal, GoalComment
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.sharing.models import Comment
from tests.conftest import make_user
from tests.e2e.conftest import SCREENSHOTS, assert_accessible_at_each_width, signed_in_context
from tests.factories import CertificationFactory, RoleFactory, RoleSkillFactory, SkillFactory, TrackFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import ShareFactory

pytestmark = pytest.mark.browser

# (title, metric, unit, baseline, target, check-ins): what a product manager works on over a year.
GOALS = [
    ("Run 6 customer interviews a month", "Interviews per month", "interviews", 1, 6, (2, 3, 4)),
    ("Ship the pricing experiment for the self-serve plan", "Experiment shipped", "%", 0, 100, (40,)),
    ("Finish the product analytics course", "Modules completed", "modules", 0, 12, (3, 6, 8)),
    (
        "Write and share a one-page product strategy for the payments team",
        "Drafts reviewed",
        "drafts",
        0,
        3,
        (),
    ),
    ("Reach level 4 in Market analysis", "Self-assessed level", "level", 2, 4, ()),
    ("Present the quarterly roadmap to the leadership team", "Presentations", "talks", 0, 2, (1,)),
    ("Cut the onboarding drop-off rate", "Drop-off", "%", 38, 25, (35, 31)),
    ("Mentor a new associate product manager", "Sessions held", "sessions", 0, 10, (2, 4)),
    ("Read four books on product discovery", "Books read", "books", 0, 4, (1,)),
    ("Run a design sprint with engineering and design", "Sprints run", "sprints", 0, 1, ()),
    ("Publish two articles on the company engineering blog", "Articles published", "articles", 0, 2, ()),
    ("Define north-star metrics for the mobile app", "Metrics agreed", "metrics", 0, 3, (1, 2)),
    (
        "Lead the discovery for the invoicing feature end to end",
        "Opportunities validated",
        "ideas",
        0,
        5,
        (1,),
    ),
    ("Speak at a product management meetup", "Talks given", "talks", 0, 1, ()),
    ("Improve NPS of the admin console", "NPS", "points", 21, 35, (24, 27, 29)),
    ("Get fluent in SQL for product analytics", "Practice queries", "queries", 0, 50, (12, 25)),
    ("Build a relationship with three enterprise customers", "Regular contacts", "customers", 0, 3, (1,)),
    ("Reduce support tickets about billing", "Tickets per week", "tickets", 40, 20, (36, 33)),
    ("Run a pricing workshop with sales", "Workshops", "workshops", 0, 1, (1,)),
    ("Document the team's product decision process", "Pages written", "pages", 0, 5, (2,)),
]
SKILLS = [
    ("Market analysis", 4, 2),
    ("Business strategy", 4, 1),
    ("Stakeholder management and executive communication", 4, 2),
    ("Product discovery", 4, 3),
    ("Data analysis", 3, 2),
    ("Pricing", 3, 1),
    ("Roadmapping", 4, 4),
    ("Leadership", 3, None),
]


def build_plan() -> tuple[CareerPlan, object]:
    today = timezone.localdate()
    owner = make_user("priya@example.com", "a long passphrase 9")
    owner.first_name = "Priya Raman"
    owner.save()
    mentor = make_user("maya@example.com", "a long passphrase 9")
    mentor.first_name = "Maya Okafor"
    mentor.save()
    track = TrackFactory(name="Product Management")
    current = RoleFactory(track=track, title="Product Manager", level=3)
    target = RoleFactory(track=track, title="Senior Product Manager", level=4)
    plan = CareerPlan.objects.create(
        owner=owner,
        title="Senior Product Manager by spring 2028",
        current_role=current,
        target_role=target,
        target_date=today + timedelta(days=600),
        vision="Lead the payments product line.",
    )
    for name, required, assessed in SKILLS:
        skill = SkillFactory(name=name)
        RoleSkillFactory(role=target, skill=skill, level=required)
        if assessed:
            SkillAssessment.objects.create(plan=plan, skill=skill, level=assessed)
    for i, (title, metric, unit, baseline, target_value, values) in enumerate(GOALS):
        start = today - timedelta(days=90 - i)
        goal = GoalFactory(
            plan=plan,
            title=title,
            metric=metric,
            unit=unit,
            baseline=Decimal(baseline),
            target=Decimal(target_value),
            start_date=start,
            deadline=start + timedelta(days=150 + 20 * i),
            status=Goal.Status.COMPLETED if i == 18 else Goal.Status.ACTIVE,
        )
        for n, value in enumerate(values):
            CheckIn.objects.create(
                goal=goal, value=Decimal(value), checked_on=start + timedelta(days=20 * (n + 1))
            )
    for name, abbreviation, status, days in [
        ("Certified Scrum Product Owner", "CSPO", "earned", -400),
        ("Pragmatic Institute Product Management Certification", "PMC", "in_progress", 90),
        ("Product Analytics Certification", "", "planned", 200),
    ]:
        record = PlanCertification(
            plan=plan, certification=CertificationFactory(name=name, abbreviation=abbreviation), status=status
        )
        if status == "earned":
            record.earned_on = today + timedelta(days=days)
        else:
            record.target_date = today + timedelta(days=days)
        record.save()
    for days, kind, title in [
        (3, "book", "Continuous Discovery Habits"),
        (10, "conference", "Mind the Product, London"),
        (18, "course", "Reforge: Product strategy"),
        (25, "mentored", "Monthly session with Maya"),
        (40, "talk", "Lightning talk on pricing tests"),
        (60, "workshop", "Opportunity solution trees workshop"),
        (80, "blog_post", "What we learned from 50 interviews"),
    ]:
        Activity.objects.create(
            plan=plan, kind=kind, title=title, date=today - timedelta(days=days), status="done"
        )
    ShareFactory(plan=plan, user=mentor, email=mentor.email)
    Comment.objects.create(plan=plan, author=mentor, body="Good plan. Start with the interviews.")
    Comment.objects.create(plan=plan, author=owner, body="Thanks, booked the first three.")
    GoalComment.objects.create(
        goal=plan.goals.get(title=GOALS[0][0]), author=mentor, body="Ask each of them what they tried first."
    )
    return plan, owner


def poppler(tool: str, *args: str) -> str:
    """Run a poppler-utils tool; a missing one fails the test (CI installs poppler-utils)."""
    path = shutil.which(tool)
    assert path, f"{tool} is required to read the printed PDF: apt-get install -y poppler-utils"
    return subprocess.run([path, *args], capture_output=True, text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", str(pdf)), re.MULTILINE).group(1))


def pdf_text(pdf: Path) -> str:
    """The PDF's text in the order it was drawn, whitespace collapsed (a wrapped title reads whole)."""
    return " ".join(poppler("pdftotext", "-raw", str(pdf), "-").split())


def test_a_plan_with_20_goals_prints_on_two_pages_of_a4_and_of_letter(
    live_server, browser, transactional_db, tmp_path
):
    plan, owner = build_plan()
    url = live_server.url + f"/plans/{plan.pk}/print/"
    context = signed_in_context(browser, live_server, 390, owner)
    page = context.new_page()
    page.goto(url)

    def the_buttons_show_on_screen(width: int) -> None:
        assert page.get_by_role("button", name="Print / save as PDF").is_visible()
        assert page.get_by_role("link", name="Back to the plan").is_visible()

    # Loaded at 390 px, checked there and widened to 1280 px.
    assert_accessible_at_each_width(page, "print view", shot="print-view", also=the_buttons_show_on_screen)
    context.close()

    context = signed_in_context(browser, live_server, 1280, owner)
    page = context.new_page()
    page.goto(url)
    readiness = page.get_by_test_id("readiness").inner_text().strip()
    assert re.fullmatch(r"\d+% ready", readiness), readiness
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print / save as PDF").is_visible()
    assert not page.get_by_role("link", name="Back to the plan").is_visible()
    for paper in ("A4", "Letter"):
        pdf = tmp_path / f"plan-{paper}.pdf"
        page.pdf(path=str(pdf), format=paper)
        shutil.copy(pdf, SCREENSHOTS / f"print-view-{paper}.pdf")
        assert page_count(pdf) <= 2, f"{paper}: {page_count(pdf)} pages"
        text = pdf_text(pdf)
        assert plan.title in text
        assert readiness in text
        missing = [title for title, *_ in GOALS if title not in text]
        assert not missing, f"{paper}: goals missing from the PDF's text: {missing}"
        assert "Print / save as PDF" not in text and "Back to the plan" not in text
        assert "Ask each of them what they tried first." in text
    assert not page.evaluate("window.__cspViolations")
    context.close()
