"""The plan page's gap table: the learning resources that help close each gap, and "Make this a goal"."""

import re
from html import unescape

import factory
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from base import versions
from goals.models import Goal
from plans.models import CareerPlan, SkillAssessment
from plans.readiness import SkillGap
from skills.models import LearningResource, RoleSkill, Skill
from tests.conftest import TODAY
from tests.factories import (
    LearningResourceFactory,
    RoleSkillFactory,
    SkillFactory,
    routes_in_bulk,
)
from tests.goals.factories import GoalFactory

# The plan (conftest): Associate PM → Senior PM, which requires strategy 3, market 4,
# communication 4 and leadership 3.
pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def resources(plan, ladder):
    """Market assessed at 2 (gap 2), communication at 4 (met), leadership not assessed; resources
    at every level for each."""
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["market"], level=2)
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["communication"], level=4)
    made = {}
    for skill in ("market", "communication", "leadership"):
        for level in range(1, 6):
            made[skill, level] = LearningResourceFactory(
                skill=ladder.skills[skill], title=f"{skill.title()} level {level}", level=level
            )
    made["market", 3].url = ""
    made["market", 3].save()
    return made


def page_html(client, plan) -> str:
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def gap_rows(client, plan) -> dict[str, list[str]]:
    """Skill name → titles of the resources its gap row lists."""
    response = client.get(plan.get_absolute_url())
    return {gap.skill.name: [r.title for r in shown] for gap, shown in response.context["gap_rows"]}


# --- Which resources, in which order ------------------------------------------------------------


def test_a_gap_lists_the_resources_between_the_current_and_the_required_level(alice_client, plan, resources):
    rows = gap_rows(alice_client, plan)

    assert rows["Market analysis"] == ["Market level 3", "Market level 4"]  # at 2, requires 4
    assert rows["Leadership"] == [
        "Leadership level 1",
        "Leadership level 2",
        "Leadership level 3",
    ]  # unassessed
    assert rows["Communication"] == []  # met: nothing to close
    assert rows["Business strategy"] == []  # no resources curated


def test_a_resource_added_in_the_admin_shows_on_the_next_view(
    alice_client, plan, ladder, django_capture_on_commit_callbacks
):
    assert gap_rows(alice_client, plan)["Business strategy"] == []
    with django_capture_on_commit_callbacks(execute=True):  # the ladder's version moves on commit
        LearningResourceFactory(skill=ladder.skills["strategy"], title="Playing to Win", level=3)

    assert gap_rows(alice_client, plan)["Business strategy"] == ["Playing to Win"]


def test_resources_are_read_up_to_each_skills_required_level(ladder):
    market, leadership = ladder.skills["market"], ladder.skills["leadership"]
    for skill in (market, leadership):
        for level in range(1, 6):
            LearningResourceFactory(skill=skill, title=f"{skill.name} {level}", level=level)

    found = LearningResource.objects.within({market.pk: 4, leadership.pk: 2}).order_by("title")

    assert [r.title for r in found] == [
        "Leadership 1",
        "Leadership 2",
        "Market analysis 1",
        "Market analysis 2",
        "Market analysis 3",
        "Market analysis 4",
    ]
    assert not LearningResource.objects.within({}).exists()


@pytest.mark.parametrize(
    ("current", "required", "shown"),
    [(None, 3, [1, 2, 3]), (1, 3, [2, 3]), (3, 3, []), (4, 3, []), (2, 5, [3, 4, 5])],
)
def test_skill_gap_keeps_the_resources_above_where_the_person_stands(current, required, shown):
    skill = SkillFactory.build(pk=1)
    resources = [LearningResource(skill_id=1, level=level, title=str(level)) for level in range(1, 6)]
    other = LearningResource(skill_id=2, level=3, title="another skill's")
    gap = SkillGap(skill=skill, required=required, current=current)

    assert [r.level for r in gap.helpful([*resources, other])] == shown


def test_each_resource_shows_its_kind_provider_hours_level_and_link(alice_client, plan, resources):
    LearningResourceFactory(
        skill=plan.target_role.requirements.get(skill__slug="strategy").skill,
        title="Good Strategy Bad Strategy",
        kind=LearningResource.Kind.BOOK,
        provider="Richard Rumelt (Crown Business)",
        hours=10,
        level=3,
        url="https://example.com/good-strategy",
    )
    html = page_html(alice_client, plan)

    assert (
        '<a href="https://example.com/good-strategy" rel="external noopener">Good Strategy Bad Strategy</a>'
        in html
    )
    assert "Book · Richard Rumelt (Crown Business) · about 10 h · to level 3" in html
    assert re.search(r'<span class="fw-semibold">Market level 3</span>', html), "no link without a URL"
    assert "2 learning resources" in html and "3 learning resources" in html


def test_a_mentor_reads_the_resources_but_is_offered_no_goal(client, mentor, mentor_share, plan, resources):
    client.force_login(mentor)
    html = page_html(client, plan)

    assert "Market level 4" in html
    assert 'data-testid="make-goal"' not in html


# --- Make this a goal ------------------------------------------------------------------------------


def make_goal_links(html: str) -> dict[str, str]:
    """The "Make this a goal" links of the gap table: skill name (from the hidden text) → URL."""
    links = re.findall(
        r'<a class="btn btn-link btn-sm gap-make-goal" href="([^"]+)" data-testid="make-goal">Make this a goal'
        r'<span class="visually-hidden">: (.+?) to level \d</span></a>',
        html,
    )
    return {name: unescape(url) for url, name in links}


def test_every_open_gap_row_offers_to_make_it_a_goal(alice_client, plan, ladder, resources):
    links = make_goal_links(page_html(alice_client, plan))

    assert set(links) == {"Market analysis", "Leadership", "Business strategy"}  # communication is met
    create = reverse("goals:create", args=[plan.pk])
    assert links["Market analysis"] == f"{create}?skill={ladder.skills['market'].pk}"


def test_following_the_link_prefills_the_goal_and_posting_it_creates_a_skill_goal(
    alice_client, plan, ladder, resources
):
    url = make_goal_links(page_html(alice_client, plan))["Market analysis"]

    form = alice_client.get(url).context["form"]
    assert (form.initial["baseline"], form.initial["target"]) == (2, 4)  # assessed 2, Senior PM needs 4
    assert (form.initial["skill"], form.initial["unit"]) == (ladder.skills["market"].pk, "level")
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else str(value) for name, value in data.items()}
    data["plan_of_attack"] = "The pricing course, then two market reviews."  # the person's to write
    response = alice_client.post(reverse("goals:create", args=[plan.pk]), data)

    assert response.status_code == 302
    goal = Goal.objects.get(plan=plan)
    assert (goal.skill, goal.baseline, goal.target, goal.title) == (
        ladder.skills["market"],
        2,
        4,
        "Reach level 4 in Market analysis",
    )
    assert goal.measures_skill_level and goal.start_date == TODAY


def test_making_a_goal_of_a_skill_already_worked_on_says_so(alice_client, plan, ladder, resources):
    """A second goal for the same skill is allowed, but the form says where the first one is."""
    url = make_goal_links(page_html(alice_client, plan))["Market analysis"]
    assert 'data-testid="goal-existing"' not in alice_client.get(url).content.decode()
    first = GoalFactory(plan=plan, skill=ladder.skills["market"], title="Market sizing practice")

    html = alice_client.get(url).content.decode()

    assert 'data-testid="goal-existing"' in html
    assert f'<a href="{first.get_absolute_url()}">Market sizing practice</a> (active)' in html
    first.status = Goal.Status.ABANDONED
    first.save()
    assert 'data-testid="goal-existing"' not in alice_client.get(url).content.decode()


def test_an_unassessed_skill_starts_from_level_one(alice_client, plan, ladder):
    url = make_goal_links(page_html(alice_client, plan))["Leadership"]

    initial = alice_client.get(url).context["form"].initial
    assert (initial["baseline"], initial["target"]) == (1, 3)


@pytest.mark.parametrize(
    "value", ["abc", "²", "-1", "1e3", "", " 1", "99999999999999999999999", "1;DROP TABLE", "\u0663"]
)
def test_a_bad_skill_parameter_leaves_the_form_empty(alice_client, plan, value):
    response = alice_client.get(reverse("goals:create", args=[plan.pk]), {"skill": value})

    assert response.status_code == 200
    assert "title" not in response.context["form"].initial


def test_a_skill_off_the_plans_roles_leaves_the_form_empty(alice_client, plan):
    juggling = SkillFactory(name="Juggling")
    response = alice_client.get(reverse("goals:create", args=[plan.pk]), {"skill": juggling.pk})

    assert response.status_code == 200
    assert "title" not in response.context["form"].initial


# --- A fixed number of queries, whatever the number of resources and roles ----------------------------


def build_plan(owner, size: int) -> CareerPlan:
    """A plan from one role to another through `size` roles between them (as many routes), whose
    target requires `size` skills, each with `size` resources over the levels; half assessed.

    The ladder is written in bulk, a statement a table (with RoleSkill's history and one move of
    the ladder's version for the lot, as tests/plans/conftest.py's ladder): the query-count tests
    are about the page's queries, not the saves (one by one, size 30 took 5,800 statements)."""
    track, current, target, between = routes_in_bulk(size)
    plan = CareerPlan.objects.create(
        owner=owner, title=f"Plan {size}", current_role=current, target_role=target
    )
    skills = SkillFactory.build_batch(size)
    Skill.objects.bulk_create(skills)
    bulk_create_with_history(
        [
            RoleSkillFactory.build(role=role, skill=skill, level=level)
            for skill in skills
            for role, level in ((target, 5), *((role, 3) for role in between))
        ],
        RoleSkill,
    )
    for i, skill in enumerate(skills):
        if i % 2:
            SkillAssessment.objects.create(plan=plan, skill=skill, level=1 + i % 3)
    LearningResource.objects.bulk_create(
        resource
        for skill in skills
        for resource in LearningResourceFactory.build_batch(
            size, skill=skill, level=factory.Iterator([1 + n % 5 for n in range(size)])
        )
    )
    versions.bump(versions.LADDER)
    return plan


def count_queries(client, plan) -> tuple[int, list[str]]:
    cache.clear()  # both sizes pay for the whole page: routes and the ladder graph included
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_query_count_stays_the_same_with_ten_times_the_resources_and_roles(
    alice_client, alice, django_assert_max_num_queries
):
    small, _ = count_queries(alice_client, build_plan(alice, 3))
    big_plan = build_plan(alice, 30)
    cache.clear()
    # 16 at both sizes: session, user, the versions of what the page shows, the plan with its roles; the target role's requirements with
    # their skills, assessments, certifications, activities; where the goals stand (one query); the
    # roles' requirement changes; the resources of every open gap (one query); the transition graph,
    # the routes' roles and their requirements; shares; comments.
    with django_assert_max_num_queries(small):
        response = alice_client.get(big_plan.get_absolute_url())
    html = response.content.decode()
    assert html.count('data-testid="make-goal"') == 30
    # Each skill's 30 resources cycle through levels 1–5; an assessed skill skips the levels reached.
    reached = [1 + i % 3 if i % 2 else 0 for i in range(30)]
    assert html.count('class="gap-resource"') == sum(6 * (5 - current) for current in reached)
    assert small <= 16


def test_a_page_rebuilt_after_an_assessment_reads_the_resources_from_the_cache(
    alice_client, alice, django_capture_on_commit_callbacks
):
    plan = build_plan(alice, 30)
    alice_client.get(plan.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):  # the plan's version moves on commit
        SkillAssessment.objects.create(plan=plan, skill=plan.target_role.requirements.first().skill, level=2)
    with CaptureQueriesContext(connection) as ctx:
        response = alice_client.get(plan.get_absolute_url())
    assert response.status_code == 200
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "plans_skillassessment" in tables, "the body was rebuilt, not served from the cache"
    assert "skills_learningresource" not in tables
