"""Milestones: goals:milestone_add, milestone_toggle, milestone_delete, as plain forms and with htmx."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from goals.models import Goal, Milestone
from tests.conftest import make_user
from tests.goals.factories import GoalFactory, MilestoneFactory, goal_admin_data
from tests.goals.test_goal_form import edit_data
from tests.plans.factories import ShareFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def goal(bare_plan):
    return GoalFactory(plan=bare_plan, deadline=timezone.localdate() + datetime.timedelta(days=90))


@pytest.fixture
def milestone(goal):
    return MilestoneFactory(goal=goal, title="Outline the course plan", due_date=goal.deadline)


@pytest.fixture
def mentor_client(client, bare_plan, password):
    mentor = make_user("mentor@example.com", password)
    ShareFactory(plan=bare_plan, user=mentor)
    client.force_login(mentor)
    return client


def add_url(goal) -> str:
    return reverse("goals:milestone_add", args=[goal.pk])


def toggle_url(milestone) -> str:
    return reverse("goals:milestone_toggle", args=[milestone.goal_id, milestone.pk])


def delete_url(milestone) -> str:
    return reverse("goals:milestone_delete", args=[milestone.goal_id, milestone.pk])


# --- Adding -------------------------------------------------------------------------------------


def test_owner_adds_a_milestone(alice_client, goal):
    due = goal.deadline - datetime.timedelta(days=30)
    response = alice_client.post(add_url(goal), {"title": "Finish module 1", "due_date": due.isoformat()})
    assert response.status_code == 302
    assert response["Location"] == goal.get_absolute_url() + "#milestones"
    milestone = goal.milestones.get()
    assert (milestone.title, milestone.due_date, milestone.done_at) == ("Finish module 1", due, None)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Added the milestone “Finish module 1”."]


def test_due_on_the_deadline_is_fine(alice_client, goal):
    alice_client.post(add_url(goal), {"title": "Last step", "due_date": goal.deadline.isoformat()})
    assert goal.milestones.count() == 1


def test_due_after_the_deadline_is_a_field_error(alice_client, goal):
    late = goal.deadline + datetime.timedelta(days=1)
    response = alice_client.post(add_url(goal), {"title": "Too late", "due_date": late.isoformat()})
    assert response.status_code == 200
    assert "That is after the goal&#x27;s deadline" in response.content.decode()
    assert response.context["form"].errors["due_date"]
    assert not Milestone.objects.exists()


def december_goal(plan):
    """A goal that starts in December 2026 and ends in March 2027."""
    return GoalFactory(plan=plan, start_date=datetime.date(2026, 12, 1), deadline=datetime.date(2027, 3, 31))


@pytest.mark.usefixtures("frozen_time")
def test_due_before_the_goal_starts_is_a_field_error(alice_client, bare_plan):
    # A milestone in 2020 would show as overdue from the goal's first day.
    goal = december_goal(bare_plan)
    response = alice_client.post(add_url(goal), {"title": "Long ago", "due_date": "2020-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["due_date"] == [
        "That is before the goal's start date (1 Dec 2026): a milestone is a step between its start and its deadline."
    ]
    assert "That is before the goal&#x27;s start date (1 Dec 2026)" in response.content.decode()
    assert not Milestone.objects.exists()


def test_due_on_the_start_date_is_fine(alice_client, goal):
    alice_client.post(add_url(goal), {"title": "First step", "due_date": goal.start_date.isoformat()})
    assert goal.milestones.count() == 1


@pytest.mark.parametrize("due", [datetime.date(2020, 1, 1), datetime.date(2027, 4, 1)])
def test_the_model_refuses_a_milestone_outside_its_goal(bare_plan, due):
    # What every writer runs (the admin's inline, the form, an import's full_clean).
    goal = december_goal(bare_plan)
    with pytest.raises(ValidationError) as refused:
        Milestone(goal=goal, title="Out of range", due_date=due).full_clean()
    assert list(refused.value.message_dict) == ["due_date"]
    Milestone(goal=goal, title="In range", due_date=datetime.date(2027, 3, 31)).full_clean()
    Milestone(goal=goal, title="In range", due_date=datetime.date(2026, 12, 1)).full_clean()


@pytest.mark.parametrize("goal", [None, Goal(), "unset"], ids=["none", "undated", "unset"])
def test_without_a_dated_goal_only_the_milestone_itself_is_checked(goal):
    # What an import's checker and the admin's add page hold before the goal exists.
    milestone = Milestone(title="Book the exam", due_date=datetime.date(2020, 1, 1))
    if goal != "unset":
        milestone.goal = goal
    milestone.full_clean(exclude=["goal"])


def test_the_admin_refuses_a_milestone_outside_its_goal(admin_client, bare_plan):
    goal = december_goal(bare_plan)
    data = goal_admin_data(
        goal,
        **{
            "milestones-TOTAL_FORMS": 1,
            "milestones-0-title": "Long ago",
            "milestones-0-due_date": "2020-01-01",
        },
    )
    response = admin_client.post(reverse("admin:goals_goal_change", args=[goal.pk]), data)
    assert response.status_code == 200
    assert "That is before the goal&#x27;s start date (1 Dec 2026)" in response.content.decode()
    assert not Milestone.objects.exists()


def edit_goal(client, goal, **dates):
    data = edit_data(goal, **{name: day.isoformat() for name, day in dates.items()})
    return client.post(reverse("goals:edit", args=[goal.pk]), data)


@pytest.mark.usefixtures("frozen_time")
def test_moving_the_deadline_before_a_milestone_is_a_field_error(alice_client, bare_plan):
    goal = december_goal(bare_plan)
    MilestoneFactory(goal=goal, title="Book the exam", due_date=datetime.date(2027, 3, 1))
    response = edit_goal(alice_client, goal, deadline=datetime.date(2027, 2, 28))
    assert response.context["form"].errors["deadline"] == [
        "The milestone “Book the exam” is due 1 Mar 2027, after this deadline: remove it first, "
        "or pick a later deadline."
    ]
    assert edit_goal(alice_client, goal, deadline=datetime.date(2027, 3, 1)).status_code == 302


@pytest.mark.usefixtures("frozen_time")
def test_moving_the_start_after_a_milestone_is_a_field_error(alice_client, bare_plan):
    goal = december_goal(bare_plan)
    MilestoneFactory(goal=goal, title="Read the syllabus", due_date=datetime.date(2026, 12, 10))
    response = edit_goal(alice_client, goal, start_date=datetime.date(2026, 12, 11))
    assert response.context["form"].errors["start_date"] == [
        "The milestone “Read the syllabus” is due 10 Dec 2026, before this start: remove it first, "
        "or pick an earlier start."
    ]
    assert edit_goal(alice_client, goal, start_date=datetime.date(2026, 12, 10)).status_code == 302


@pytest.mark.parametrize(
    "data, field",
    [({"title": "", "due_date": "2030-01-01"}, "title"), ({"title": "x", "due_date": "soon"}, "due_date")],
)
def test_missing_or_bad_input_is_a_field_error(alice_client, goal, data, field):
    response = alice_client.post(add_url(goal), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Milestone.objects.exists()


def test_get_shows_the_milestone_form_page(alice_client, goal):
    response = alice_client.get(add_url(goal))
    assert response.status_code == 200
    assert "Add a milestone" in response.content.decode()


def test_htmx_add_returns_the_milestone_list(alice_client, goal):
    due = goal.deadline.isoformat()
    response = alice_client.post(add_url(goal), {"title": "Book the exam", "due_date": due}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<div class="goal-milestones" id="milestones-{goal.pk}">' in html and "<html" not in html
    assert "Book the exam" in html
    assert 'data-testid="milestone-form"' in html  # an empty form for the next one
    assert not list(get_messages(response.wsgi_request))


def test_htmx_add_after_the_deadline_shows_the_error_in_place(alice_client, goal):
    late = (goal.deadline + datetime.timedelta(days=5)).isoformat()
    response = alice_client.post(add_url(goal), {"title": "Too late", "due_date": late}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="milestones-{goal.pk}"' in html
    assert "That is after the goal&#x27;s deadline" in html
    assert 'value="Too late"' in html
    assert not Milestone.objects.exists()


# --- Toggling and deleting ----------------------------------------------------------------------


def test_toggle_marks_done_and_undone(alice_client, milestone):
    response = alice_client.post(toggle_url(milestone), {"done": "1"})
    assert response["Location"] == milestone.goal.get_absolute_url() + "#milestones"
    milestone.refresh_from_db()
    assert milestone.is_done
    alice_client.post(toggle_url(milestone), {"done": "0"})
    milestone.refresh_from_db()
    assert not milestone.is_done


def test_toggle_asking_for_the_current_state_changes_nothing(alice_client, milestone):
    # A double-click sends done=1 twice: the second must not undo the first.
    alice_client.post(toggle_url(milestone), {"done": "1"})
    milestone.refresh_from_db()
    done_at = milestone.done_at
    alice_client.post(toggle_url(milestone), {"done": "1"})
    milestone.refresh_from_db()
    assert milestone.done_at == done_at


def test_toggle_without_done_flips(alice_client, milestone):
    alice_client.post(toggle_url(milestone))
    milestone.refresh_from_db()
    assert milestone.is_done
    alice_client.post(toggle_url(milestone))
    milestone.refresh_from_db()
    assert not milestone.is_done


def test_toggle_goes_back_to_a_safe_next(alice_client, milestone, bare_plan):
    response = alice_client.post(toggle_url(milestone), {"done": "1", "next": bare_plan.get_absolute_url()})
    assert response["Location"] == bare_plan.get_absolute_url()


def test_htmx_toggle_returns_the_list_with_the_milestone_done(alice_client, milestone):
    response = alice_client.post(toggle_url(milestone), {"done": "1"}, **HTMX)
    html = response.content.decode()
    assert 'class="goal-milestone is-done"' in html
    assert 'aria-pressed="true"' in html and 'name="done" value="0"' in html


def test_delete_removes_it(alice_client, milestone):
    response = alice_client.post(delete_url(milestone))
    assert response.status_code == 302
    assert not Milestone.objects.exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Removed the milestone “Outline the course plan”."
    ]


def test_htmx_delete_returns_the_list_without_it(alice_client, milestone):
    response = alice_client.post(delete_url(milestone), **HTMX)
    html = response.content.decode()
    assert "Outline the course plan" not in html and "No milestones yet." in html


def test_get_on_toggle_or_delete_is_not_allowed(alice_client, milestone):
    assert alice_client.get(toggle_url(milestone)).status_code == 405
    assert alice_client.get(delete_url(milestone)).status_code == 405
    assert Milestone.objects.filter(done_at=None).count() == 1


def test_a_milestone_of_another_goal_is_404(alice_client, goal, bare_plan):
    other = MilestoneFactory(goal=GoalFactory(plan=bare_plan))
    url = reverse("goals:milestone_toggle", args=[goal.pk, other.pk])
    assert alice_client.post(url).status_code == 404
    url = reverse("goals:milestone_delete", args=[goal.pk, other.pk])
    assert alice_client.post(url).status_code == 404
    assert Milestone.objects.filter(pk=other.pk, done_at=None).exists()


def test_done_milestones_drop_out_of_next_on_the_plan_page(alice_client, goal, bare_plan):
    first = MilestoneFactory(
        goal=goal, title="Step one", due_date=goal.start_date + datetime.timedelta(days=10)
    )
    MilestoneFactory(goal=goal, title="Step two", due_date=goal.start_date + datetime.timedelta(days=20))
    assert "Next: Step one" in alice_client.get(bare_plan.get_absolute_url()).content.decode()
    alice_client.post(toggle_url(first), {"done": "1"})
    assert "Next: Step two" in alice_client.get(bare_plan.get_absolute_url()).content.decode()


# --- Who may change them: every URL ---------------------------------------------------------------


def requests_for(goal, milestone):
    """(method, url, data) for every milestone URL."""
    due = goal.deadline.isoformat()
    return [
        ("get", add_url(goal), {}),
        ("post", add_url(goal), {"title": "Sneaky", "due_date": due}),
        ("post", toggle_url(milestone), {"done": "1"}),
        ("post", delete_url(milestone), {}),
    ]


@pytest.mark.parametrize("index", range(4))
def test_mentor_gets_403(mentor_client, goal, milestone, index):
    method, url, data = requests_for(goal, milestone)[index]
    assert getattr(mentor_client, method)(url, data).status_code == 403
    assert list(Milestone.objects.values_list("title", "done_at")) == [("Outline the course plan", None)]


@pytest.mark.parametrize("index", range(4))
def test_other_user_gets_404(bob_client, goal, milestone, index):
    method, url, data = requests_for(goal, milestone)[index]
    assert getattr(bob_client, method)(url, data).status_code == 404
    assert list(Milestone.objects.values_list("title", "done_at")) == [("Outline the course plan", None)]


@pytest.mark.parametrize("index", range(4))
def test_anonymous_is_sent_to_sign_in(client, goal, milestone, index):
    method, url, data = requests_for(goal, milestone)[index]
    response = getattr(client, method)(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert list(Milestone.objects.values_list("title", "done_at")) == [("Outline the course plan", None)]


@pytest.mark.parametrize("index", range(4))
def test_owner_may(alice_client, goal, milestone, index):
    method, url, data = requests_for(goal, milestone)[index]
    assert getattr(alice_client, method)(url, data).status_code in (200, 302)
