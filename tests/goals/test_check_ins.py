"""Recording progress: goals:check_in_add, as a plain form and in place with htmx."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from goals.models import CheckIn, Goal
from tests.conftest import make_user
from tests.goals.factories import CheckInFactory, GoalFactory
from tests.plans.factories import ShareFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def goal(bare_plan):
    """5 courses from 0 by a deadline 180 days out, started 30 days ago."""
    start = timezone.localdate() - datetime.timedelta(days=30)
    return GoalFactory(
        plan=bare_plan,
        title="Finish 5 analytics courses",
        metric="Courses finished",
        unit="courses",
        baseline=0,
        target=5,
        start_date=start,
        deadline=start + datetime.timedelta(days=180),
    )


@pytest.fixture
def url(goal):
    return reverse("goals:check_in_add", args=[goal.pk])


@pytest.fixture
def mentor_client(client, bare_plan, password):
    mentor = make_user("mentor@example.com", password)
    ShareFactory(plan=bare_plan, user=mentor)
    client.force_login(mentor)
    return client


# --- Without JavaScript -------------------------------------------------------------------------


def test_owner_records_progress_and_goes_back_to_the_goal(alice_client, goal, url):
    response = alice_client.post(url, {"value": "2", "note": "SQL for PMs"})
    assert response.status_code == 302
    assert response["Location"] == goal.get_absolute_url() + "#progress"
    check_in = goal.check_ins.get()
    assert (check_in.value, check_in.note, check_in.checked_on) == (
        Decimal("2"),
        "SQL for PMs",
        timezone.localdate(),
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Recorded 2 courses for “Finish 5 analytics courses”."
    ]


def test_owner_goes_back_to_a_safe_next(alice_client, goal, bare_plan, url):
    next_url = f"{bare_plan.get_absolute_url()}#goal-{goal.pk}"
    response = alice_client.post(url, {"value": "1", "next": next_url})
    assert response["Location"] == next_url


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_unsafe_next_is_ignored(alice_client, goal, url, next_url):
    response = alice_client.post(url, {"value": "1", "next": next_url})
    assert response["Location"] == goal.get_absolute_url() + "#progress"


def test_get_shows_the_check_in_form_page(alice_client, goal, url):
    response = alice_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Record progress" in html and 'name="value"' in html and 'name="date"' in html
    assert f'value="{timezone.localdate().isoformat()}"' in html  # the date defaults to today


def test_a_past_date_within_the_goal_is_kept(alice_client, goal, url):
    day = timezone.localdate() - datetime.timedelta(days=10)
    alice_client.post(url, {"value": "1", "date": day.isoformat()})
    assert goal.check_ins.get().checked_on == day


@pytest.mark.parametrize(
    "data, field, error",
    [
        ({"value": "three"}, "value", "Enter a number, such as 3 or 2.5."),
        ({"value": ""}, "value", "This field is required."),
        ({"value": "1e20"}, "value", "Ensure that there are no more than 12 digits in total."),
        ({"value": "NaN"}, "value", "Enter a number, such as 3 or 2.5."),
        ({"value": "1", "date": "tomorrow"}, "date", "Enter a valid date."),
        ({"value": "1", "date": 1}, "date", "That date is in the future"),  # days from today
        ({"value": "1", "date": -31}, "date", "That is before the goal started"),
    ],
)
def test_bad_input_is_a_field_error_on_the_page(alice_client, goal, url, data, field, error):
    if isinstance(data.get("date"), int):
        data = {**data, "date": (timezone.localdate() + datetime.timedelta(days=data["date"])).isoformat()}
    response = alice_client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(error in e for e in form.errors[field])
    assert error in response.content.decode().replace("&#x27;", "'")
    assert not CheckIn.objects.exists()


def test_the_goal_start_date_itself_is_allowed(alice_client, goal, url):
    response = alice_client.post(url, {"value": "1", "date": goal.start_date.isoformat()})
    assert response.status_code == 302


def test_check_in_moves_the_next_reminder_a_full_cadence_away(frozen_time, alice_client, goal, url):
    goal.next_reminder_at = frozen_time + datetime.timedelta(hours=1)
    goal.save()
    alice_client.post(url, {"value": "1"})
    goal.refresh_from_db()
    # Checked in on Monday 15 June at noon: the owner's last slot (Monday 09:00 UTC by default)
    # within a week is Monday 22 June.
    assert goal.next_reminder_at == datetime.datetime(2026, 6, 22, 9, 0, tzinfo=datetime.UTC)


def test_monthly_cadence_moves_it_about_a_month(frozen_time, alice_client, goal, url):
    goal.reminder_cadence = Goal.Cadence.MONTHLY
    goal.save()
    alice_client.post(url, {"value": "1"})
    goal.refresh_from_db()
    # The last Monday 09:00 by Wednesday 15 July: Monday 13 July.
    assert goal.next_reminder_at == datetime.datetime(2026, 7, 13, 9, 0, tzinfo=datetime.UTC)


def test_reaching_the_target_says_so(alice_client, goal, url):
    response = alice_client.post(url, {"value": "5"})
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Target reached: mark the goal as completed" in messages[0]


# --- With htmx ----------------------------------------------------------------------------------


def test_htmx_check_in_returns_the_updated_row(alice_client, goal, bare_plan, url):
    CheckInFactory(goal=goal, value=1, checked_on=goal.start_date)
    response = alice_client.post(url, {"value": "2", "next": bare_plan.get_absolute_url()}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a fragment, not a page
    assert f'<li class="goal-row" id="goal-{goal.pk}"' in html
    assert 'data-testid="goal-percent">40%<' in html
    assert 'aria-valuenow="40"' in html
    assert "Recorded 2 courses" in html
    assert f'hx-target="#goal-{goal.pk}"' in html  # the form again, for the next check-in
    assert 'data-testid="goal-track-status"' in html
    assert goal.check_ins.count() == 2
    assert not list(get_messages(response.wsgi_request))  # no message left for the next page


def test_htmx_check_in_of_a_falling_metric(alice_client, bare_plan):
    goal = GoalFactory(plan=bare_plan, baseline=40, target=10, unit="hours")
    response = alice_client.post(reverse("goals:check_in_add", args=[goal.pk]), {"value": "31"}, **HTMX)
    assert 'data-testid="goal-percent">30%<' in response.content.decode()


def test_htmx_bad_value_returns_the_row_with_the_error(alice_client, goal, url):
    response = alice_client.post(url, {"value": "lots"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="goal-{goal.pk}"' in html
    assert 'data-testid="check-in-errors"' in html and "Enter a number, such as 3 or 2.5." in html
    assert 'value="lots"' in html and "is-invalid" in html
    assert 'data-testid="goal-percent">0%<' in html
    assert not CheckIn.objects.exists()


def test_htmx_future_date_returns_the_row_with_the_error(alice_client, goal, url):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = alice_client.post(url, {"value": "1", "date": tomorrow}, **HTMX)
    assert response.status_code == 200
    assert "That date is in the future" in response.content.decode()


def test_htmx_check_in_reaching_the_target_offers_mark_as_completed(alice_client, goal, url):
    response = alice_client.post(url, {"value": "6"}, **HTMX)
    html = response.content.decode()
    assert 'data-testid="goal-percent">100%<' in html
    assert "Mark as completed" in html
    assert f'action="{reverse("goals:status", args=[goal.pk])}"' in html
    assert 'name="status" value="completed"' in html


def test_htmx_row_query_count_does_not_depend_on_history(
    alice_client, goal, url, django_assert_max_num_queries
):
    CheckInFactory.create_batch(30, goal=goal, value=1)
    # session, user, goal + plan (ownership); savepoint, insert check-in, the owner and their
    # reminder settings (for their slot), update next_reminder_at, the plan's version after each of
    # the two writes, the plan's history event, release; then the row: goal + plan, its check-ins,
    # its milestones. 15, however long the history.
    with django_assert_max_num_queries(15):
        response = alice_client.post(url, {"value": "2"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="goal-{goal.pk}"' in html and "Recorded 2 courses" in html
    assert 'data-testid="goal-percent">40%<' in html  # the new check-in is the latest value
    assert goal.check_ins.count() == 31


# --- Who may record -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_mentor_gets_403(mentor_client, url, method):
    response = getattr(mentor_client, method)(url, {"value": "1"})
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_user_gets_404(bob_client, url, method):
    response = getattr(bob_client, method)(url, {"value": "1"})
    assert response.status_code == 404
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in(client, url, method):
    response = getattr(client, method)(url, {"value": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not CheckIn.objects.exists()


def test_unknown_goal_is_404(alice_client):
    assert alice_client.post(reverse("goals:check_in_add", args=[999999]), {"value": "1"}).status_code == 404


@pytest.mark.parametrize("status", [Goal.Status.PAUSED, Goal.Status.ABANDONED])
def test_a_paused_or_abandoned_goal_takes_no_check_in(alice_client, goal, url, status):
    Goal.objects.filter(pk=goal.pk).update(status=status)

    in_place = alice_client.post(url, {"value": "2"}, **HTMX)  # the row offers no form: nothing to swap in
    page = alice_client.post(url, {"value": "2"})

    assert in_place.status_code == 200
    assert "resume it to record progress" in page.content.decode()
    assert not CheckIn.objects.filter(goal=goal).exists()
