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


# --- NUL bytes and undecodable bodies: a 400, before anything reaches the database ------------


@pytest.mark.parametrize(
    "path",
    ["/plans/invitations/%00/", "/plans/?q=%00", "/goals/calendar/%00.ics", "/accounts/login/?next=/%00"],
)
def test_a_nul_byte_anywhere_in_the_address_is_a_400(client, alice_client, path):
    for visitor in (client, alice_client):
        response = visitor.get(path)
        assert response.status_code == 400, (path, response.status_code)
        assert b"navbar" in response.content  # the site's own page, not an empty one


def test_a_nul_byte_in_a_posted_field_is_a_400_and_changes_nothing(alice_client, plan):
    from plans.sharing.models import Comment

    response = alice_client.post(reverse("plans:comment_add", args=[plan.pk]), {"body": "hi\x00there"})

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_nul_byte_in_an_admin_filter_is_a_400(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/plans/careerplan/", {"q": "x\x00", "status__exact": "\x00"})
    assert response.status_code == 400


def test_a_session_cookie_with_a_nul_byte_is_a_400(client):
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get(reverse("home")).status_code == 400


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "latin-1"])
def test_a_form_post_in_another_charset_than_utf8_is_a_400_page(alice, plan, charset):
    from django.test import Client

    from plans.sharing.models import Comment

    client = Client(enforce_csrf_checks=True)  # the CSRF check is what reads the body first
    client.force_login(alice)
    client.get(plan.get_absolute_url())
    token = client.cookies["csrftoken"].value
    response = client.generic(
        "POST",
        reverse("plans:comment_add", args=[plan.pk]),
        data=f"body=hello&csrfmiddlewaretoken={token}".encode(),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400
    assert b"navbar" in response.content
    assert not Comment.objects.exists()


@pytest.mark.parametrize("value", ["9223372036854775808", "2147483648", "99999999999999999999"])
def test_a_choice_beyond_any_id_is_a_field_error(alice_client, plan, value):
    """Found by tests/core/test_fuzz_forms.py: 2**63 overflowed SQLite, past 2**31 PostgreSQL."""
    from plans.models import Activity

    activity = alice_client.post(
        reverse("plans:activity_add", args=[plan.pk]),
        {"kind": "course", "title": "Course", "date": "2026-06-01", "status": "done", "skills": value},
    )
    certification = alice_client.post(
        reverse("plans:certification_add", args=[plan.pk]), {"certification": value, "status": "planned"}
    )
    goal = alice_client.post(
        reverse("goals:create", args=[plan.pk]), {"skill": value, "certification": value}
    )
    plan_form = alice_client.post(reverse("plans:create"), {"current_role": value, "target_role": value})

    for response in (activity, certification, goal, plan_form):
        assert response.status_code == 200  # the form again, with its errors
    assert not Activity.objects.exists()
