"""The plan page and dashboard make the same number of queries whatever the data size."""

from datetime import timedelta

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from base import versions
from plans.models import Activity, CareerPlan, SkillAssessment
from plans.sharing.models import Comment
from skills.models import Certification, Role, RoleSkill, Skill, Transition
from tests.factories import (
    CertificationFactory,
    RoleFactory,
    RoleSkillFactory,
    SkillFactory,
    TrackFactory,
    TransitionFactory,
)
from tests.goals.test_plan_goals_queries import build_goals
from tests.plans.factories import ActivityFactory, PlanCertificationFactory, ShareFactory


def build_plan(owner, size: int) -> CareerPlan:
    """A plan whose target role requires `size` skills, with `size` assessments (each twice),
    certifications, activities (each building 3 skills), comments and shares.

    Written in bulk where no save() computes a field, a statement a table (RoleSkill's history with
    bulk_create_with_history), with one move of the ladder's and of the plan's version for the lot:
    the claims are about the pages' queries, not the saves. Certifications on the plan are saved
    one by one, as save() computes when an earned one expires."""
    track = TrackFactory()
    current, middle, target = RoleFactory.build_batch(3, track=track, level=factory.Iterator([1, 2, 3]))
    Role.objects.bulk_create([current, middle, target])
    Transition.objects.bulk_create(
        TransitionFactory.build(from_role=a, to_role=b)
        for a, b in [(current, middle), (middle, target), (current, target)]
    )
    skills = Skill.objects.bulk_create(SkillFactory.build_batch(size))
    bulk_create_with_history(
        [
            RoleSkillFactory.build(role=role, skill=skill, level=level)
            for skill in skills
            for role, level in [(target, 4), (middle, 3)]
        ],
        RoleSkill,
    )
    certifications = Certification.objects.bulk_create(CertificationFactory.build_batch(size))
    versions.bump(versions.LADDER)
    plan = CareerPlan.objects.create(
        owner=owner, title=f"Plan {size}", current_role=current, target_role=target
    )
    SkillAssessment.objects.bulk_create(
        SkillAssessment(plan=plan, skill=skill, level=level)
        for i, skill in enumerate(skills)
        for level in [1, 1 + i % 5]
    )
    for i, certification in enumerate(certifications):
        PlanCertificationFactory(plan=plan, certification=certification, earned=(i % 2 == 0))
    activities = Activity.objects.bulk_create(ActivityFactory.build_batch(size, plan=plan))
    Built = Activity.skills.through  # noqa: N806 (a model)
    Built.objects.bulk_create(
        Built(activity=activity, skill=skill)
        for i, activity in enumerate(activities)
        for skill in skills[i : i + 3]
    )
    Comment.objects.bulk_create(Comment(plan=plan, author=owner, body=f"note {i}") for i in range(size))
    for _ in range(min(size, 5)):
        ShareFactory(plan=plan)
    versions.bump(versions.plan(plan.pk))
    return plan


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# The baseline's data size; each test then measures a bigger one against it.
SMALL = 2


@pytest.mark.parametrize("size", [5, 50])
def test_plan_page_query_count_does_not_grow(alice_client, alice, size, django_assert_max_num_queries):
    small = build_plan(alice, SMALL)
    baseline = count_queries(alice_client, small.get_absolute_url())
    plan = build_plan(alice, size)
    # session + user, the plan with roles, requirements, assessments, certifications,
    # activities and their skills, transitions graph, route roles and requirements,
    # shares, comments, the roles' requirement changes since the plan's last change (one query):
    # a fixed set, whatever the size.
    with django_assert_max_num_queries(baseline):
        response = alice_client.get(plan.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Plan {size}" in html
    assert f"note {size - 1}" in html  # the newest comment: the page showed the big plan's rows
    assert baseline <= 25


@pytest.mark.parametrize("size", [5, 50])
def test_dashboard_query_count_does_not_grow(alice_client, alice, size, django_assert_max_num_queries):
    build_plan(alice, SMALL)
    baseline = count_queries(alice_client, reverse("home"))
    for _ in range(2):
        build_plan(alice, size)
    # session + user, plans with roles, requirements, assessments, certifications,
    # activities, shared plans, the starter roles: fixed, whatever the number of plans.
    with django_assert_max_num_queries(baseline):
        response = alice_client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(f"Plan {size}") >= 2 and f"Plan {SMALL}" in html  # all three plans listed
    assert baseline <= 12


@pytest.mark.parametrize("size", [5, 50])
def test_mentor_dashboard_query_count_does_not_grow(client, alice, bob, size, django_assert_max_num_queries):
    """A mentor with no plan of their own: the plans shared with them lead, each with its goals."""
    from goals.models import CheckIn, Goal
    from tests.goals.factories import CheckInFactory, GoalFactory

    def share_plan(size: int) -> CareerPlan:
        plan = build_plan(alice, size)
        ShareFactory(plan=plan, user=bob)
        started = timezone.localdate() - timedelta(days=100)
        # A third of them behind, all due for a check-in; in bulk (neither Goal nor CheckIn has a
        # save() computing a field), with one move of the plan's version.
        goals = Goal.objects.bulk_create(
            GoalFactory.build(plan=plan, title=f"Goal {size}-{i}", start_date=started) for i in range(size)
        )
        CheckIn.objects.bulk_create(
            CheckInFactory.build(goal=goal, value=i % 3, checked_on=started + timedelta(days=1))
            for i, goal in enumerate(goals)
        )
        versions.bump(versions.plan(plan.pk))
        return plan

    client.force_login(bob)
    share_plan(SMALL)
    baseline = count_queries(client, reverse("home"))
    for _ in range(2):
        share_plan(size)
    # session + user; the ids of the plans he reads (the cache key); the plans with roles,
    # requirements and assessments; where their goals stand (one query, three goals a plan at
    # most); the starter roles: fixed, whatever the number of plans and goals.
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(f"Plan {size}") >= 2 and f"Plan {SMALL}" in html  # all three shared plans
    assert len(response.context["shared_cards"]) == 3
    assert "Behind" in html and "Due since" in html
    assert baseline <= 12


def test_plan_page_is_at_most_14_queries_once_the_ladders_routes_are_cached(alice_client, alice):
    plan = build_plan(alice, 50)
    build_goals(plan, 100)
    # The routes between its roles are cached under the ladder's version by the first view; a
    # comment moves the plan's version, so the second is a full rebuild.
    alice_client.get(plan.get_absolute_url())
    Comment.objects.create(plan=plan, author=alice, body="one more")
    with CaptureQueriesContext(connection) as ctx:
        response = alice_client.get(plan.get_absolute_url())
    assert "one more" in response.content.decode()
    # 12 for the page, the session and the versions of what it shows (both in the database, so
    # every process answers alike).
    assert len(ctx.captured_queries) <= 14, [q["sql"][:80] for q in ctx.captured_queries]


def test_dashboard_builds_as_many_goals_for_100_goals_a_plan_as_for_5(client, alice, bob):
    """Bob owns two plans and mentors two of Alice's: the goals his dashboard builds are the few
    it shows, whatever the number on the plans."""
    from tests.goals.test_plan_goals_queries import counting_model_objects

    def plans_with(count: int) -> list[CareerPlan]:
        own = [build_plan(bob, 2) for _ in range(2)]
        shared = [build_plan(alice, 2) for _ in range(2)]
        for plan in own + shared:
            build_goals(plan, count)
        for plan in shared:
            ShareFactory(plan=plan, user=bob)
        return own + shared

    client.force_login(bob)
    built = []
    for count in (5, 100):
        plans = plans_with(count)
        with counting_model_objects() as objects, CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        # 12, and what needs Bob on his own plans (issue 23): overdue milestones, new comments on
        # the goals and on the plans, one query each.
        assert len(queries.captured_queries) <= 15, [q["sql"][:80] for q in queries.captured_queries]
        built.append(objects["Goal"])
        CareerPlan.objects.filter(pk__in=[p.pk for p in plans]).update(status=CareerPlan.Status.ARCHIVED)
    assert built[1] == built[0], built
