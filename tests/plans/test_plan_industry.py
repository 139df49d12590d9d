"""A plan's industry: the owner names it in the plan form; the roles common in it lead the target
choices, and the learning resources tagged with it lead each gap's list, at a fixed query count."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from base import versions
from plans.forms import PlanForm
from plans.models import CareerPlan, SkillAssessment
from skills.models import LearningResource
from tests.factories import IndustryFactory, LearningResourceFactory
from tests.plans.test_gap_resources import build_plan, count_queries
from tests.plans.test_plan_pages import plan_data

pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def health(ladder):
    """Healthcare, where the ladder's product manager and senior product manager are common."""
    industry = IndustryFactory(name="Healthcare")
    industry.roles.add(ladder.roles["pm"], ladder.roles["senior"])
    return industry


# --- The plan form ------------------------------------------------------------------------------


def test_owner_names_the_industry_when_creating_a_plan(alice_client, alice, ladder, health):
    response = alice_client.post(reverse("plans:create"), plan_data(ladder, industry=health.pk))

    plan = CareerPlan.objects.get(owner=alice)
    assert response["Location"] == plan.get_absolute_url()
    assert plan.industry == health


def test_the_industry_is_optional(alice_client, alice, ladder, health):
    alice_client.post(reverse("plans:create"), plan_data(ladder, industry=""))

    assert CareerPlan.objects.get(owner=alice).industry is None


def test_owner_changes_and_clears_the_industry_and_the_history_says_so(alice_client, plan, ladder, health):
    edit = reverse("plans:edit", args=[plan.pk])
    alice_client.post(edit, plan_data(ladder, title=plan.title, industry=health.pk))
    plan.refresh_from_db()
    assert plan.industry == health

    alice_client.post(edit, plan_data(ladder, title=plan.title, industry=""))
    plan.refresh_from_db()
    assert plan.industry is None
    events = alice_client.get(reverse("plans:history", args=[plan.pk])).context["events"]
    changes = [change for event in events for change in event["changes"] if change["field"] == "Industry"]
    assert sorted(changes, key=str) == sorted(
        [
            {"field": "Industry", "old": "—", "new": "Healthcare"},
            {"field": "Industry", "old": "Healthcare", "new": "—"},
        ],
        key=str,
    )  # the clock is frozen: both edits share a moment, so their order is not asserted


@pytest.mark.parametrize("value", ["999999", "abc", "1" * 30, "-1", "1.5"])
def test_a_bad_industry_is_a_field_error(alice_client, plan, ladder, health, value):
    response = alice_client.post(
        reverse("plans:edit", args=[plan.pk]), plan_data(ladder, title="Renamed", industry=value)
    )

    assert response.status_code == 200
    assert "valid choice" in " ".join(response.context["form"].errors["industry"])
    plan.refresh_from_db()
    assert (plan.title, plan.industry) == ("Become a Senior PM", None)


def test_a_mentor_cannot_set_the_industry(client, plan, ladder, health, mentor, mentor_share):
    client.force_login(mentor)

    response = client.post(reverse("plans:edit", args=[plan.pk]), plan_data(ladder, industry=health.pk))

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.industry is None


def target_groups(form: PlanForm) -> list[tuple[str, list[str]]]:
    field = form.fields["target_role"]
    return [(label, [text for _, text in options]) for label, options in field.choices if label]


def test_the_industrys_roles_lead_the_target_choices(plan, ladder, health):
    plan.industry = health

    groups = target_groups(PlanForm(instance=plan))

    assert [label for label, _ in groups] == ["Common in Healthcare", "Other roles"]
    assert groups[0][1] == [
        "Product Manager — Product Management, level 3",
        "Senior Product Manager — Product Management, level 4",
    ]
    assert len(groups[1][1]) == len(ladder.roles) - 2


def test_a_re_shown_form_follows_the_industry_posted(alice_client, ladder, health):
    response = alice_client.post(reverse("plans:create"), plan_data(ladder, title="", industry=health.pk))

    html = response.content.decode()
    assert '<optgroup label="Common in Healthcare">' in html
    assert html.index("Common in Healthcare") < html.index("Other roles")


def test_without_an_industry_the_target_choices_are_one_list(alice_client, ladder, health):
    html = alice_client.get(reverse("plans:create")).content.decode()

    assert "<optgroup" not in html
    assert 'name="industry"' in html and "No particular industry" in html


def test_a_posted_industry_is_still_checked_by_the_target_field(alice_client, alice, ladder, health):
    """The groups change how roles are shown, never which are valid."""
    response = alice_client.post(
        reverse("plans:create"), plan_data(ladder, industry=health.pk, target_role="999999")
    )

    assert "valid choice" in " ".join(response.context["form"].errors["target_role"])
    assert not CareerPlan.objects.filter(owner=alice).exists()


# --- The plan page --------------------------------------------------------------------------------


def test_the_plan_page_names_the_industry(alice_client, plan, health):
    plan.industry = health
    plan.save()

    html = alice_client.get(plan.get_absolute_url()).content.decode()

    assert "· in Healthcare" in html


def test_the_industrys_resources_lead_each_gap_and_are_marked(alice_client, plan, ladder, health):
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["market"], level=1)  # requires 4
    for level in (2, 3, 4):
        LearningResourceFactory(skill=ladder.skills["market"], title=f"Market {level}", level=level)
    LearningResourceFactory(
        skill=ladder.skills["market"], title="Market 4 in hospitals", level=4
    ).industries.add(health)
    LearningResourceFactory(skill=ladder.skills["market"], title="Market 3 in banks", level=3).industries.add(
        IndustryFactory(name="Finance")
    )
    plan.industry = health
    plan.save()

    response = alice_client.get(plan.get_absolute_url())

    rows = {gap.skill.name: [r.title for r in shown] for gap, shown in response.context["gap_rows"]}
    assert rows["Market analysis"] == [
        "Market 4 in hospitals",
        "Market 2",
        "Market 3",
        "Market 3 in banks",
        "Market 4",
    ]
    html = response.content.decode()
    assert html.count('data-testid="industry-resource"') == 1


def test_without_an_industry_resources_keep_their_level_order(alice_client, plan, ladder, health):
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["market"], level=1)
    LearningResourceFactory(
        skill=ladder.skills["market"], title="Market 4 in hospitals", level=4
    ).industries.add(health)
    LearningResourceFactory(skill=ladder.skills["market"], title="Market 2", level=2)

    response = alice_client.get(plan.get_absolute_url())

    rows = {gap.skill.name: [r.title for r in shown] for gap, shown in response.context["gap_rows"]}
    assert rows["Market analysis"] == ["Market 2", "Market 4 in hospitals"]
    assert 'data-testid="industry-resource"' not in response.content.decode()


def with_industry(plan: CareerPlan) -> CareerPlan:
    """The plan in an industry that tags every other resource of its target role's skills (in one
    statement, with one move of the ladder's version, as build_plan writes the resources)."""
    industry = IndustryFactory(name=f"Industry of {plan.title}")
    skills = plan.target_role.requirements.values_list("skill_id", flat=True)
    resources = LearningResource.objects.filter(skill_id__in=skills).order_by("pk")
    Tag = LearningResource.industries.through  # noqa: N806 (a model)
    Tag.objects.bulk_create(
        Tag(learningresource=resource, industry=industry) for n, resource in enumerate(resources) if n % 2
    )
    versions.bump(versions.LADDER)
    plan.industry = industry
    plan.save()
    return plan


def test_query_count_stays_the_same_with_an_industry_and_ten_times_the_resources(
    alice_client, alice, django_assert_max_num_queries
):
    small, _ = count_queries(alice_client, with_industry(build_plan(alice, 3)))
    big_plan = with_industry(build_plan(alice, 30))
    cache.clear()
    # 17 at both sizes: the plan page's 16 (tests/plans/test_gap_resources.py) and the ids of the
    # industry's resources (cached per ladder version and industry, like the resources).
    with django_assert_max_num_queries(small):
        response = alice_client.get(big_plan.get_absolute_url())
    assert response.status_code == 200
    assert 'data-testid="industry-resource"' in response.content.decode()
    assert small <= 17, small
