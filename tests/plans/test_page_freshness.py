"""The plan page answers a repeated view with 304, and never once something it shows changed.

Each kind of write below moves the plan's (or the ladder's) version; the next request with the
old ETag must get the new page, for the owner and for a mentor alike.
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from goals.models import CheckIn, Milestone
from plans.models import Activity, PlanCertification, SkillAssessment
from plans.sharing.models import Comment, Share
from tests.conftest import TODAY
from tests.factories import CertificationFactory, RoleSkillFactory, SkillFactory
from tests.goals.factories import GoalFactory

pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def goal(plan):
    return GoalFactory(plan=plan, title="Interview five customers", baseline=0, target=5)


def get(client, url, etag=None):
    return client.get(url, HTTP_IF_NONE_MATCH=etag) if etag else client.get(url)


def warm(client, url) -> None:
    """Two views: the first sets the CSRF cookie, the second renders and caches the body."""
    for _ in range(2):
        assert client.get(url).status_code == 200


def etag_of(client, url) -> str:
    """The page's ETag once the browser holds its CSRF cookie (the first response sets it)."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"]


WRITES = {
    "plan edited": lambda plan, goal, ladder: (
        (setattr(plan, "title", "Lead the payments team"), plan.save()) and "Lead the payments team"
    ),
    "skill assessed": lambda plan, goal, ladder: (
        SkillAssessment.objects.create(plan=plan, skill=ladder.skills["leadership"], level=4)
        and "1 of 4 required skills assessed"
    ),
    "goal added": lambda plan, goal, ladder: (
        GoalFactory(plan=plan, title="Publish the roadmap") and "Publish the roadmap"
    ),
    "goal edited": lambda plan, goal, ladder: (
        (setattr(goal, "title", "Interview nine customers"), goal.save()) and "Interview nine customers"
    ),
    "check-in": lambda plan, goal, ladder: (
        CheckIn.objects.create(goal=goal, value=Decimal(4), checked_on=TODAY) and "80%"
    ),
    "milestone": lambda plan, goal, ladder: (
        Milestone.objects.create(goal=goal, title="Script reviewed", due_date=TODAY) and "Script reviewed"
    ),
    "certification": lambda plan, goal, ladder: (
        PlanCertification.objects.create(
            plan=plan,
            certification=CertificationFactory(name="Certified Scrum Product Owner", abbreviation="CSPO"),
        )
        and "CSPO"
    ),
    "activity": lambda plan, goal, ladder: (
        Activity.objects.create(
            plan=plan, kind=Activity.Kind.COURSE, title="Pricing strategy course", date=TODAY
        )
        and "Pricing strategy course"
    ),
    "comment": lambda plan, goal, ladder: (
        Comment.objects.create(plan=plan, author=plan.owner, body="Mid-year review") and "Mid-year review"
    ),
    "share": lambda plan, goal, ladder: (
        Share.objects.create(plan=plan, email="manager@example.com") and "manager@example.com"
    ),
    "ladder change": lambda plan, goal, ladder: (
        RoleSkillFactory(role=plan.target_role, skill=SkillFactory(name="Pricing"), level=3) and "Pricing"
    ),
}


CASES = [(write, person) for write in WRITES for person in ("owner", "mentor")]
CASES.remove(("share", "mentor"))  # only the owner sees pending invitations


@pytest.mark.parametrize(("write", "person"), CASES)
def test_a_write_makes_the_next_view_fresh(
    client, alice, mentor, mentor_share, plan, goal, ladder, person, write
):
    client.force_login(alice if person == "owner" else mentor)
    url = plan.get_absolute_url()
    etag = etag_of(client, url)
    assert get(client, url, etag).status_code == 304  # nothing changed: the browser's copy is current

    shown = WRITES[write](plan, goal, ladder)

    fresh = get(client, url, etag)
    assert fresh.status_code == 200, f"after '{write}' the plan page still answered 304"
    assert shown in fresh.content.decode()
    assert fresh["ETag"] != etag


def test_a_revoked_mentor_gets_a_404_not_a_304(client, mentor, mentor_share, plan):
    client.force_login(mentor)
    etag = etag_of(client, plan.get_absolute_url())
    mentor_share.delete()
    assert client.get(plan.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_another_user_never_gets_a_304(client, bob, alice, plan):
    client.force_login(alice)
    etag = etag_of(client, plan.get_absolute_url())
    client.force_login(bob)
    assert client.get(plan.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_a_waiting_message_is_shown_not_answered_304(alice_client, plan):
    etag = etag_of(alice_client, plan.get_absolute_url())
    alice_client.post(reverse("plans:make_primary", args=[plan.pk]))  # adds "… is now your primary plan."
    response = alice_client.get(plan.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "primary plan" in response.content.decode()


def test_the_page_is_private_and_revalidated(alice_client, plan):
    response = alice_client.get(plan.get_absolute_url())
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]


def test_the_dashboard_answers_304_until_one_of_the_persons_plans_changes(alice_client, plan, alice, ladder):
    from django.urls import reverse

    url = reverse("home")
    etag = etag_of(alice_client, url)
    assert get(alice_client, url, etag).status_code == 304
    plan.title = "Lead the payments team"
    plan.save()
    fresh = get(alice_client, url, etag)
    assert fresh.status_code == 200 and "Lead the payments team" in fresh.content.decode()
    etag = fresh["ETag"]
    from plans.models import CareerPlan

    CareerPlan.objects.create(
        owner=alice, title="Plan B", current_role=ladder.roles["analyst"], target_role=ladder.roles["apm"]
    )
    fresh = get(alice_client, url, etag)
    assert fresh.status_code == 200 and "Plan B" in fresh.content.decode()


def test_a_repeated_view_is_served_from_the_cached_body(
    alice_client, plan, goal, django_assert_max_num_queries
):
    url = plan.get_absolute_url()
    etag_of(alice_client, url)  # the browser now holds its CSRF cookie; this render filled the cache
    # The session, the user, the plan (checked for access, with its roles) and the versions of what
    # the page shows: nothing of the body is read again.
    with django_assert_max_num_queries(4):
        response = alice_client.get(url)
    assert response.status_code == 200
    assert "Interview five customers" in response.content.decode()


def test_an_invalid_comment_is_never_cached(alice_client, plan):
    url = plan.get_absolute_url()
    etag_of(alice_client, url)
    response = alice_client.post(reverse("plans:comment_add", args=[plan.pk]), {"body": ""})
    assert "Write something before posting the comment." in response.content.decode()
    assert "Write something before posting the comment." not in alice_client.get(url).content.decode()


def test_a_self_assessment_through_the_form_makes_the_next_view_fresh(alice_client, plan, ladder):
    """The assessment form saves with bulk_create, which sends no signal: the service moves the version."""
    url = plan.get_absolute_url()
    etag = etag_of(alice_client, url)
    leadership = ladder.skills["leadership"]
    alice_client.post(reverse("plans:assess", args=[plan.pk]), {f"level_{leadership.pk}": "4"})
    fresh = get(alice_client, url, etag)
    assert fresh.status_code == 200
    assert "1 of 4 required skills assessed" in fresh.content.decode()


def test_a_repeated_dashboard_is_served_from_the_cached_body(
    alice_client, plan, goal, django_assert_max_num_queries
):
    url = reverse("home")
    etag_of(alice_client, url)
    # The session, the user, the ids of the plans they may read and those plans' versions (for the
    # key): nothing of the body again.
    with django_assert_max_num_queries(4):
        response = alice_client.get(url)
    assert response.status_code == 200
    assert plan.title in response.content.decode()


def test_the_dashboard_and_the_plan_page_never_share_a_cached_body(alice_client, plan, goal):
    """A person with one plan: the dashboard's key and the plan page's key name the same versions."""
    home, page = reverse("home"), plan.get_absolute_url()
    etag_of(alice_client, home)
    etag_of(alice_client, page)
    assert "Welcome," in alice_client.get(home).content.decode()
    html = alice_client.get(page).content.decode()
    assert "Welcome," not in html and 'data-testid="plan-overview"' in html


# --- The goal page's cached body ------------------------------------------------------------


def test_a_repeated_goal_page_is_served_from_the_cached_body(
    alice_client, goal, django_assert_max_num_queries
):
    url = goal.get_absolute_url()
    warm(alice_client, url)
    # The session, the user, the goal with its plan, the plan's versions: nothing of the body.
    with django_assert_max_num_queries(4):
        response = alice_client.get(url)
    assert response.status_code == 200 and "Interview five customers" in response.content.decode()


GOAL_WRITES = {
    "check-in": lambda goal, alice: (
        CheckIn.objects.create(goal=goal, value=Decimal(4), checked_on=TODAY) and "80%"
    ),
    "milestone": lambda goal, alice: (
        Milestone.objects.create(goal=goal, title="Script reviewed", due_date=TODAY) and "Script reviewed"
    ),
    "goal comment": lambda goal, alice: (
        goal.comments.create(author=alice, body="Halfway there") and "Halfway there"
    ),
}


@pytest.mark.parametrize("write", list(GOAL_WRITES))
def test_a_write_makes_the_next_goal_page_fresh(alice_client, alice, goal, write):
    url = goal.get_absolute_url()
    warm(alice_client, url)
    shown = GOAL_WRITES[write](goal, alice)
    assert shown in alice_client.get(url).content.decode()


def test_the_goal_page_follows_the_next_reminder_the_sweep_and_the_settings_move(alice_client, alice, goal):
    from goals import services
    from goals.models import Goal
    from goals.reminders import sweep

    services.goal_save(goal=goal)  # Monday 22 June, 09:00 UTC
    url = goal.get_absolute_url()
    warm(alice_client, url)
    assert "Monday 22 Jun, 09:00" in alice_client.get(url).content.decode()

    services.reminder_settings_save(
        user=alice,
        timezone="Europe/Berlin",
        hour=18,
        weekday=2,
        default_cadence=Goal.Cadence.WEEKLY,
        paused_until=None,
    )
    assert "Wednesday 17 Jun, 18:00" in alice_client.get(url).content.decode()

    # Due at the slot it showed: the sweep claims it and moves it on to the week after by a raw UPDATE.
    with time_machine.travel(datetime(2026, 6, 17, 16, 0, tzinfo=UTC), tick=False):
        alice_client.get(url)  # the day's page, cached
        sweep.sweep()
        assert "Wednesday 24 Jun, 18:00" in alice_client.get(url).content.decode()
