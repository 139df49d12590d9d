"""The mentor loop in a browser, with every email through a real SMTP server: the owner invites a
mentor by email; the mentor signs up from the invitation (the address filled in), reads the plan
and comments on a goal; the owner is emailed and replies; the mentor is emailed the reply."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from goals.models import GoalComment
from plans.sharing.models import Share
from tests.conftest import body_text, make_user
from tests.e2e.conftest import (
    AXE_RUN,
    AXE_TAGS,
    BLOCKING_IMPACTS,
    VIOLATIONS,
    describe_violations,
    load_axe,
    screenshot,
)
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.browser

OWNER, MENTOR, PASSWORD = "alice@example.com", "maya@example.com", "a long new passphrase 3"
GOAL = "Run 6 customer interviews a month"
SIGN_UP = re.compile(r"^sign up$", re.IGNORECASE)
SIGN_IN = re.compile(r"^sign in$", re.IGNORECASE)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def assert_accessible_within(page, selector: str, where: str) -> None:
    """No serious or critical axe-core violation inside `selector`: the parts this flow adds (the
    rest of each page has its own checks in test_accessibility.py)."""
    load_axe(page)
    violations = page.evaluate(
        "([selector, tags]) => " + AXE_RUN.format(context="{include: [selector]}") + VIOLATIONS,
        [selector, AXE_TAGS],
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "axe-core found:\n" + describe_violations(blocking, where)


def subject(message) -> str:
    return " ".join(str(message["Subject"]).split())  # a long header comes back folded


def link_in(message, pattern: str) -> str:
    return re.search(pattern, body_text(message)).group(0)


def test_mentor_signs_up_from_the_invitation_comments_on_a_goal_and_gets_the_reply(
    live_server, browser, smtp_server, settings
):
    settings.SITE_URL = live_server.url  # links in the emails point at this server
    owner = make_user(OWNER, PASSWORD)
    owner.first_name = "Alice Owner"
    owner.save()
    plan = CareerPlanFactory(owner=owner, title="Become a Senior PM", is_primary=True)
    goal = GoalFactory(plan=plan, title=GOAL, start_date=timezone.localdate() - timedelta(days=60))

    owner_context = browser.new_context(viewport={"width": 1280, "height": 900})
    mentor_context = browser.new_context(viewport={"width": 390, "height": 844})
    owner_page, mentor_page = owner_context.new_page(), mentor_context.new_page()
    for page in (owner_page, mentor_page):
        page.set_default_timeout(15_000)
    try:
        # The owner invites her mentor from the sharing page.
        owner_page.goto(live_server.url + "/accounts/login/")
        owner_page.fill("input[name=login]", OWNER)
        owner_page.fill("input[name=password]", PASSWORD)
        owner_page.get_by_role("button", name=SIGN_IN).click()
        owner_page.wait_for_url(live_server.url + "/")
        owner_page.goto(live_server.url + f"/plans/{plan.pk}/sharing/")
        owner_page.get_by_label("Their email address").fill(MENTOR)
        owner_page.get_by_label("Personal message").fill("Could you look at my interviews goal?")
        owner_page.get_by_role("button", name="Send invitation").click()
        owner_page.wait_for_selector(f"text=Invitation sent to {MENTOR}.")

        [invitation] = smtp_server.wait_for(1)
        assert invitation["To"] == MENTOR
        assert subject(invitation) == "[CareerPath] Alice Owner invited you to read their career plan"
        accept_url = link_in(invitation, r"https?://\S+/plans/invitations/[\w-]+/")

        # The mentor, on a phone with no account, opens the link: who invited them, to what.
        mentor_page.goto(accept_url)
        assert (
            "Alice Owner invited you to read their career plan"
            in mentor_page.get_by_test_id("inviter").inner_text()
        )
        assert "Could you look at my interviews goal?" in mentor_page.content()
        assert OWNER not in mentor_page.content()
        assert_accessible_within(mentor_page, "main", "invitation landing")
        screenshot(mentor_page, "mentor-invitation-landing-phone")
        mentor_page.get_by_test_id("invitation-signup").click()
        mentor_page.wait_for_url("**/accounts/signup/**")
        assert mentor_page.locator("input[name=email]").input_value() == MENTOR  # filled in
        mentor_page.get_by_label("Your name").fill("Maya Mentor")
        mentor_page.fill("input[name=password1]", PASSWORD)
        mentor_page.fill("input[name=password2]", PASSWORD)
        mentor_page.get_by_role("button", name=SIGN_UP).click()
        mentor_page.wait_for_url("**/confirm-email/")

        # Confirmed in the same browser: signed in, back at the invitation, on to the plan.
        confirmation = smtp_server.wait_for(2)[-1]
        assert confirmation["To"] == MENTOR
        mentor_page.goto(link_in(confirmation, r"https?://\S+/accounts/confirm-email/\S+/"))
        confirm = mentor_page.get_by_role("button", name=re.compile("^confirm$", re.IGNORECASE))
        if confirm.count():  # unless opening the link confirms it (ACCOUNT_CONFIRM_EMAIL_ON_GET)
            confirm.click()
        mentor_page.wait_for_url(live_server.url + plan.get_absolute_url())
        assert Share.objects.get(plan=plan).user.email == MENTOR
        assert "Shared with you by Alice Owner" in mentor_page.get_by_test_id("shared-by").inner_text()

        # The mentor reads the plan, opens the goal and comments on it.
        mentor_page.get_by_role("link", name=GOAL).first.click()
        mentor_page.wait_for_url(f"**/goals/{goal.pk}/")
        assert "Alice Owner's goal" in mentor_page.content()
        assert mentor_page.get_by_role("link", name="Edit").count() == 0  # reads, cannot change
        mentor_page.get_by_label("Add a comment").fill("Try a discovery interview guide first.")
        mentor_page.get_by_role("button", name="Post comment").click()
        mentor_page.wait_for_selector("text=Comment posted.")
        assert GoalComment.objects.get().author.first_name == "Maya Mentor"

        # The owner is emailed, follows the link to the thread and replies.
        to_owner = smtp_server.wait_for(3)[-1]
        assert to_owner["To"] == OWNER
        assert subject(to_owner) == f"[CareerPath] Maya Mentor commented on your goal “{GOAL}”"
        assert "Try a discovery interview guide first." in body_text(to_owner)
        thread_url = link_in(to_owner, r"https?://\S+/goals/\d+/#comments")
        owner_page.goto(thread_url)
        thread = owner_page.get_by_test_id("comments")
        assert "Maya Mentor" in thread.inner_text() and MENTOR not in owner_page.content()
        owner_page.get_by_label("Add a comment").fill("Good idea: I booked four this month.")
        owner_page.get_by_role("button", name="Reply").click()
        owner_page.wait_for_selector("text=Comment posted.")
        assert owner_page.get_by_test_id("comments").locator("li").count() == 2
        assert_accessible_within(owner_page, "#comments", "goal comments")
        screenshot(owner_page, "mentor-goal-thread")

        # The mentor is emailed the reply, and the thread shows it.
        to_mentor = smtp_server.wait_for(4)[-1]
        assert to_mentor["To"] == MENTOR
        assert subject(to_mentor) == f"[CareerPath] Alice Owner replied on “{GOAL}”"
        assert "Good idea: I booked four this month." in body_text(to_mentor)
        assert len(smtp_server.messages) == 4  # nobody is emailed their own comment
        # (a new tab, as a mail app opens it: this one is still on the thread)
        mentor_page = mentor_context.new_page()
        mentor_page.goto(live_server.url + path_of(link_in(to_mentor, r"https?://\S+/goals/\d+/#comments")))
        assert "Good idea: I booked four this month." in mentor_page.get_by_test_id("comments").inner_text()

        # The mentor's dashboard leads with the plan they mentor.
        mentor_page.goto(live_server.url + "/")
        shared = mentor_page.get_by_test_id("shared-plan")
        assert "Alice Owner's plan" in shared.inner_text() and "Become a Senior PM" in shared.inner_text()
        assert mentor_page.get_by_text("Your first step: create your first plan").count() == 0
        assert_accessible_within(mentor_page, "[data-testid=shared-plans]", "mentor dashboard")
        screenshot(mentor_page, "mentor-dashboard-phone")
    finally:
        owner_context.close()
        mentor_context.close()
