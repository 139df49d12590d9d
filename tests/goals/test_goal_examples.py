"""The goal form's examples: the plan's target role first, then the roles on its path, then the
rest; the plan's industry first within each group; a fixed number of queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from base import versions
from plans.models import CareerPlan
from skills.models import GoalTemplate
from tests.factories import (
    GoalTemplateFactory,
    IndustryFactory,
    RoleFactory,
    TrackFactory,
    TransitionFactory,
    routes_in_bulk,
)

# The plan (tests/plans/conftest.py): Associate PM → Senior PM, by apm → pm → senior.


def create_url(plan) -> str:
    return reverse("goals:create", args=[plan.pk])


def groups_of(client, plan) -> dict[str, list[str]]:
    response = client.get(create_url(plan))
    assert response.status_code == 200
    return {group.slug: [t.title for t in group.templates] for group in response.context["template_groups"]}


@pytest.fixture
def examples(ladder):
    roles, track = ladder.roles, ladder.track
    return {
        "target": GoalTemplateFactory(track=track, role=roles["senior"], title="Lead a launch"),
        "step": GoalTemplateFactory(track=track, role=roles["pm"], title="Own a roadmap"),
        "current": GoalTemplateFactory(track=track, role=roles["apm"], title="Ship a feature"),
        "beyond": GoalTemplateFactory(track=track, role=roles["leader"], title="Set the strategy"),
        "track": GoalTemplateFactory(track=track, title="Read 6 product books"),
        "anyone": GoalTemplateFactory(track=None, title="Find a mentor"),
        "elsewhere": GoalTemplateFactory(track=TrackFactory(name="Nursing"), title="Learn triage"),
    }


def test_the_target_roles_examples_lead_then_the_paths_then_the_rest(alice_client, plan, examples):
    groups = groups_of(alice_client, plan)

    assert list(groups) == ["target", "path", "other"]
    assert groups["target"] == ["Lead a launch"]
    assert sorted(groups["path"]) == ["Own a roadmap", "Ship a feature"]  # the current role is on the path
    assert sorted(groups["other"]) == ["Find a mentor", "Read 6 product books", "Set the strategy"]


def test_the_page_names_each_group_and_the_role_of_a_path_example(alice_client, plan, examples):
    html = alice_client.get(create_url(plan)).content.decode()

    target = html.index('id="examples-target"')
    path = html.index('id="examples-path"')
    other = html.index('id="examples-other"')
    assert target < path < other
    assert "For your target role, Senior Product Manager" in html
    assert "For the roles on your path" in html
    assert "Product Manager ·" in html[path:other]  # which step the example is for
    assert "Learn triage" not in html  # another track's, for none of the plan's roles


def test_without_role_examples_the_list_is_one_group(alice_client, plan, ladder):
    GoalTemplateFactory(track=ladder.track, title="Read 6 product books")

    response = alice_client.get(create_url(plan))

    [group] = response.context["template_groups"]
    assert (group.slug, group.title) == ("other", "Examples")


def test_an_example_for_a_role_on_the_path_from_another_track_is_offered(alice_client, alice, ladder):
    """A route across tracks: its roles' examples count as the path's, whatever their track."""
    engineering = TrackFactory(name="Engineering")
    engineer = RoleFactory(track=engineering, title="Software Engineer", level=1)
    TransitionFactory(from_role=engineer, to_role=ladder.roles["apm"])
    plan = CareerPlan.objects.create(
        owner=alice, title="Into product", current_role=engineer, target_role=ladder.roles["pm"]
    )
    GoalTemplateFactory(track=ladder.track, role=ladder.roles["apm"], title="Ship a feature")
    GoalTemplateFactory(track=engineering, title="Review 20 pull requests")

    groups = groups_of(alice_client, plan)

    assert groups["path"] == ["Ship a feature"]
    assert groups["other"] == ["Review 20 pull requests"]


def test_the_plans_industry_comes_first_within_each_group(alice_client, plan, ladder, examples):
    health = IndustryFactory(name="Healthcare")
    books = examples["track"]
    books.industries.add(health)
    examples["anyone"].industries.add(IndustryFactory(name="Finance"))  # another industry: no change
    plan.industry = health
    plan.save()

    response = alice_client.get(create_url(plan))
    groups = {g.slug: [t.title for t in g.templates] for g in response.context["template_groups"]}

    assert groups["other"][0] == "Read 6 product books"
    html = response.content.decode()
    assert html.count('data-testid="industry-template"') == 1
    assert ">Healthcare</span>" in html


def test_without_an_industry_no_example_is_marked(alice_client, plan, examples):
    examples["track"].industries.add(IndustryFactory(name="Healthcare"))

    html = alice_client.get(create_url(plan)).content.decode()

    assert 'data-testid="industry-template"' not in html


# --- A fixed number of queries ------------------------------------------------------------------


def build_plan(owner, size: int) -> CareerPlan:
    """A plan through `size` roles between its current and target roles, each role with `size`
    examples (half tagged with the plan's industry), and `size` examples of no role.

    Written in bulk, a statement a table and one move of the ladder's version for the lot (as
    tests/plans/conftest.py's ladder): the claim is about the form's queries, not the saves."""
    industry = IndustryFactory(name=f"Industry for {size}")
    track, current, target, between = routes_in_bulk(size)
    templates = GoalTemplate.objects.bulk_create(
        GoalTemplateFactory.build(track=track, role=role)
        for role in [current, target, *between, None]
        for _ in range(size)
    )
    Tag = GoalTemplate.industries.through  # noqa: N806 (a model)
    Tag.objects.bulk_create(
        Tag(goaltemplate=template, industry=industry) for n, template in enumerate(templates) if n % size % 2
    )
    versions.bump(versions.LADDER)
    return CareerPlan.objects.create(
        owner=owner, title=f"Plan {size}", current_role=current, target_role=target, industry=industry
    )


def count_queries(client, plan) -> int:
    cache.clear()  # both sizes pay for the routes and the transition graph
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(create_url(plan))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_stays_the_same_with_ten_times_the_examples_and_roles(
    alice_client, alice, django_assert_max_num_queries
):
    small = count_queries(alice_client, build_plan(alice, 3))
    big = build_plan(alice, 30)
    cache.clear()
    # 13 at both sizes: session, user, the plan with its roles and industry, its owner, reminder
    # settings; the ladder's version; the transition graph, the routes' roles and their requirements (cached per ladder
    # version: none on a later view); the examples with their roles and industry tag (one query);
    # the form's skill, certification and role choices.
    with django_assert_max_num_queries(small):
        response = alice_client.get(create_url(big))
    groups = {g.slug: len(g.templates) for g in response.context["template_groups"]}
    # The path is the plan page's: its current role and the roles of the three shortest routes.
    assert groups == {"target": 30, "path": 30 * 4, "other": 30 * 27 + 30}
    assert response.content.decode().count('data-testid="industry-template"') == 15 * 33
    assert small <= 13, small
