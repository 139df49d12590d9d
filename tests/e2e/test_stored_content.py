"""Stored content is never executed: script and onerror payloads saved in every free-text field a
person writes (plans, goals, check-ins, milestones, activities, certifications, comments,
invitations, their name), then every page and email that shows them opened in a browser. No
script runs (a dialog listener, the CSP's refusals) and the text shows as typed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from goals.models import CheckIn, GoalComment, Milestone
from plans.models import Activity, PlanCertification, SkillAssessment
from plans.sharing.models import Comment, Share
from tests.conftest import make_user
from tests.e2e.conftest import csp_violations, signed_in_context
from tests.factories import CertificationFactory, SkillFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory, ShareFactory

pytestmark = pytest.mark.browser

PAYLOAD = "<script>alert('xss')</script><img src=x onerror=alert('xss')>\"'><svg onload=alert(1)>"


def stored(field: str) -> str:
    return f"{field} {PAYLOAD}"


@pytest.fixture
def hostile(db, password):
    """Everything a person can write, written by an attacker."""
    owner = make_user("owner@example.com", password)
    owner.first_name = stored("name")
    owner.save()
    mentor = make_user("mentor@example.com", password)
    today = timezone.localdate()
    plan = CareerPlanFactory(owner=owner, title=stored("plan"), vision=stored("vision"))
    goal = GoalFactory(
        plan=plan,
        title=stored("goal"),
        description=stored("description"),
        metric=stored("metric"),
        unit="things",
        plan_of_attack=stored("attack"),
        effort=stored("effort"),
        relevance=stored("relevance"),
        start_date=today - timedelta(days=30),
        deadline=today + timedelta(days=3),
    )
    CheckIn.objects.create(goal=goal, value=1, note=stored("check-in"), checked_on=today - timedelta(days=9))
    Milestone.objects.create(goal=goal, title=stored("milestone"), due_date=today + timedelta(days=2))
    Activity.objects.create(
        plan=plan, kind="course", title=stored("activity"), date=today, note=stored("note")
    )
    certification = CertificationFactory()
    PlanCertification.objects.create(
        plan=plan, certification=certification, status="planned", target_date=today
    )
    SkillAssessment.objects.create(plan=plan, skill=SkillFactory(), level=2, note=stored("assessment"))
    ShareFactory(plan=plan, user=mentor, email=mentor.email)
    invitation = Share.objects.create(plan=plan, email="new@example.com", message=stored("invitation"))
    Comment.objects.create(plan=plan, author=mentor, body=stored("comment"))
    GoalComment.objects.create(goal=goal, author=mentor, body=stored("goal comment"))
    return owner, mentor, plan, goal, invitation


def open_and_check(page, url: str, fired: list[str]) -> str:
    page.goto(url)
    page.wait_for_load_state("load")
    assert not fired, f"{url}: a stored script ran: {fired}"
    assert not csp_violations(page), f"{url}: {csp_violations(page)}"
    # What a person reads: the text, and what the form fields hold.
    values = page.eval_on_selector_all("input, textarea", "fields => fields.map(f => f.value).join('\\n')")
    return page.inner_text("body") + "\n" + values


def test_no_stored_payload_runs_anywhere_and_each_shows_as_typed(hostile, live_server, browser):
    from django.urls import reverse

    owner, mentor, plan, goal, invitation = hostile
    fired: list[str] = []
    owner_pages = [
        plan.get_absolute_url(),
        goal.get_absolute_url(),
        reverse("home"),
        reverse("plans:list"),
        reverse("goals:plan_goals", args=[plan.pk]),
        reverse("plans:activity_list", args=[plan.pk]),
        reverse("plans:history", args=[plan.pk]),
        reverse("plans:share_list", args=[plan.pk]),
        reverse("plans:edit", args=[plan.pk]),
        reverse("goals:edit", args=[goal.pk]),
        reverse("plans:assess", args=[plan.pk]),
        reverse("accounts:account"),
        reverse("plans:activity_edit", args=[plan.pk, Activity.objects.get(plan=plan).pk]),
    ]
    mentor_pages = [plan.get_absolute_url(), goal.get_absolute_url(), reverse("home")]
    anonymous_pages = [reverse("plans:invitation_accept", args=[invitation.token])]
    seen = ""
    for user, pages in ((owner, owner_pages), (mentor, mentor_pages), (None, anonymous_pages)):
        context = signed_in_context(browser, live_server, 1280, user)
        page = context.new_page()
        page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
        for path in pages:
            seen += open_and_check(page, live_server.url + path, fired)
        context.close()

    for field in (
        "name",
        "plan",
        "vision",
        "goal",
        "description",
        "metric",
        "attack",
        "effort",
        "relevance",
        "check-in",
        "milestone",
        "activity",
        "note",
        "comment",
        "goal comment",
        "invitation",
    ):
        assert stored(field) in seen, f"{field} is not shown as typed"


def test_emails_that_carry_stored_text_run_no_script(hostile, live_server, browser, alice_client):
    """The invitation, a comment notice and the reminder digest, their HTML opened in a browser
    (no CSP there: escaping alone must hold)."""
    from goals.reminders.digest import build_digest
    from plans.sharing import emails, services

    owner, mentor, plan, goal, invitation = hostile
    mail.outbox.clear()
    emails.invitation_send(share=invitation)
    services.comment_add(plan=plan, author=mentor, body=stored("new comment"))
    rendered, _ = build_digest(user=owner, goal_ids=[goal.pk], now=timezone.now()).render(now=timezone.now())
    by_kind = {
        "invitation": next(
            body for m in mail.outbox if m.to == ["new@example.com"] for body, _ in m.alternatives
        ),
        "new comment": next(body for m in mail.outbox if m.to == [owner.email] for body, _ in m.alternatives),
        "goal": rendered.html,
    }

    context = browser.new_context()
    page = context.new_page()
    fired: list[str] = []
    page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
    for field, html in by_kind.items():
        page.set_content(html)
        page.wait_for_timeout(100)
        assert stored(field) in page.inner_text("body"), f"the {field} email does not show the text as typed"
    context.close()
    assert not fired, f"a stored script ran in an email: {fired}"
