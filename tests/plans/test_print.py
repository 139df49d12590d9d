"""The print view of a plan ("Print / save as PDF"): what it shows, who sees it, and its queries."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.models import CheckIn, Goal, GoalComment
from plans.models import Activity, CareerPlan, SkillAssessment
from plans.sharing.models import Comment
from skills.models import Skill
from tests.factories import RoleFactory, RoleSkillFactory, SkillFactory, TrackFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import ActivityFactory, PlanCertificationFactory, ShareFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

# Skill name → (required, assessed): gaps 4, 3, 3, 2, 1, then the sixth (1, by name), one met and
# one not assessed.
SKILLS = {
    "Roadmapping": (5, 1),
    "Pricing": (5, 2),
    "Stakeholder management": (4, 1),
    "Discovery": (4, 2),
    "Data analysis": (3, 2),
    "User research": (3, 2),
    "Writing": (2, 4),
    "Negotiation": (3, None),
}


def url(plan: CareerPlan) -> str:
    return reverse("plans:print", args=[plan.pk])


def build_plan(owner, *, goals: int = 3, title: str = "Head of Product by 2028") -> CareerPlan:
    today = timezone.localdate()
    track = TrackFactory()
    current = RoleFactory(track=track, title="Product Manager", level=1)
    target = RoleFactory(track=track, title="Head of Product", level=2)
    plan = CareerPlan.objects.create(
        owner=owner,
        title=title,
        current_role=current,
        target_role=target,
        target_date=today + timedelta(days=400),
    )
    for name, (required, assessed) in SKILLS.items():
        skill = Skill.objects.filter(name=name).first() or SkillFactory(name=name)
        RoleSkillFactory(role=target, skill=skill, level=required)
        if assessed is not None:
            SkillAssessment.objects.create(plan=plan, skill=skill, level=assessed)
    for i in range(goals):
        goal = GoalFactory(
            plan=plan,
            title=f"Goal number {i}",
            metric="Interviews",
            unit="interviews",
            baseline=0,
            target=10,
            start_date=today - timedelta(days=60),
            deadline=today + timedelta(days=120 + i),
        )
        CheckIn.objects.create(goal=goal, value=Decimal(1), checked_on=today - timedelta(days=30))
        CheckIn.objects.create(goal=goal, value=Decimal(1 + i % 4), checked_on=today - timedelta(days=5))
        GoalComment.objects.create(goal=goal, author=owner, body=f"owner note {i}")
    PlanCertificationFactory(
        plan=plan, certification__name=f"Certified Scrum Product Owner {plan.pk}", earned=True
    )
    PlanCertificationFactory(plan=plan, certification__name=f"Pragmatic Product Certification {plan.pk}")
    for days in range(7):
        ActivityFactory(plan=plan, title=f"Activity {days} days ago", date=today - timedelta(days=days))
    return plan


@pytest.fixture
def print_plan(alice):
    return build_plan(alice)


@pytest.fixture
def shared(print_plan, mentor):
    return ShareFactory(plan=print_plan, user=mentor, email=mentor.email)


def text_of(response) -> str:
    """The page's text, tags stripped and spaces collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_owner_sees_the_plan_readiness_gaps_and_goals(alice_client, print_plan):
    response = alice_client.get(url(print_plan))

    assert response.status_code == 200
    text = text_of(response)
    assert "Head of Product by 2028" in text
    assert "alice" in text  # the owner's name (no first name: the part before the @)
    assert "Product Manager → Head of Product" in text
    readiness = print_plan.readiness()
    assert f"{readiness.percent}% ready" in text
    gaps = [g.skill.name for g in response.context["gaps"]]
    assert gaps == ["Roadmapping", "Pricing", "Stakeholder management", "Discovery", "Data analysis"]
    gap_table = text.split("Largest skill gaps", 1)[1].split("Goals", 1)[0]
    assert "User research" not in gap_table  # the sixth
    assert "Writing" not in gap_table and "Negotiation" not in gap_table  # met, not assessed
    assert "1 more gap" in gap_table
    for i in range(3):
        assert f"Goal number {i}" in text
    assert "10% 1 / 10 interviews" in text  # goal 0: percent, current vs target, unit
    assert "30% 3 / 10 interviews" in text  # goal 2
    goal = Goal.objects.get(title="Goal number 0")
    assert goal.track_status().label in text
    assert goal.deadline.strftime("%-d %b %Y") in text
    assert "Certified Scrum Product Owner" in text and "Earned" in text
    assert "Activity 0 days ago" in text and "Activity 4 days ago" in text
    assert "Activity 5 days ago" not in text  # the latest five by date
    assert "Print / save as PDF" in text and "Back to the plan" in text


def test_recent_activities_are_the_done_ones_latest_first(alice_client, bare_plan):
    today = timezone.localdate()
    planned, done = Activity.Status.PLANNED, Activity.Status.DONE
    ActivityFactory(
        plan=bare_plan, title="Speak at ProductCon", date=today + timedelta(days=30), status=planned
    )
    ActivityFactory(plan=bare_plan, title="Pricing workshop", date=today - timedelta(days=2), status=planned)
    ActivityFactory(
        plan=bare_plan, title="Finish the SQL course", date=today - timedelta(days=9), status=done
    )
    ActivityFactory(plan=bare_plan, title="Read Inspired", date=today - timedelta(days=1), status=done)

    text = text_of(alice_client.get(url(bare_plan)))

    recent = text.split("Recent activities", 1)[1].split("Latest comments", 1)[0]
    assert recent.index("Read Inspired") < recent.index("Finish the SQL course")
    assert "Speak at ProductCon" not in recent  # planned, in the future
    assert "Pricing workshop" not in recent  # planned, never marked done


def test_with_only_planned_activities_none_is_recent(alice_client, bare_plan):
    ActivityFactory(plan=bare_plan, title="Speak at ProductCon", status=Activity.Status.PLANNED)
    recent = text_of(alice_client.get(url(bare_plan))).split("Recent activities", 1)[1]
    assert "Speak at ProductCon" not in recent and "No activities done yet." in recent


def test_readiness_reads_as_on_the_plan_page(alice_client, print_plan):
    def readiness(response) -> str:
        return re.search(r'data-testid="readiness">([^<]+)<', response.content.decode()).group(1)

    assert readiness(alice_client.get(url(print_plan))) == readiness(
        alice_client.get(print_plan.get_absolute_url())
    )


def comment(model, hours_ago: int, **fields):
    """A comment written ``hours_ago`` (created_at is set on insert, so moved after it)."""
    row = model.objects.create(**fields)
    model.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))
    return row


def test_mentor_sees_it_with_their_latest_comments(client, print_plan, mentor, shared):
    mentor.first_name = "Maya Mentor"
    mentor.save()
    goal = print_plan.goals.first()
    comment(Comment, 5, plan=print_plan, author=mentor, body="The oldest comment.")
    comment(Comment, 4, plan=print_plan, author=mentor, body="Start with the interviews.")
    comment(GoalComment, 3, goal=goal, author=mentor, body="Ask what they tried first.")
    comment(Comment, 2, plan=print_plan, author=print_plan.owner, body="Thanks, booked three.")
    comment(Comment, 1, plan=print_plan, author=mentor, body="The newest comment.")
    client.force_login(mentor)

    response = client.get(url(print_plan))

    assert response.status_code == 200
    comments = text_of(response).split("Latest comments from mentors", 1)[1]
    assert comments.index("The newest comment.") < comments.index("Ask what they tried first.")
    assert comments.index("Ask what they tried first.") < comments.index("Start with the interviews.")
    assert f"Maya Mentor , {timezone.localdate():%-d %b %Y}, on “{goal.title}”" in comments
    assert "The oldest comment." not in comments  # only the latest three
    assert "Thanks, booked three." not in comments and "owner note" not in comments  # the owner's own


def test_without_comments_the_page_says_so(alice_client, print_plan):
    assert "No comments from mentors yet." in text_of(alice_client.get(url(print_plan)))


def test_an_empty_plan_says_what_it_lacks(alice_client, bare_plan):
    text = text_of(alice_client.get(url(bare_plan)))

    assert "Readiness unknown" in text
    assert "No skill assessed yet" in text
    assert "No goals on this plan yet." in text
    assert "No certifications on this plan." in text and "No activities done yet." in text


def test_other_user_gets_404(bob_client, print_plan):
    assert bob_client.get(url(print_plan)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, print_plan):
    response = client.get(url(print_plan))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_the_plan_page_links_to_it_for_owner_and_mentor(client, print_plan, alice, mentor, shared):
    for person in (alice, mentor):
        client.force_login(person)
        assert f'href="{url(print_plan)}"' in client.get(print_plan.get_absolute_url()).content.decode()


def test_it_is_a_page_of_its_own_with_no_navigation_and_no_inline_script(alice_client, print_plan):
    html = alice_client.get(url(print_plan)).content.decode()
    assert "<nav" not in html and "navbar" not in html
    assert "css/print.css" in html and "js/print-page.js" in html
    assert "onclick" not in html and "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def count_queries(client, plan) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url(plan))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_goals(alice, client, mentor, django_assert_max_num_queries):
    small = build_plan(alice, goals=3, title="Small plan")
    big = build_plan(alice, goals=30, title="Big plan")
    for plan in (small, big):
        ShareFactory(plan=plan, user=mentor, email=mentor.email)
        for goal in plan.goals.all():
            GoalComment.objects.create(goal=goal, author=mentor, body=f"mentor on {goal.title}")
            Comment.objects.create(plan=plan, author=mentor, body="mentor on the plan")
        ActivityFactory.create_batch(10, plan=plan, kind=Activity.Kind.BOOK)
        # A third of the goals measure a skill's level: they read the plan's self-assessments.
        roadmapping = plan.target_role.requirements.get(skill__name="Roadmapping").skill
        measured = list(plan.goals.values_list("pk", flat=True)[::3])
        plan.goals.filter(pk__in=measured).update(skill=roadmapping, unit="level", baseline=1, target=5)
    client.force_login(mentor)
    baseline = count_queries(client, small)
    # the user (the session is cached); the plan with its owner and roles; the target role's
    # requirements with their skills, self-assessments, certifications, activities and their
    # skills (PlanPage.loaded); the goals, each with its latest check-in by subquery; the goals'
    # latest comments by others and the plan's: 10, whatever the number of goals.
    with django_assert_max_num_queries(baseline) as captured:
        response = client.get(url(big))
    assert response.status_code == 200
    assert len(response.context["sections"][0]["goals"]) == 30
    assert "Goal number 29" in response.content.decode()
    assert baseline <= 12, "\n".join(q["sql"] for q in captured.captured_queries)
