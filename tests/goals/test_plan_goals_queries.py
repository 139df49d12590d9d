"""The plan page's goals section makes the same number of queries for 5 goals as for 100."""

import datetime
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.models import CheckIn, Goal, Milestone
from goals.sections import PLAN_PAGE_GOALS
from plans.models import CareerPlan
from tests.plans.factories import CareerPlanFactory

CHECK_INS_PER_GOAL = 20


def build_goals(plan: CareerPlan, count: int) -> None:
    """``count`` goals (a third of them long-term), each with 20 check-ins and 3 milestones, one done."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=60)
    goals = Goal.objects.bulk_create(
        Goal(
            plan=plan,
            title=f"Goal {i}",
            metric="Things done",
            unit="things",
            baseline=0,
            target=40,
            start_date=start,
            deadline=start + datetime.timedelta(days=900 if i % 3 == 0 else 200),
        )
        for i in range(count)
    )
    CheckIn.objects.bulk_create(
        CheckIn(goal=goal, value=n, checked_on=start + datetime.timedelta(days=n * 3))
        for goal in goals
        for n in range(CHECK_INS_PER_GOAL)
    )
    Milestone.objects.bulk_create(
        Milestone(
            goal=goal,
            title=f"Step {n}",
            due_date=start + datetime.timedelta(days=30 * (n + 1)),
            done_at=timezone.now() if n == 0 else None,
        )
        for goal in goals
        for n in range(3)
    )


def goal_queries(queries: list[dict]) -> list[str]:
    return [q["sql"] for q in queries if re.search(r"\bgoals_", q["sql"])]


@contextmanager
def counting_model_objects() -> Iterator[Counter]:
    """How many model objects of each kind are built meanwhile (rows fetched, and any built in memory)."""
    counts: Counter = Counter()

    def count(sender, **kwargs) -> None:
        counts[sender.__name__] += 1

    post_init.connect(count)
    try:
        yield counts
    finally:
        post_init.disconnect(count)


@pytest.fixture
def plans(alice):
    small, large = CareerPlanFactory(owner=alice), CareerPlanFactory(owner=alice)
    build_goals(small, 5)
    build_goals(large, 100)
    return small, large


def test_plan_page_with_5_and_100_goals_makes_the_same_queries(
    alice_client, plans, django_assert_max_num_queries
):
    small, large = plans
    with CaptureQueriesContext(connection) as ctx:
        response = alice_client.get(small.get_absolute_url())
    assert response.status_code == 200
    baseline = len(ctx.captured_queries)
    # The goals section's share: where the goals stand with the ones that matter now (one query,
    # goals.standing), and the open milestones of the goals shown (with_next_milestones).
    assert len(goal_queries(ctx.captured_queries)) == 2
    # The rest is the plan page's own fixed set: session + user, the plan with roles, requirements,
    # assessments, certifications, activities, transitions, shares, comments.
    with django_assert_max_num_queries(baseline):
        response = alice_client.get(large.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    # The plan page shows the goals that matter now; the rest are one click away.
    assert html.count('data-testid="goal-row"') == PLAN_PAGE_GOALS
    assert "All 100 goals (95 more)" in html
    html = alice_client.get(reverse("goals:plan_goals", args=[large.pk])).content.decode()
    assert html.count('data-testid="goal-row"') == 100
    assert html.count(f'hx-post="{reverse("goals:check_in_add", args=[large.goals.first().pk])}"') == 1


def test_plan_page_with_100_goals_shows_each_goal_once_with_its_latest_value(alice_client, plans):
    _, large = plans
    with CaptureQueriesContext(connection) as ctx:
        html = alice_client.get(reverse("goals:plan_goals", args=[large.pk])).content.decode()
    assert len(goal_queries(ctx.captured_queries)) == 2  # goals with their latest check-in, open milestones
    assert html.count("Long-term goals") == 1 and html.count("Short-term goals") == 1
    # Latest check-in 19 of a target of 40: 48 %.
    assert html.count('data-testid="goal-percent">48%<') == 100
    assert html.count("Next: Step 1,") == 100  # step 0 is done


def test_plan_page_builds_as_many_objects_for_100_goals_as_for_5(alice_client, plans):
    small, large = plans
    alice_client.get(small.get_absolute_url())  # the session and the ladder's cached parts, warm
    built = []
    for plan in (small, large):
        with counting_model_objects() as counts:
            response = alice_client.get(plan.get_absolute_url())
        assert response.status_code == 200
        built.append(counts)
    # The five goals shown (and the two the summary and the next step name), their open milestones
    # and latest check-ins: the same for a plan of 5 goals as for one of 100 with 2,000 check-ins.
    assert built[1]["Goal"] <= PLAN_PAGE_GOALS + 2
    assert built[1]["CheckIn"] <= 5 * PLAN_PAGE_GOALS and built[1]["Milestone"] <= 3 * PLAN_PAGE_GOALS
    assert abs(sum(built[1].values()) - sum(built[0].values())) <= 5, (built[0], built[1])
