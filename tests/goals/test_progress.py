"""Progress and on-track arithmetic (Goal methods, explicit dates), and how the plan page and the
goal page show it: grouped by horizon, percent, status badge, next milestone, the chart's data."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import Goal
from goals.sections import progress_chart
from tests.conftest import make_user
from tests.goals.factories import CheckInFactory, GoalFactory, MilestoneFactory
from tests.plans.factories import ShareFactory

START = datetime.date(2025, 1, 1)
DEADLINE = START + datetime.timedelta(days=100)
MIDPOINT = START + datetime.timedelta(days=50)


def goal_at(value, *, baseline=0, target=100, **kwargs) -> Goal:
    """A goal from START to DEADLINE whose latest check-in is ``value`` (None: no check-ins)."""
    goal = GoalFactory(baseline=baseline, target=target, start_date=START, deadline=DEADLINE, **kwargs)
    if value is not None:
        CheckInFactory(goal=goal, value=value, checked_on=START + datetime.timedelta(days=10))
    return goal


# --- progress() and progress_percent() ---------------------------------------------------------


@pytest.mark.django_db
class TestProgress:
    def test_rising_metric(self):
        goal = goal_at(4, baseline=0, target=10)
        assert goal.progress() == pytest.approx(0.4)
        assert goal.progress_percent() == 40

    def test_falling_metric(self):
        # Hours to ship a release: from 40 down to 10; at 25 we are half way.
        goal = goal_at(25, baseline=40, target=10)
        assert goal.progress() == pytest.approx(0.5)
        assert goal.progress_percent() == 50

    def test_falling_metric_moving_the_wrong_way_is_negative_and_shown_as_zero(self):
        goal = goal_at(45, baseline=40, target=10)
        assert goal.progress() == pytest.approx(-1 / 6)
        assert goal.progress_percent() == 0

    @pytest.mark.parametrize("baseline, target, value", [(0, 10, 12), (40, 10, 5)])
    def test_overshoot_is_unclamped_but_shown_as_100(self, baseline, target, value):
        goal = goal_at(value, baseline=baseline, target=target)
        assert goal.progress() > 1.0
        assert goal.progress_percent() == 100
        assert goal.target_reached()

    def test_no_check_ins_is_the_baseline_and_zero_percent(self):
        goal = goal_at(None, baseline=3, target=8)
        assert goal.current_value() == Decimal("3")
        assert goal.progress() == 0.0
        assert goal.progress_percent() == 0

    def test_the_latest_check_in_is_the_latest_date_not_the_last_entered(self):
        goal = goal_at(None, baseline=0, target=10)
        CheckInFactory(goal=goal, value=6, checked_on=START + datetime.timedelta(days=20))
        CheckInFactory(goal=goal, value=2, checked_on=START + datetime.timedelta(days=5))  # back-filled
        assert goal.current_value() == Decimal("6")
        assert goal.progress_percent() == 60

    def test_decimal_values(self):
        goal = goal_at(Decimal("1.25"), baseline=0, target=4)
        assert goal.progress() == pytest.approx(0.3125)
        assert goal.progress_percent() == 31


# --- expected_progress() and track_status() ----------------------------------------------------


@pytest.mark.django_db
class TestOnTrack:
    def test_expected_progress_is_linear(self):
        goal = goal_at(None)
        assert goal.expected_progress(START) == 0.0
        assert goal.expected_progress(MIDPOINT) == pytest.approx(0.5)
        assert goal.expected_progress(START + datetime.timedelta(days=25)) == pytest.approx(0.25)
        assert goal.expected_progress(DEADLINE) == 1.0

    def test_expected_progress_is_clamped_before_start_and_after_deadline(self):
        goal = goal_at(None)
        assert goal.expected_progress(START - datetime.timedelta(days=30)) == 0.0
        assert goal.expected_progress(DEADLINE + datetime.timedelta(days=30)) == 1.0

    # At the mid-point 50 % is expected; within 10 points is on track, within 20 at risk.
    @pytest.mark.parametrize(
        "value, status",
        [
            (50, "on_track"),
            (60, "on_track"),  # ahead of the line
            (40, "on_track"),  # exactly 10 points short: the boundary is inclusive
            (39, "at_risk"),
            (30, "at_risk"),  # exactly 20 points short
            (29, "behind"),
            (0, "behind"),
            (100, "done"),
        ],
    )
    def test_track_status_at_mid_point(self, value, status):
        assert goal_at(value).track_status(MIDPOINT) == status

    @pytest.mark.parametrize(
        "value, status", [(25, "on_track"), (31, "at_risk"), (35, "behind"), (10, "done")]
    )
    def test_track_status_of_a_falling_metric_at_mid_point(self, value, status):
        # 40 → 10: half way is 25; 31 is 30 % of the way (20 short), 35 is 17 % (33 short).
        assert goal_at(value, baseline=40, target=10).track_status(MIDPOINT) == status

    def test_before_start_nothing_is_expected_yet(self):
        goal = goal_at(None)
        assert goal.track_status(START - datetime.timedelta(days=10)) == "on_track"

    @pytest.mark.parametrize(
        "value, status", [(95, "on_track"), (85, "at_risk"), (50, "behind"), (100, "done")]
    )
    def test_after_the_deadline_the_whole_target_is_expected(self, value, status):
        assert goal_at(value).track_status(DEADLINE + datetime.timedelta(days=10)) == status


# --- What the pages show -----------------------------------------------------------------------


def test_chart_data_has_check_ins_in_date_order_and_the_ideal_line_ends(db):
    goal = goal_at(None, baseline=40, target=10)
    CheckInFactory(goal=goal, value=30, checked_on=START + datetime.timedelta(days=30))
    CheckInFactory(goal=goal, value=35, checked_on=START + datetime.timedelta(days=10))
    data = progress_chart(goal)
    assert data["start"] == "2025-01-01" and data["deadline"] == "2025-04-11"
    assert (data["baseline"], data["target"], data["falling"]) == (40.0, 10.0, True)
    assert data["points"] == [{"x": "2025-01-11", "y": 35.0}, {"x": "2025-01-31", "y": 30.0}]


def test_plan_page_groups_goals_by_horizon_with_percent_status_and_next_milestone(client, alice, bare_plan):
    today = timezone.localdate()
    short = GoalFactory(plan=bare_plan, title="Ship 3 experiments", baseline=0, target=4, unit="experiments")
    CheckInFactory(goal=short, value=1)
    MilestoneFactory(
        goal=short, title="Pick the metric", due_date=today + datetime.timedelta(days=5), done_at=None
    )
    MilestoneFactory(goal=short, title="Done already", due_date=today, done_at=timezone.now())
    long = GoalFactory(
        plan=bare_plan, title="Lead a team of 5", deadline=today + datetime.timedelta(days=700)
    )
    client.force_login(alice)
    html = client.get(reverse("goals:plan_goals", args=[bare_plan.pk])).content.decode()
    goals_section = html[html.index('id="goals"') :]
    assert goals_section.index("Short-term goals") < goals_section.index("Ship 3 experiments")
    assert goals_section.index("Ship 3 experiments") < goals_section.index("Long-term goals")
    assert goals_section.index("Long-term goals") < goals_section.index("Lead a team of 5")
    row = goals_section[
        goals_section.index(f'id="goal-{short.pk}"') : goals_section.index(f'id="goal-{long.pk}"')
    ]
    assert "25%" in row
    assert re.search(r"1</span>\s*/ 4 experiments", row)
    assert "Next: Pick the metric" in row and "Done already" not in row
    assert 'data-testid="goal-track-status"' in row
    assert reverse("goals:check_in_add", args=[short.pk]) in row
    assert f'hx-target="#goal-{short.pk}"' in row
    assert f'name="next" value="{bare_plan.get_absolute_url()}#goal-{short.pk}"' in row
    assert reverse("goals:create", args=[bare_plan.pk]) in goals_section
    assert reverse("goals:draft", args=[bare_plan.pk]) in goals_section


def test_plan_page_empty_state_explains_smart_goals_and_offers_both_buttons(client, alice, bare_plan):
    client.force_login(alice)
    html = client.get(bare_plan.get_absolute_url()).content.decode()
    section = html[html.index('id="goals"') :]
    assert "A SMART goal is specific, measurable, achievable, relevant and time-bound" in section
    assert reverse("goals:create", args=[bare_plan.pk]) in section
    assert reverse("goals:draft", args=[bare_plan.pk]) in section


def test_mentor_sees_progress_but_no_forms_or_owner_links(client, bare_plan, password):
    mentor = make_user("mentor@example.com", password)
    ShareFactory(plan=bare_plan, user=mentor)
    goal = GoalFactory(plan=bare_plan)
    CheckInFactory(goal=goal, value=1)
    client.force_login(mentor)
    html = client.get(bare_plan.get_absolute_url()).content.decode()
    section = html[html.index('id="goals"') :]
    assert "33%" in section
    assert reverse("goals:check_in_add", args=[goal.pk]) not in section
    assert reverse("goals:create", args=[bare_plan.pk]) not in section
    assert reverse("goals:draft", args=[bare_plan.pk]) not in section


def test_reached_target_on_an_active_goal_offers_mark_as_completed(client, alice, bare_plan):
    goal = GoalFactory(plan=bare_plan, baseline=0, target=3)
    CheckInFactory(goal=goal, value=3)
    client.force_login(alice)
    html = client.get(bare_plan.get_absolute_url()).content.decode()
    assert "Mark as completed" in html
    assert f'action="{reverse("goals:status", args=[goal.pk])}"' in html
    assert 'name="status" value="completed"' in html


def test_completed_goal_shows_its_status_and_no_check_in_form(client, alice, bare_plan):
    goal = GoalFactory(plan=bare_plan, status=Goal.Status.COMPLETED)
    client.force_login(alice)
    html = client.get(
        reverse("goals:plan_goals", args=[bare_plan.pk])
    ).content.decode()  # not active: under "All goals"
    assert 'data-status="completed"' in html
    assert reverse("goals:check_in_add", args=[goal.pk]) not in html


def test_goal_page_shows_chart_data_check_ins_newest_first_and_milestones(client, alice, bare_plan):
    today = timezone.localdate()
    goal = GoalFactory(plan=bare_plan, start_date=today - datetime.timedelta(days=30), baseline=40, target=10)
    CheckInFactory(goal=goal, value=35, note="first week", checked_on=today - datetime.timedelta(days=20))
    CheckInFactory(
        goal=goal, value=28, note="after the workshop", checked_on=today - datetime.timedelta(days=2)
    )
    MilestoneFactory(goal=goal, title="Automate the smoke tests")
    client.force_login(alice)
    html = client.get(goal.get_absolute_url()).content.decode()
    assert html.index("after the workshop") < html.index("first week")
    assert "Automate the smoke tests" in html
    assert f'<canvas id="goal-chart-{goal.pk}" data-chart-data="goal-chart-data-{goal.pk}"' in html
    data = json.loads(
        re.search(
            rf'<script id="goal-chart-data-{goal.pk}" type="application/json">(.*?)</script>', html
        ).group(1)
    )
    assert [p["y"] for p in data["points"]] == [35.0, 28.0] and data["falling"] is True
    assert "Lower is better" in html
    assert "js/goal-charts.js" in html
    assert reverse("goals:check_in_add", args=[goal.pk]) in html
    assert reverse("goals:milestone_add", args=[goal.pk]) in html


def test_goal_page_for_a_mentor_has_the_chart_but_no_forms(client, bare_plan, password):
    mentor = make_user("mentor@example.com", password)
    ShareFactory(plan=bare_plan, user=mentor)
    goal = GoalFactory(plan=bare_plan)
    MilestoneFactory(goal=goal, title="Read the book")
    client.force_login(mentor)
    html = client.get(goal.get_absolute_url()).content.decode()
    assert f'id="goal-chart-{goal.pk}"' in html and "Read the book" in html
    assert reverse("goals:check_in_add", args=[goal.pk]) not in html
    assert reverse("goals:milestone_add", args=[goal.pk]) not in html
