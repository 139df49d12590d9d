"""Hardening: input a browser would never send still gets a page, never a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ODD_IDS = ["²", "٣", "-1", "1e3", "99999999999999999999999", " 7", "0x1"]


@pytest.mark.parametrize("value", ODD_IDS)
@pytest.mark.parametrize("name", ["template", "skill", "certification"])
def test_the_goal_form_ignores_an_id_that_is_not_one(alice_client, plan, name, value):
    response = alice_client.get(reverse("goals:create", args=[plan.pk]), {name: value})
    assert response.status_code == 200
    assert 'name="title"' in response.content.decode()


@pytest.mark.parametrize("value", ODD_IDS)
def test_the_plan_form_ignores_role_ids_that_are_not_ones(alice_client, value):
    response = alice_client.get(reverse("plans:create"), {"current": value, "target": value})
    assert response.status_code == 200
    assert 'name="current_role"' in response.content.decode()


@pytest.mark.parametrize("value", ["²", "12x", ""])
def test_a_goal_form_post_with_a_template_that_is_not_an_id_still_validates(alice_client, plan, value):
    response = alice_client.post(reverse("goals:create", args=[plan.pk]), {"template": value, "title": ""})
    assert response.status_code == 200  # the form again, with its errors


# --- Dates far from today ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "far"),
    [
        ("deadline", "9999-12-31"),
        ("deadline", "2201-01-01"),
        ("start_date", "0001-01-01"),
        ("start_date", "1899-12-31"),
    ],
)
def test_a_goal_dated_far_from_today_is_refused_with_a_field_error(
    frozen_time, alice_client, plan, field, far
):
    from goals.models import Goal
    from tests.goals.test_goal_form import goal_data, post_create

    response = post_create(alice_client, plan, goal_data(**{field: far}))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["Enter a date between 1900 and 2200."]
    assert not Goal.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("field", ["start_date", "deadline"])
def test_dates_at_the_bounds_are_kept_and_every_page_shows_them(
    frozen_time, alice_client, alice, plan, field
):
    from goals.models import CalendarFeed, Goal
    from tests.goals.test_goal_form import goal_data, post_create

    bounds = {"start_date": "1900-01-01", "deadline": "2200-12-31"}
    response = post_create(alice_client, plan, goal_data(**{field: bounds[field]}))
    assert response.status_code == 302
    goal = Goal.objects.get(plan=plan)
    feed = CalendarFeed.objects.create(user=alice)
    for url in (plan.get_absolute_url(), goal.get_absolute_url(), reverse("home"), feed.get_absolute_url()):
        assert alice_client.get(url).status_code == 200, url


def test_pages_of_a_goal_stored_with_the_last_possible_deadline_still_answer(alice_client, alice, plan):
    """Rows written before the bounds (or by the admin) must not take pages down."""
    import datetime

    from goals.models import CalendarFeed, Goal
    from tests.goals.factories import GoalFactory, MilestoneFactory

    goal = GoalFactory(plan=plan, deadline=datetime.date.max)
    MilestoneFactory(goal=goal, due_date=datetime.date.max)
    Goal.objects.filter(pk=goal.pk).update(start_date=datetime.date.min)
    feed = CalendarFeed.objects.create(user=alice)
    for url in (plan.get_absolute_url(), goal.get_absolute_url(), reverse("home"), feed.get_absolute_url()):
        assert alice_client.get(url).status_code == 200, url


@pytest.mark.parametrize("far", ["9999-12-31", "1000-01-01"])
def test_a_check_in_or_an_activity_dated_far_from_today_gets_a_field_error(alice_client, plan, far):
    from goals.models import CheckIn
    from plans.models import Activity
    from tests.goals.factories import GoalFactory

    goal = GoalFactory(plan=plan)
    check_in = alice_client.post(reverse("goals:check_in_add", args=[goal.pk]), {"value": "1", "date": far})
    activity = alice_client.post(
        reverse("plans:activity_add", args=[plan.pk]), {"kind": "learning", "title": "Course", "date": far}
    )

    for response in (check_in, activity):
        assert response.status_code == 200
        assert "Enter a date between 1900 and 2200." in response.content.decode()
    assert not CheckIn.objects.exists() and not Activity.objects.exists()
