from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from goals.models import Goal
from tests.goals.factories import CheckInFactory, GoalFactory


def test_dashboard_lists_goals_due_for_a_check_in_and_deadlines_soon(alice_client, plan):
    now, today = timezone.now(), timezone.localdate()
    # Due: weekly, started ten days ago, no check-in since. The sweep has already moved its
    # next_reminder_at into the future: the card keeps its own rule (no check-in within the cadence).
    due = GoalFactory(
        plan=plan,
        title="Due for a check-in",
        start_date=today - timedelta(days=10),
        next_reminder_at=now + timedelta(days=6),
        deadline=today + timedelta(days=200),
    )
    soon = GoalFactory(
        plan=plan,
        title="Deadline soon",
        next_reminder_at=now - timedelta(hours=1),
        deadline=today + timedelta(days=10),
    )
    checked = GoalFactory(
        plan=plan,
        title="Checked in lately",
        start_date=today - timedelta(days=40),
        deadline=today + timedelta(days=300),
    )
    CheckInFactory(goal=checked, value=1, checked_on=today - timedelta(days=2))
    GoalFactory(
        plan=plan,
        title="Paused one",
        status=Goal.Status.PAUSED,
        next_reminder_at=None,
        deadline=today + timedelta(days=5),
    )

    response = alice_client.get(reverse("home"))

    (section,) = response.context["sections"]  # the goals app's section of the dashboard
    assert section["goals_to_check_in"] == [due]
    assert section["deadlines_soon"] == [soon]
    html = response.content.decode()
    assert "Due for a check-in" in html and "Deadline soon" in html and "Paused one" not in html


def test_a_monthly_goal_is_due_for_a_check_in_after_thirty_days(alice_client, plan):
    today = timezone.localdate()
    GoalFactory(
        plan=plan,
        title="Monthly, 29 days",
        reminder_cadence=Goal.Cadence.MONTHLY,
        start_date=today - timedelta(days=29),
    )
    monthly = GoalFactory(
        plan=plan,
        title="Monthly, 30 days",
        reminder_cadence=Goal.Cadence.MONTHLY,
        start_date=today - timedelta(days=30),
    )
    GoalFactory(
        plan=plan,
        title="No reminders",
        reminder_cadence=Goal.Cadence.NEVER,
        start_date=today - timedelta(days=90),
    )
    (section,) = alice_client.get(reverse("home")).context["sections"]
    assert section["goals_to_check_in"] == [monthly]


def test_other_peoples_goals_are_not_on_my_dashboard(bob_client, plan):
    GoalFactory(plan=plan, title="Alice's goal", next_reminder_at=timezone.now() - timedelta(hours=1))
    assert "Alice's goal" not in bob_client.get(reverse("home")).content.decode()


def test_dashboard_query_count_does_not_grow_with_goals(alice_client, plan, django_assert_max_num_queries):
    GoalFactory.create_batch(3, plan=plan, next_reminder_at=timezone.now() - timedelta(hours=1))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        alice_client.get(reverse("home"))
    GoalFactory.create_batch(40, plan=plan, next_reminder_at=timezone.now() - timedelta(hours=1))
    # plans and their gap data, certifications, activities, shared plans, starter roles,
    # then goals with plans and their check-ins: fixed.
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = alice_client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="dashboard-goals"' in html and "Time to check in" in html
