"""Drafting from my gap proposes actions, not only goals: the next learning resources of the gap
skills as planned activities, and the target role's recommended certifications the plan lacks as
planned certifications; one review screen, one transaction, nothing proposed twice."""

from collections.abc import Iterator
from datetime import timedelta

import factory
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from base import versions
from goals import services
from goals.drafting import ACTIVITY_KINDS, PRETICKED_GAPS, RESOURCES_PER_GAP, draft_from_gap
from goals.models import Goal
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from skills.models import Certification, LearningResource, RoleSkill, Skill, add_months
from tests.conftest import NOW, TODAY, make_user
from tests.factories import (
    CertificationFactory,
    IndustryFactory,
    LearningResourceFactory,
    RoleSkillFactory,
    SkillFactory,
    routes_in_bulk,
)
from tests.goals.import_fixtures import PASSWORD
from tests.plans.conftest import write_ladder, write_plan
from tests.plans.factories import ActivityFactory, PlanCertificationFactory
from tests.shared_rows import rows_kept_until_exit

pytestmark = pytest.mark.usefixtures("frozen_time")

# The plan (tests/plans/conftest.py): Associate PM → Senior PM, which requires strategy 3,
# market 4, communication 4 and leadership 3.


@pytest.fixture
def gap(plan, ladder):
    return write_gap(plan, ladder)


def write_gap(plan, ladder) -> dict:
    """Market at 2 (gap 2), communication at 3 (gap 1), strategy at 3 (met), leadership unassessed.
    Every skill has a resource at each level 1–5, of several kinds; Senior PM recommends CPM and
    CPO, and the plan already pursues CPO. The resources and certifications are written in bulk, a
    statement a table and one move of the ladder's version (as the ladder fixture)."""
    for slug, level in [("strategy", 3), ("market", 2), ("communication", 3)]:
        SkillAssessment.objects.create(plan=plan, skill=ladder.skills[slug], level=level)
    kinds = [
        LearningResource.Kind.BOOK,
        LearningResource.Kind.COMMUNITY,
        LearningResource.Kind.COURSE,
        LearningResource.Kind.MENTORING,
        LearningResource.Kind.CERTIFICATION,
    ]
    resources = {}
    for slug, skill in ladder.skills.items():
        for level, kind in zip(range(1, 6), kinds, strict=True):
            resources[slug, level] = LearningResourceFactory.build(
                skill=skill,
                title=f"{skill.name} {level}",
                kind=kind,
                level=level,
                url=f"https://example.com/{slug}/{level}",
                provider="Example Press",
                hours=8,
            )
    LearningResource.objects.bulk_create(resources.values())
    certs = {
        abbr: CertificationFactory.build(name=name, abbreviation=abbr)
        for abbr, name in [("CPM", "Certified Product Manager"), ("CPO", "Certified Product Owner")]
    }
    Certification.objects.bulk_create(certs.values())
    Recommended = Certification.roles.through  # noqa: N806 (a model)
    Recommended.objects.bulk_create(
        Recommended(certification=cert, role=ladder.roles["senior"]) for cert in certs.values()
    )
    versions.bump(versions.LADDER)
    PlanCertificationFactory(plan=plan, certification=certs["CPO"])
    return {"resources": resources, "certs": certs}


def draft_url(plan) -> str:
    return reverse("goals:draft", args=[plan.pk])


# --- What is proposed ------------------------------------------------------------------------------


def test_each_open_gap_offers_its_next_resources_as_activities(plan, gap, ladder):
    proposal = draft_from_gap(plan, TODAY)

    # Market (at 2, needs 4): levels 3 and 4; communication (at 3, needs 4): level 4. Nothing for the
    # met strategy, nor for leadership, whose gap is unknown until it is assessed.
    assert [(d.skill.name, d.resource.level) for d in proposal.activities] == [
        ("Market analysis", 3),
        ("Market analysis", 4),
        ("Communication", 4),
    ]
    assert [d.preticked for d in proposal.activities] == [True, False, True]  # the next step of a ticked gap


def test_a_gap_offers_at_most_a_few_resources(plan, gap, ladder):
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["market"], level=1)

    market = [d for d in draft_from_gap(plan, TODAY).activities if d.skill == ladder.skills["market"]]

    assert [d.resource.level for d in market] == [2, 3][:RESOURCES_PER_GAP]  # lowest first: the next step


def test_the_plans_industry_resources_come_first(plan, gap, ladder):
    health = IndustryFactory()
    gap["resources"]["market", 4].industries.add(health)
    plan.industry = health
    plan.save()

    market = [d for d in draft_from_gap(plan, TODAY).activities if d.skill == ladder.skills["market"]]

    assert [d.resource.level for d in market] == [4, 3]  # as the gap table lists them
    assert market[0].date == add_months(TODAY, 6)  # still dated by its level


def test_every_resource_kind_becomes_an_activity_kind():
    assert set(ACTIVITY_KINDS) == set(LearningResource.Kind)
    assert set(ACTIVITY_KINDS.values()) <= set(Activity.Kind)
    assert ACTIVITY_KINDS[LearningResource.Kind.COMMUNITY] == Activity.Kind.COMMUNITY
    assert ACTIVITY_KINDS[LearningResource.Kind.MENTORING] == Activity.Kind.MENTORED
    assert ACTIVITY_KINDS[LearningResource.Kind.CERTIFICATION] == Activity.Kind.COURSE


def test_an_activity_is_planned_for_when_its_level_is_due_and_never_after_its_goal(plan, gap, ladder):
    proposal = draft_from_gap(plan, TODAY)
    goals = {d.skill: d.deadline for d in proposal.goals}
    dates = {(d.skill.name, d.resource.level): d.date for d in proposal.activities}

    # Three months per level above where the person stands, as the skill's goal is paced.
    assert dates[("Market analysis", 3)] == add_months(TODAY, 3)
    assert dates[("Market analysis", 4)] == goals[ladder.skills["market"]] == add_months(TODAY, 6)
    assert dates[("Communication", 4)] == goals[ladder.skills["communication"]]


def test_a_close_target_date_pulls_activities_in(plan, gap):
    plan.target_date = TODAY + timedelta(days=30)
    plan.save()

    proposal = draft_from_gap(plan, TODAY)

    assert all(TODAY < d.date <= plan.target_date for d in proposal.activities)


def test_only_recommended_certifications_not_on_the_plan_are_proposed(plan, gap):
    proposal = draft_from_gap(plan, TODAY)

    assert [d.certification for d in proposal.certifications] == [gap["certs"]["CPM"]]
    assert proposal.certifications[0].preticked


def test_nothing_already_on_the_plan_is_proposed_again(plan, gap, ladder):
    ActivityFactory(plan=plan, title="  MARKET analysis 3 ")  # the same title, however written
    ActivityFactory(plan=plan, title="Read it again", link="https://example.com/communication/4")  # same link
    PlanCertificationFactory(plan=plan, certification=gap["certs"]["CPM"], earned=True)

    proposal = draft_from_gap(plan, TODAY)

    assert [(d.skill.name, d.resource.level) for d in proposal.activities] == [("Market analysis", 4)]
    assert proposal.certifications == []


def test_a_gap_with_a_goal_keeps_its_resources(plan, gap, ladder):
    Goal.objects.create(
        plan=plan,
        title="Market",
        metric="Level",
        unit="level",
        baseline=2,
        target=4,
        skill=ladder.skills["market"],
        start_date=TODAY,
        deadline=TODAY + timedelta(days=90),
    )

    proposal = draft_from_gap(plan, TODAY)

    assert [d.skill.name for d in proposal.goals] == ["Communication"]
    assert [d.skill.name for d in proposal.activities] == [
        "Market analysis",
        "Market analysis",
        "Communication",
    ]
    # Its goal is not ticked (there is none to draft), so neither is its next resource.
    assert [d.preticked for d in proposal.activities] == [False, False, True]


# --- The review screen ---------------------------------------------------------------------------------


def test_the_page_shows_goals_activities_and_certifications_in_one_form(alice_client, plan, gap):
    response = alice_client.get(draft_url(plan))
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count('name="drafts"') == 2
    assert html.count('name="activities"') == 3
    assert html.count('name="certifications"') == 1
    assert html.count("<form") == 2  # the page's form and the navbar's sign-out
    # Market's levels 3 (course) and 4 (mentoring) are offered, not its level 2 (community).
    assert "Community or forum" not in html
    assert "Course · Example Press · about 8 h · Market analysis to level 3" in html
    assert "Being mentored · Example Press · about 8 h · Market analysis to level 4" in html
    assert 'href="https://example.com/market/3" rel="external noopener"' in html
    assert "Certified Product Manager (CPM)" in html
    # 2 goals + 2 next resources + CPM ticked, of 6.
    assert "5 of 6 selected" in html


def test_keeping_some_of_each_adds_exactly_those_rows(alice_client, plan, gap, ladder):
    market = gap["resources"]["market", 3]
    communication = gap["resources"]["communication", 4]
    data = {
        "drafts": [ladder.skills["market"].pk, ladder.skills["communication"].pk],
        "activities": [market.pk, communication.pk],
        "certifications": [gap["certs"]["CPM"].pk],
    }
    response = alice_client.post(draft_url(plan), data, follow=True)

    assert response.redirect_chain[-1][0] == plan.get_absolute_url() + "#goals"
    messages = [m.message for m in response.context["messages"]]
    assert "Added 2 goals, 2 activities and 1 certification to your plan." in messages
    assert sorted(Goal.objects.values_list("skill__slug", flat=True)) == ["communication", "market"]
    activities = {a.title: a for a in Activity.objects.filter(plan=plan)}
    assert set(activities) == {"Market analysis 3", "Communication 4"}
    kept = activities["Market analysis 3"]
    assert (kept.kind, kept.link, kept.status, kept.date) == (
        Activity.Kind.COURSE,
        "https://example.com/market/3",
        Activity.Status.PLANNED,
        add_months(TODAY, 3),
    )
    assert list(kept.skills.all()) == [ladder.skills["market"]]
    assert "Course by Example Press, about 8 h" in kept.note
    assert activities["Communication 4"].kind == Activity.Kind.MENTORED
    cpm = PlanCertification.objects.get(plan=plan, certification=gap["certs"]["CPM"])
    assert cpm.status == PlanCertification.Status.PLANNED and cpm.target_date
    assert PlanCertification.objects.filter(plan=plan).count() == 2  # CPO was there
    page = alice_client.get(plan.get_absolute_url()).content.decode()
    assert "Market analysis 3" in page and "Communication 4" in page and "CPM" in page


def test_keeping_only_activities_returns_to_the_plans_activities(alice_client, plan, gap):
    response = alice_client.post(draft_url(plan), {"activities": [gap["resources"]["market", 4].pk]})

    assert response.url == plan.get_absolute_url() + "#activities"
    assert not Goal.objects.exists()
    assert Activity.objects.get().title == "Market analysis 4"


def test_what_was_kept_is_not_proposed_again(alice_client, plan, gap, ladder):
    data = {"activities": [gap["resources"]["market", 3].pk], "certifications": [gap["certs"]["CPM"].pk]}
    assert alice_client.post(draft_url(plan), data).status_code == 302

    proposal = draft_from_gap(plan, TODAY)
    assert [(d.skill.name, d.resource.level) for d in proposal.activities] == [
        ("Market analysis", 4),
        ("Communication", 4),
    ]
    assert proposal.certifications == []
    # The same form sent again (a double submit) is refused as no longer proposed, and adds nothing.
    response = alice_client.post(draft_url(plan), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"activities", "certifications"}
    assert Activity.objects.count() == 1 and PlanCertification.objects.filter(plan=plan).count() == 2


def test_the_service_adds_nothing_the_plan_holds_by_then(plan, gap, ladder):
    proposal = draft_from_gap(plan, TODAY)

    def keep():
        return services.drafts_keep(
            plan=plan,
            goals=[d.to_goal(plan, TODAY) for d in proposal.goals],
            activities=[(d.to_activity(plan), [d.skill]) for d in proposal.activities],
            certifications=[d.to_record(plan) for d in proposal.certifications],
        )

    first, second = keep(), keep()

    assert (len(first.goals), len(first.activities), len(first.certifications)) == (2, 3, 1)
    assert (second.goals, second.activities, second.certifications) == ([], [], [])
    assert Goal.objects.count() == 2 and Activity.objects.count() == 3


@pytest.fixture(scope="class")
def written(django_db_setup, django_db_blocker) -> Iterator[dict[str, int]]:
    """Alice, the ladder, her plan and `gap`, written once for a class whose tests only read them."""

    def write() -> dict[str, int]:
        with time_machine.travel(NOW, tick=False):
            alice = make_user("alice@example.com", PASSWORD)
            ladder = write_ladder()
            plan = write_plan(alice, ladder)
            write_gap(plan, ladder)
        return {"alice": alice.pk, "plan": plan.pk, "market": ladder.skills["market"].pk}

    with rows_kept_until_exit(django_db_blocker, write) as pks:
        yield pks


class TestBadIds:
    """Thirty posts on the same plan, which only read it: Alice, the ladder, her plan and `gap`
    are written once for the class (~45 statements, which each test wrote), in a transaction
    rolled back after the class (tests/shared_rows.py); each test's writes are undone after it."""

    @pytest.fixture
    def alice(self, db, written):
        """Alice, read afresh (alice_client signs her in)."""
        return get_user_model().objects.get(pk=written["alice"])

    @pytest.mark.parametrize("field", ["drafts", "activities", "certifications"])
    @pytest.mark.parametrize(
        "value",
        ["abc", "²", "-1", "1e3", "", " 1", "99999999999999999999999", "1;DROP TABLE", "\u0663", "999999"],
    )
    def test_bad_ids_are_a_field_error_and_add_nothing(self, alice_client, written, field, value):
        plan = CareerPlan.objects.get(pk=written["plan"])
        data = {"drafts": [written["market"]], field: [value]}
        response = alice_client.post(draft_url(plan), data)

        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert b'data-testid="error-summary"' in response.content
        assert not Goal.objects.exists() and not Activity.objects.exists()


def test_an_id_that_exists_but_was_not_offered_is_a_field_error(alice_client, plan, gap, ladder):
    met = gap["resources"]["strategy", 3]  # strategy is met: its resources are not proposed
    other = CertificationFactory()  # recommended for no role of the plan
    response = alice_client.post(draft_url(plan), {"activities": [met.pk], "certifications": [other.pk]})

    assert set(response.context["form"].errors) == {"activities", "certifications"}
    assert not Activity.objects.exists()
    assert not PlanCertification.objects.filter(certification=other).exists()


def test_nothing_ticked_says_so(alice_client, plan, gap):
    response = alice_client.post(draft_url(plan), {})

    assert response.status_code == 200
    assert "Tick at least one goal, activity or certification" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("mentor", 403), ("bob", 404), ("anonymous", 302)])
def test_only_the_owner_drafts(client, plan, gap, mentor, mentor_share, bob, ladder, who, status):
    if who == "mentor":
        client.force_login(mentor)
    elif who == "bob":
        client.force_login(bob)
    data = {"drafts": [ladder.skills["market"].pk], "certifications": [gap["certs"]["CPM"].pk]}

    assert client.get(draft_url(plan)).status_code == status
    response = client.post(draft_url(plan), data)

    assert response.status_code == status
    if who == "anonymous":
        assert response.url.startswith(reverse("account_login"))
    assert not Goal.objects.exists()
    assert not PlanCertification.objects.filter(certification=gap["certs"]["CPM"]).exists()


# --- A fixed number of queries, whatever the number of resources and roles ---------------------------


def build_plan(owner, size: int) -> CareerPlan:
    """A plan from one role to another through `size` roles between them, whose target requires
    `size` skills, each with `size` resources over the levels, recommends `size` certifications (and
    each role between another); half the skills assessed, some resources and a certification on the
    plan already.

    The ladder is written in bulk, a statement a table (with RoleSkill's history and one move of
    the ladder's version for the lot, as tests/plans/conftest.py's ladder): the claim is about the
    page's queries, not the saves."""
    track, current, target, between = routes_in_bulk(size)
    certifications = Certification.objects.bulk_create(CertificationFactory.build_batch(2 * size))
    Recommended = Certification.roles.through  # noqa: N806 (a model)
    Recommended.objects.bulk_create(
        Recommended(certification=certification, role=role)
        for certification, role in zip(certifications, [*between, *[target] * size], strict=True)
    )
    skills = Skill.objects.bulk_create(SkillFactory.build_batch(size))
    bulk_create_with_history(
        [RoleSkillFactory.build(role=target, skill=skill, level=5) for skill in skills], RoleSkill
    )
    resources = [
        LearningResourceFactory.build_batch(
            size, skill=skill, level=factory.Iterator([1 + n % 5 for n in range(size)])
        )
        for skill in skills
    ]
    LearningResource.objects.bulk_create(resource for batch in resources for resource in batch)
    versions.bump(versions.LADDER)
    plan = CareerPlan.objects.create(
        owner=owner, title=f"Plan {size}", current_role=current, target_role=target
    )
    PlanCertificationFactory(plan=plan, certification=certifications[size])
    for i, skill in enumerate(skills):
        if i % 2:
            SkillAssessment.objects.create(plan=plan, skill=skill, level=1 + i % 3)
        ActivityFactory(plan=plan, title=resources[i][-1].title)
    return plan


def count_queries(client, plan) -> tuple[int, str]:
    cache.clear()  # both sizes pay for the whole page: the role's resources included
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(draft_url(plan))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_query_count_stays_the_same_with_ten_times_the_resources_and_roles(
    alice_client, alice, django_assert_max_num_queries
):
    small, small_html = count_queries(alice_client, build_plan(alice, 3))
    big_plan = build_plan(alice, 30)
    cache.clear()
    # 11 at both sizes: session, user; the ladder's version; the plan with its roles, the target role's requirements with
    # their skills, its assessments; the skills of its active goals, its activities' titles and links,
    # its certifications; the target role's recommended certifications; the role's resources (one
    # query, then cached per ladder version).
    with django_assert_max_num_queries(small):
        response = alice_client.get(draft_url(big_plan))
    html = response.content.decode()
    assert html.count('name="drafts"') == 15  # the assessed half
    assert html.count('name="activities"') == 15 * RESOURCES_PER_GAP
    assert html.count('name="certifications"') == 29  # one of 30 is on the plan
    assert html.count(" checked") == PRETICKED_GAPS * 2 + 1
    assert small_html.count('name="certifications"') == 2
    assert small <= 11
