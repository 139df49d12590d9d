"""The owner's dashboard leads with what needs them (issue 23): goals behind or at risk (the rule
their mentors' dashboard reads), overdue milestones, certifications expiring, new comments by
others; it says "up to date" only when nothing does and no check-in is due.

Time is frozen at Monday 15 June 2026, 12:00 UTC (tests/conftest.py).
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.models import Goal, GoalComment
from plans.models import EXPIRY_WARNING_DAYS, CareerPlan, PlanCertification
from plans.sharing.models import Comment
from tests.conftest import NOW, TODAY
from tests.factories import CertificationFactory
from tests.goals.factories import CheckInFactory, GoalFactory, MilestoneFactory
from tests.plans.factories import CareerPlanFactory, PlanCertificationFactory, ShareFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_time")]

UP_TO_DATE = "You're up to date with your"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def dashboard(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def named(html: str, testid: str) -> list[str]:
    """The first link's text in each element marked ``data-testid=testid``."""
    parts = html.split(f'data-testid="{testid}"')[1:]
    return [re.search(r"<a [^>]*>([^<]*)</a>", part).group(1).strip() for part in parts]


def attention(html: str) -> str:
    """The "Needs your attention" section ('' when the page has none)."""
    if 'data-testid="attention"' not in html:
        return ""
    return html.split('data-testid="attention"', 1)[1].split("</section>", 1)[0]


def behind_goal(plan, title: str = "Publish the pricing study") -> Goal:
    """17 % of the way (1 of 6) where the straight line says 82 % (82 of 100 days); checked in two
    days ago, so no check-in is due."""
    start = TODAY - timedelta(days=82)
    goal = GoalFactory(
        plan=plan, title=title, baseline=0, target=6, start_date=start, deadline=start + timedelta(days=100)
    )
    CheckInFactory(goal=goal, value=1, checked_on=TODAY - timedelta(days=2))
    return goal


def at_risk_goal(plan, title: str = "Mentor two associates") -> Goal:
    """25 % of the way where the line says 40 %: short by more than the tolerance, not by twice it."""
    start = TODAY - timedelta(days=40)
    goal = GoalFactory(
        plan=plan, title=title, baseline=0, target=4, start_date=start, deadline=start + timedelta(days=100)
    )
    CheckInFactory(goal=goal, value=1, checked_on=TODAY - timedelta(days=1))
    return goal


def on_track_goal(plan, title: str = "Run six customer interviews") -> Goal:
    """A third of the way where the line says a sixth, checked in yesterday."""
    start = TODAY - timedelta(days=30)
    goal = GoalFactory(
        plan=plan, title=title, baseline=0, target=3, start_date=start, deadline=start + timedelta(days=180)
    )
    CheckInFactory(goal=goal, value=1, checked_on=TODAY - timedelta(days=1))
    return goal


def earned(plan, name: str, expires_in_days: int, abbreviation: str = "") -> PlanCertification:
    return PlanCertificationFactory(
        plan=plan,
        certification=CertificationFactory(name=name, abbreviation=abbreviation),
        status=PlanCertification.Status.EARNED,
        earned_on=TODAY - timedelta(days=700),
        expires_on=TODAY + timedelta(days=expires_in_days),
    )


def written_at(when, model, **fields):
    """A comment written at ``when`` (its created_at is set on save)."""
    with time_machine.travel(when, tick=False):
        return model.objects.create(**fields)


# --- What leads the page --------------------------------------------------------------------------


def test_a_behind_goal_with_no_check_in_due_leads_the_owners_dashboard(alice_client, plan):
    behind_goal(plan)
    on_track_goal(plan)

    html = dashboard(alice_client)

    lead = attention(html)
    assert named(lead, "attention-goal") == ["Publish the pricing study"]
    assert "Behind" in lead and "17% done, 82% expected by now" in lead
    # First on the page: before the plan's card and the goals' cards.
    assert html.index('data-testid="attention"') < html.index("dashboard-plan")
    assert html.index("Publish the pricing study") < html.index("Time to check in")
    # Nothing is due for a check-in, but the page no longer calls that "up to date".
    assert UP_TO_DATE not in html
    assert "No check-in due" in html


def test_behind_goals_come_before_at_risk_ones(alice_client, plan):
    at_risk_goal(plan)
    behind_goal(plan)

    lead = attention(dashboard(alice_client))

    assert named(lead, "attention-goal") == ["Publish the pricing study", "Mentor two associates"]
    assert "At risk" in lead


def test_an_overdue_milestone_is_named(alice_client, plan):
    goal = on_track_goal(plan)
    MilestoneFactory(goal=goal, title="Send the interview survey", due_date=TODAY - timedelta(days=1))
    MilestoneFactory(goal=goal, title="Due today", due_date=TODAY)
    MilestoneFactory(goal=goal, title="Done already", due_date=TODAY - timedelta(days=5), done_at=NOW)
    paused = on_track_goal(plan, title="A paused goal")
    Goal.objects.filter(pk=paused.pk).update(status=Goal.Status.PAUSED)
    MilestoneFactory(goal=paused, title="Paused goal's step", due_date=TODAY - timedelta(days=3))

    lead = attention(dashboard(alice_client))

    assert named(lead, "attention-milestone") == ["Send the interview survey"]
    assert "due 14 Jun 2026" in lead and "Run six customer interviews" in lead
    assert f'href="{goal.get_absolute_url()}#milestones"' in lead


def test_a_certification_expiring_within_the_warning_is_named(alice_client, plan):
    earned(plan, "Certified Product Manager", expires_in_days=20, abbreviation="CPM")
    earned(plan, "Certified Scrum Product Owner", expires_in_days=EXPIRY_WARNING_DAYS + 1)
    earned(plan, "Pragmatic Level I", expires_in_days=0)  # expired today: no longer held, not "expiring"

    lead = attention(dashboard(alice_client))

    assert named(lead, "attention-certification") == ["Certified Product Manager (CPM)"]
    assert "expires 5 Jul 2026" in lead


def test_a_mentors_new_comments_show_on_the_plan_and_on_its_goals(
    alice_client, alice, plan, mentor, mentor_share
):
    mentor.first_name = "Maya Mentor"
    mentor.save(update_fields=["first_name"])
    goal = on_track_goal(plan)
    on_plan = written_at(
        NOW - timedelta(days=3), Comment, plan=plan, author=mentor, body="Have you booked the course?"
    )
    on_goal = written_at(
        NOW - timedelta(days=1), GoalComment, goal=goal, author=mentor, body="Six is ambitious: go!"
    )
    written_at(NOW - timedelta(hours=1), Comment, plan=plan, author=alice, body="My own note")
    oldest_shown = TODAY - timedelta(days=13)  # today and the 13 days before it
    written_at(
        timezone.make_aware(timezone.datetime.combine(oldest_shown, timezone.datetime.min.time())),
        Comment,
        plan=plan,
        author=mentor,
        body="Thirteen days ago, at midnight",
    )
    written_at(
        timezone.make_aware(timezone.datetime.combine(oldest_shown, timezone.datetime.min.time()))
        - timedelta(seconds=1),
        Comment,
        plan=plan,
        author=mentor,
        body="Fourteen days ago",
    )

    lead = attention(dashboard(alice_client))

    comments = lead.split('data-testid="attention-comment"')[1:]
    assert [c.split("</li>")[0].count("Maya Mentor") for c in comments] == [1, 1, 1]
    bodies = [re.search(r'<span class="d-block">([^<]*)</span>', c).group(1) for c in comments]
    assert bodies == [
        "Six is ambitious: go!",
        "Have you booked the course?",
        "Thirteen days ago, at midnight",
    ]
    assert f'href="{goal.get_absolute_url()}#comment-{on_goal.pk}"' in lead
    assert f'href="{plan.get_absolute_url()}#comment-{on_plan.pk}"' in lead
    assert "My own note" not in lead and "Fourteen days ago" not in lead


def test_with_nothing_pressing_the_page_says_up_to_date(alice_client, plan, mentor, mentor_share):
    goal = on_track_goal(plan)
    MilestoneFactory(goal=goal, title="Done already", due_date=TODAY - timedelta(days=5), done_at=NOW)
    MilestoneFactory(goal=goal, title="Next week", due_date=TODAY + timedelta(days=7))
    earned(plan, "Certified Product Manager", expires_in_days=EXPIRY_WARNING_DAYS + 30)
    written_at(NOW - timedelta(days=30), Comment, plan=plan, author=mentor, body="An old comment")

    html = dashboard(alice_client)

    assert 'data-testid="attention"' not in html
    assert f"{UP_TO_DATE} 1 active goal." in html


def test_a_due_check_in_is_not_up_to_date(alice_client, plan):
    start = TODAY - timedelta(days=10)
    GoalFactory(plan=plan, title="Never checked in", start_date=start, deadline=start + timedelta(days=400))

    html = dashboard(alice_client)

    assert UP_TO_DATE not in html
    assert "Never checked in" in html.split("Time to check in", 1)[1]


# --- One rule for the owner and the mentor --------------------------------------------------------


def test_owner_and_mentor_see_the_same_goals_behind_or_at_risk(alice_client, plan, mentor, mentor_share):
    behind_goal(plan)
    at_risk_goal(plan)
    on_track_goal(plan)
    GoalFactory(
        plan=plan, title="Paused and late", status=Goal.Status.PAUSED, start_date=TODAY - timedelta(days=90)
    )

    owner_sees = named(attention(dashboard(alice_client)), "attention-goal")
    mentor_sees = named(dashboard(client_for(mentor)), "slipping-goal")

    assert owner_sees == mentor_sees == ["Publish the pricing study", "Mentor two associates"]


# --- Whose trouble ----------------------------------------------------------------------------------


def test_another_persons_trouble_never_shows(plan, alice, bob, mentor, mentor_share):
    goal = behind_goal(plan)
    MilestoneFactory(goal=goal, title="Alice's overdue step", due_date=TODAY - timedelta(days=2))
    earned(plan, "Alice's certification", expires_in_days=10)
    written_at(NOW - timedelta(days=1), Comment, plan=plan, author=mentor, body="For Alice only")
    written_at(NOW - timedelta(days=1), GoalComment, goal=goal, author=mentor, body="For Alice's goal")
    # Bob has a plan of his own, with nothing pressing; the mentor reads Alice's plan and has one too.
    on_track_goal(CareerPlanFactory(owner=bob, title="Bob's plan"), title="Bob's goal")
    CareerPlanFactory(owner=mentor, title="Maya's plan")
    written_at(NOW - timedelta(days=1), Comment, plan=plan, author=alice, body="Alice to her mentor")

    for person in (bob, mentor):
        html = dashboard(client_for(person))
        assert 'data-testid="attention"' not in html, person
        for text in ("overdue step", "Alice&#x27;s certification", "For Alice", "Alice to her mentor"):
            assert text not in html, (person, text)
    assert "Publish the pricing study" not in dashboard(client_for(bob))


def test_an_anonymous_visitor_gets_the_landing_page(client, plan):
    behind_goal(plan)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "landing.html"
    html = response.content.decode()
    assert "Start your plan" in html and "Needs your attention" not in html
    assert "Publish the pricing study" not in html


# --- Queries ----------------------------------------------------------------------------------------


def troubled_plan(owner, mentor, size: int, n: int = 0) -> CareerPlan:
    """A plan with ``size`` of each kind of trouble: goals behind and at risk, overdue milestones,
    expiring certifications, the mentor's comments on the plan and on its goals."""
    plan = CareerPlanFactory(owner=owner, title=f"Plan {n} of {size}")
    ShareFactory(plan=plan, user=mentor)
    for i in range(size):
        goal = (
            behind_goal(plan, title=f"Behind {n}-{size}-{i}")
            if i % 2
            else at_risk_goal(plan, title=f"At risk {n}-{size}-{i}")
        )
        MilestoneFactory(goal=goal, title=f"Step {n}-{size}-{i}", due_date=TODAY - timedelta(days=1 + i))
        earned(plan, f"Certification {n}-{size}-{i}", expires_in_days=10 + i)
        written_at(
            NOW - timedelta(hours=1 + i), Comment, plan=plan, author=mentor, body=f"Plan note {n}-{size}-{i}"
        )
        written_at(
            NOW - timedelta(hours=1 + i),
            GoalComment,
            goal=goal,
            author=mentor,
            body=f"Goal note {n}-{size}-{i}",
        )
    return plan


@pytest.mark.parametrize("size", [5, 30])
def test_query_count_does_not_grow_with_plans_or_goals(
    alice_client, alice, mentor, size, django_assert_max_num_queries
):
    troubled_plan(alice, mentor, 2)
    with CaptureQueriesContext(connection) as small:
        assert 'data-testid="attention"' in dashboard(alice_client)
    for n in range(3):
        troubled_plan(alice, mentor, size, n)
    # session + user, the plan ids and their versions, the plans with roles, requirements,
    # assessments, certifications and activities; where their goals stand (one query), their
    # measured facts, the goals due and the deadlines soon; overdue milestones, the goals' new
    # comments and the plans' (one query each, counted by a window); the starter roles: fixed.
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = dashboard(alice_client)
    lead = attention(html)
    for testid in ("attention-goal", "attention-milestone", "attention-certification", "attention-comment"):
        assert len(named(lead, testid)) == 5, testid  # ATTENTION_ROWS of each, the rest counted
    slipping = 2 + 3 * size  # every goal of the four plans; 5 shown
    assert f"and {slipping - 5} more: see each plan" in lead
    assert len(small.captured_queries) <= 15, [q["sql"][:80] for q in small.captured_queries]
