"""A 1:1 in a real browser (issue 24, item 4): the mentor, on a phone, schedules a 1:1 on the plan
shared with him; it opens with talking points from the plan; he adds an action item and proposes it
for the plan. The owner, on a laptop, sees it waiting, confirms it, and it is a goal on her plan.
Every page of the flow at 390 and 1280 px has no serious or critical axe-core violation."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from goals.models import Goal
from goals.oneonones.models import ActionItem, OneOnOne
from tests.conftest import make_user
from tests.e2e.conftest import assert_accessible, signed_in_context
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory, ShareFactory

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-oneonones")
ITEM = "Run 3 customer interviews"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def people(db):
    owner = make_user("alice@example.com", "pw")
    owner.first_name = "Alice"
    owner.save()
    mentor = make_user("maya@example.com", "pw")
    mentor.first_name = "Maya"
    mentor.save()
    plan = CareerPlanFactory(owner=owner, title="Become a Senior PM", is_primary=True)
    GoalFactory(
        plan=plan, title="Ship the pricing test", start_date=timezone.localdate() - timedelta(days=90)
    )
    ShareFactory(plan=plan, user=mentor, email=mentor.email)
    return owner, mentor, plan


def test_the_mentor_proposes_an_action_item_and_it_is_a_goal_once_the_owner_confirms(
    live_server, browser, people
):
    owner, mentor, plan = people
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    due = (timezone.localdate() + timedelta(days=40)).isoformat()

    mentor_context = signed_in_context(browser, live_server, 390, mentor)
    owner_context = signed_in_context(browser, live_server, 1280, owner)
    try:
        page = mentor_context.new_page()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.goto(live_server.url + plan.get_absolute_url())
        page.get_by_test_id("one-on-ones-link").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "plan-page-sharing-mentor-390.png"))
        page.get_by_test_id("one-on-ones-link").click()
        page.get_by_role("link", name="Schedule a 1:1").first.click()
        assert_accessible(page, "schedule a 1:1 (mentor, 390)")
        page.get_by_label("Date").fill(day)
        page.get_by_label("Time").fill("14:30")
        page.get_by_role("button", name="Schedule 1:1").click()
        page.wait_for_selector("text=1:1 scheduled, with talking points from the plan.")
        points = page.get_by_test_id("talking-points").inner_text()
        assert "Goal “Ship the pricing test” is behind" in points
        page.get_by_role("textbox", name="Action item").fill(ITEM)
        page.get_by_label("Due by").fill(due)
        page.get_by_role("button", name="Add action item").click()
        page.wait_for_selector("text=Action item added.")
        page.get_by_role("button", name=re.compile(f"^Propose for the plan.*{ITEM}")).click()
        page.wait_for_selector("text=it goes on the plan when its owner confirms")
        assert "Waiting for Alice to confirm" in page.get_by_test_id("action-item").inner_text()
        assert_accessible(page, "1:1 page (mentor, 390)")
        shot(page, "one-on-one-mentor-390")
        assert not Goal.objects.filter(title=ITEM).exists()

        meeting = OneOnOne.objects.get()
        owner_page = owner_context.new_page()
        owner_page.goto(live_server.url + meeting.get_absolute_url())
        assert_accessible(owner_page, "1:1 page (owner, 1280)")
        shot(owner_page, "one-on-one-owner-1280-before")
        owner_page.get_by_role("button", name=re.compile(f"^Confirm.*{ITEM}")).click()
        owner_page.wait_for_selector(f"text=“{ITEM}” is on the plan as a goal.")
        assert_accessible(owner_page, "1:1 page after confirming (owner, 1280)")
        shot(owner_page, "one-on-one-owner-1280-after")
        goal = Goal.objects.get(title=ITEM)
        assert goal.plan == plan and goal.attack_later
        assert ActionItem.objects.get().goal == goal
        owner_page.get_by_role("link", name="See the goal").click()
        owner_page.wait_for_selector(f"h1:has-text('{ITEM}')")

        # The other width for each page, for each person: each one's own page, its window resized
        # (the pages lay themselves out in CSS; no script of theirs reads the width).
        for width, who, view in ((1280, "mentor", page), (390, "owner", owner_page)):
            view.set_viewport_size({"width": width, "height": 844})
            for name, url in (
                ("list", f"/goals/plan/{plan.pk}/one-on-ones/"),
                ("new", f"/goals/plan/{plan.pk}/one-on-ones/new/"),
                ("detail", meeting.get_absolute_url()),
            ):
                view.goto(live_server.url + url)
                assert_accessible(view, f"1:1 {name} ({who}, {width})")
                shot(view, f"one-on-one-{name}-{who}-{width}")
    finally:
        mentor_context.close()
        owner_context.close()
