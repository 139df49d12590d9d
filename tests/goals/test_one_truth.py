"""One truth per fact: a skill-level goal is the skill's self-assessment, a certification goal is the
plan's certification, and every check-in stays within what its goal measures."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import CheckIn, Goal
from plans.models import PlanCertification, SkillAssessment
from tests.conftest import NOW, TODAY
from tests.factories import CertificationFactory
from tests.goals.factories import CheckInFactory, GoalFactory
from tests.plans.factories import PlanCertificationFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

HTMX = {"HTTP_HX_REQUEST": "true"}


def assess(plan, skill, level: int, days_ago: int = 0) -> SkillAssessment:
    return SkillAssessment.objects.create(
        plan=plan, skill=skill, level=level, assessed_at=NOW - timedelta(days=days_ago)
    )


def skill_goal(plan, skill, baseline: int = 2, target: int = 4, **fields) -> Goal:
    """A goal as initial_from_skill drafts it: the self-assessed level of one skill."""
    fields.setdefault("start_date", TODAY - timedelta(days=30))
    return GoalFactory(
        plan=plan,
        skill=skill,
        title=f"Reach level {target} in {skill.name}",
        metric="Self-assessed level",
        unit="level",
        baseline=baseline,
        target=target,
        **fields,
    )


def certification_goal(plan, certification, **fields) -> Goal:
    """A goal as initial_from_certification drafts it: certification earned, 0 → 1."""
    return GoalFactory(
        plan=plan,
        certification=certification,
        title=f"Earn the {certification.abbreviation}",
        metric="Certification earned",
        unit="certification",
        baseline=0,
        target=1,
        **fields,
    )


def check_in(client, goal, **data):
    return client.post(reverse("goals:check_in_add", args=[goal.pk]), data)


def gap_of(response, skill):
    return next(g for g in response.context["gaps"] if g.skill == skill)


@pytest.fixture
def communication(plan, ladder):
    """Communication, which the plan's target role (Senior PM) requires at level 4; assessed at 2."""
    assess(plan, ladder.skills["communication"], 2, days_ago=40)
    return ladder.skills["communication"]


@pytest.fixture
def cpl():
    return CertificationFactory(name="Certified Product Leader", abbreviation="CPL", validity_months=24)


# --- What a goal measures --------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, skill_level, certification",
    [
        ({"unit": "level", "with_skill": True}, True, False),
        ({"unit": " Level ", "with_skill": True}, True, False),
        ({"unit": "level", "with_skill": False}, False, False),  # a level of what? no skill, no assessment
        ({"unit": "courses", "with_skill": True}, False, False),
        ({"unit": "certification", "with_certification": True}, False, True),
        ({"unit": "Certification", "with_certification": True}, False, True),
        ({"unit": "hours", "with_certification": True}, False, False),  # study hours towards it
    ],
)
def test_what_a_goal_measures_comes_from_its_unit_and_what_it_is_tied_to(
    plan, communication, cpl, fields, skill_level, certification
):
    goal = Goal(
        plan=plan,
        unit=fields["unit"],
        skill=communication if fields.get("with_skill") else None,
        certification=cpl if fields.get("with_certification") else None,
    )
    assert (goal.measures_skill_level, goal.measures_certification) == (skill_level, certification)


# --- A skill-level goal is the skill's self-assessment ----------------------------------------


def test_skill_check_in_moves_the_gap_and_readiness_on_the_plan_page(alice_client, plan, communication):
    goal = skill_goal(plan, communication)
    before = alice_client.get(plan.get_absolute_url())
    assert gap_of(before, communication).current == 2
    assert before.context["readiness"].percent == 50  # 2 of the 4 levels Communication needs

    response = check_in(alice_client, goal, value="3", note="Ran the quarterly review")

    assert response.status_code == 302
    after = alice_client.get(plan.get_absolute_url())
    assert gap_of(after, communication).current == 3
    assert gap_of(after, communication).gap == 1
    assert after.context["readiness"].percent == 75
    assert 'data-testid="readiness">75% ready<' in after.content.decode()


def test_skill_check_in_adds_an_assessment_row_and_keeps_the_earlier_ones(alice_client, plan, communication):
    goal = skill_goal(plan, communication)
    check_in(alice_client, goal, value="3", date=(TODAY - timedelta(days=5)).isoformat())
    check_in(alice_client, goal, value="4", note="Led the offsite")

    rows = list(SkillAssessment.objects.filter(plan=plan, skill=communication).order_by("assessed_at"))
    assert [(r.level, r.note) for r in rows] == [(2, ""), (3, ""), (4, "Led the offsite")]
    assert rows[1].assessed_at.date() == TODAY - timedelta(days=5)
    assert rows[2].assessed_at == NOW
    assert [c.assessment for c in goal.check_ins.order_by("checked_on")] == rows[1:]


def test_assessing_on_the_plan_moves_the_skill_goal(alice_client, plan, communication):
    goal = skill_goal(plan, communication)
    assert alice_client.get(goal.get_absolute_url()).context["goal"].current_value() == 2

    levels = {f"level_{s.pk}": "" for s in plan.path_skills()}
    response = alice_client.post(
        reverse("plans:assess", args=[plan.pk]), {**levels, f"level_{communication.pk}": "4"}
    )

    assert response.status_code == 302
    page = alice_client.get(goal.get_absolute_url())
    html = page.content.decode()
    assert page.context["goal"].current_value() == 4
    assert 'data-testid="goal-percent">100%<' in html  # 2 → 4 reached
    assert page.context["offer_completion"]
    assert page.context["chart"]["points"] == [{"x": TODAY.isoformat(), "y": 4.0}]  # assessed today


def test_the_latest_assessment_wins_over_a_backdated_check_in(alice_client, plan, communication):
    goal = skill_goal(plan, communication)
    assess(plan, communication, 3, days_ago=1)
    check_in(alice_client, goal, value="2", date=(TODAY - timedelta(days=3)).isoformat())

    goal = Goal.objects.get(pk=goal.pk)
    assert goal.current_value() == 3


def test_skill_goal_without_an_assessment_stands_at_its_baseline(plan, ladder):
    goal = skill_goal(plan, ladder.skills["leadership"], baseline=1, target=3)
    assert goal.current_value() == 1 and goal.progress_percent() == 0


def test_htmx_skill_check_in_reloads_the_plan_page_so_the_gap_shows_it(alice_client, plan, communication):
    goal = skill_goal(plan, communication)
    response = alice_client.post(
        reverse("goals:check_in_add", args=[goal.pk]), {"value": "3", "next": plan.get_absolute_url()}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    page = alice_client.get(plan.get_absolute_url())
    assert gap_of(page, communication).current == 3
    assert "It is your self-assessment of Communication on this plan." in page.content.decode()


# --- Every check-in within what its goal measures ----------------------------------------------


@pytest.mark.parametrize("value", ["12", "0", "2.5", "-1", "6"])
def test_a_level_check_in_off_the_scale_is_a_field_error(alice_client, plan, communication, value):
    goal = skill_goal(plan, communication)
    response = check_in(alice_client, goal, value=value)

    assert response.status_code == 200
    assert response.context["form"].errors["value"] == [
        "Levels go from 1 (Awareness) to 5 (Expert): enter a whole level, such as 3."
    ]
    assert not CheckIn.objects.exists()
    assert SkillAssessment.objects.filter(plan=plan, skill=communication).count() == 1


def test_a_level_check_in_of_12_in_place_shows_the_error_in_the_row(alice_client, plan, communication):
    goal = skill_goal(plan, communication)
    response = alice_client.post(reverse("goals:check_in_add", args=[goal.pk]), {"value": "12"}, **HTMX)
    html = response.content.decode()
    assert "Levels go from 1 (Awareness) to 5 (Expert)" in html
    assert 'data-testid="goal-percent">0%<' in html and "Target reached" not in html
    assert not CheckIn.objects.exists()


def test_the_level_input_says_its_bounds(alice_client, plan, communication):
    goal = skill_goal(plan, communication)
    html = alice_client.get(reverse("goals:check_in_add", args=[goal.pk])).content.decode()
    assert 'min="1"' in html and 'max="5"' in html and 'step="1"' in html
    assert "Saved as your self-assessment of Communication" in html


@pytest.mark.parametrize(
    "fields, value, error",
    [
        ({"unit": "%", "baseline": 20, "target": 60}, "120", "A percentage goes from 0 to 100"),
        ({"unit": "percent", "baseline": 20, "target": 60}, "-5", "A percentage goes from 0 to 100"),
        ({"unit": "courses", "baseline": 0, "target": 5}, "-1", "Courses completed can't be negative"),
    ],
)
def test_out_of_range_values_are_field_errors(alice_client, bare_plan, fields, value, error):
    goal = GoalFactory(plan=bare_plan, **fields)
    response = check_in(alice_client, goal, value=value)
    assert response.status_code == 200
    assert error in response.context["form"].errors["value"][0]
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    "fields, value",
    [
        ({"unit": "%", "baseline": 20, "target": 60}, "100"),
        ({"unit": "courses", "baseline": 0, "target": 5}, "0"),
        ({"unit": "NPS", "metric": "Net promoter score", "baseline": -20, "target": 10}, "-5"),
    ],
)
def test_values_within_range_are_recorded(alice_client, bare_plan, fields, value):
    goal = GoalFactory(plan=bare_plan, **fields)
    assert check_in(alice_client, goal, value=value).status_code == 302
    assert goal.check_ins.get().value == Decimal(value)


def test_the_database_refuses_an_assessed_check_in_off_the_scale(plan, communication):
    goal = skill_goal(plan, communication)
    assessment = assess(plan, communication, 3)
    with pytest.raises(IntegrityError):
        CheckIn.objects.create(goal=goal, value=12, assessment=assessment)


# --- A certification goal follows its certification ------------------------------------------


def test_earning_the_certification_on_the_plan_completes_the_goal_progress(alice_client, plan, cpl):
    goal = certification_goal(plan, cpl)
    record = PlanCertificationFactory(
        plan=plan, certification=cpl, status=PlanCertification.Status.IN_PROGRESS
    )
    assert alice_client.get(goal.get_absolute_url()).context["goal"].progress_percent() == 0

    response = alice_client.post(
        reverse("plans:certification_edit", args=[plan.pk, record.pk]),
        {"status": "earned", "earned_on": TODAY.isoformat(), "expires_on": "", "target_date": "", "note": ""},
    )

    assert response.status_code == 302
    page = alice_client.get(goal.get_absolute_url())
    assert 'data-testid="goal-metric"' in page.content.decode()
    assert page.context["goal"].current_value() == 1
    assert 'data-testid="goal-percent">100%<' in page.content.decode()
    assert page.context["offer_completion"]


def test_an_expired_certification_no_longer_counts(plan, cpl):
    goal = certification_goal(plan, cpl)
    PlanCertificationFactory(
        plan=plan,
        certification=cpl,
        status=PlanCertification.Status.EARNED,
        earned_on=TODAY - timedelta(days=800),
        expires_on=TODAY - timedelta(days=70),
    )
    assert goal.current_value() == 0


def test_checking_in_earned_marks_the_certification_earned(alice_client, plan, cpl):
    goal = certification_goal(plan, cpl)
    response = check_in(alice_client, goal, value="1", note="Passed the exam")

    assert response.status_code == 302
    record = PlanCertification.objects.get(plan=plan, certification=cpl)
    assert (record.status, record.earned_on) == (PlanCertification.Status.EARNED, TODAY)
    assert record.expires_on == TODAY.replace(year=TODAY.year + 2)  # CPL stays valid 24 months
    page = alice_client.get(plan.get_absolute_url())
    assert [c.get_effective_status_display() for c in page.context["certifications"]] == ["Earned"]
    assert "CPL" in page.content.decode() and "is recorded as earned on your plan" in page.content.decode()


def test_marking_earned_in_place_reloads_the_plan_page(alice_client, plan, cpl):
    goal = certification_goal(plan, cpl)
    row = alice_client.get(plan.get_absolute_url()).content.decode()
    assert "Mark CPL earned today" in row

    response = alice_client.post(reverse("goals:check_in_add", args=[goal.pk]), {"value": "1"}, **HTMX)

    assert response["HX-Refresh"] == "true"
    assert PlanCertification.objects.get(plan=plan).status == PlanCertification.Status.EARNED


def test_completing_a_certification_goal_marks_it_earned(alice_client, plan, cpl):
    goal = certification_goal(plan, cpl)
    PlanCertificationFactory(plan=plan, certification=cpl, status=PlanCertification.Status.IN_PROGRESS)

    response = alice_client.post(
        reverse("goals:status", args=[goal.pk]), {"status": "completed"}, follow=True
    )

    record = PlanCertification.objects.get(plan=plan, certification=cpl)
    assert (record.status, record.earned_on) == (PlanCertification.Status.EARNED, TODAY)
    assert not response.context["offer_certification"]  # nothing left to offer: it is earned
    assert "Certified Product Leader (CPL) is recorded as earned on your plan." in response.content.decode()


def test_completing_keeps_an_earlier_earned_date(alice_client, plan, cpl):
    goal = certification_goal(plan, cpl)
    earned_on = TODAY - timedelta(days=20)
    PlanCertificationFactory(
        plan=plan, certification=cpl, status=PlanCertification.Status.EARNED, earned_on=earned_on
    )
    alice_client.post(reverse("goals:status", args=[goal.pk]), {"status": "completed"})
    assert PlanCertification.objects.get(plan=plan).earned_on == earned_on


def test_a_goal_that_only_serves_a_certification_still_offers_to_mark_it(alice_client, plan, cpl):
    goal = GoalFactory(
        plan=plan, certification=cpl, metric="Study hours", unit="hours", baseline=0, target=40
    )
    response = alice_client.post(
        reverse("goals:status", args=[goal.pk]), {"status": "completed"}, follow=True
    )

    assert not PlanCertification.objects.exists()
    assert response.context["offer_certification"]


@pytest.mark.parametrize("value", ["0.5", "2", "earned"])
def test_a_certification_takes_no_free_number(alice_client, plan, cpl, value):
    goal = certification_goal(plan, cpl)
    response = check_in(alice_client, goal, value=value)
    assert response.context["form"].errors["value"] == [
        "Choose “Earned” or “Not yet”: a certification is earned or it is not."
    ]
    assert not CheckIn.objects.exists() and not PlanCertification.objects.exists()


def test_not_yet_is_refused_while_the_plan_holds_the_certification(alice_client, plan, cpl):
    goal = certification_goal(plan, cpl)
    PlanCertificationFactory(
        plan=plan, certification=cpl, status=PlanCertification.Status.EARNED, earned_on=TODAY
    )

    response = check_in(alice_client, goal, value="0")

    assert (
        "Your plan records Certified Product Leader (CPL) as earned"
        in response.context["form"].errors["value"][0]
    )
    assert not CheckIn.objects.exists()


def test_not_yet_is_recorded_without_touching_the_plan(alice_client, plan, cpl):
    goal = certification_goal(plan, cpl)
    assert check_in(alice_client, goal, value="0", note="Exam booked").status_code == 302
    assert goal.check_ins.get().value == 0
    assert not PlanCertification.objects.exists()


# --- The plan page reads these facts without a query per goal -----------------------------------


def build_fact_goals(plan, ladder, cpl, count: int) -> None:
    skills = list(ladder.skills.values())
    for i in range(count):
        goal = certification_goal(plan, cpl) if i % 2 else skill_goal(plan, skills[i % len(skills)])
        CheckInFactory(goal=goal, value=1, checked_on=TODAY)


def test_plan_page_reads_assessments_and_certifications_once_for_any_number_of_goals(
    alice_client, plan, ladder, cpl, communication, django_assert_max_num_queries
):
    PlanCertificationFactory(
        plan=plan, certification=cpl, status=PlanCertification.Status.EARNED, earned_on=TODAY
    )
    build_fact_goals(plan, ladder, cpl, 4)
    with CaptureQueriesContext(connection) as small:
        response = alice_client.get(plan.get_absolute_url())
    assert response.status_code == 200
    # The plan page's own set (assessments and certifications among them, prefetched once, which
    # the goals read too) and the goals section's goals, check-ins and milestones: none per goal.
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in small.captured_queries if " FROM " in q["sql"]]
    assert tables.count('"plans_skillassessment"') == 1
    assert tables.count('"plans_plancertification"') == 1
    build_fact_goals(plan, ladder, cpl, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = alice_client.get(plan.get_absolute_url())
    assert response.status_code == 200


def test_dashboard_reads_them_once_for_any_number_of_goals(
    alice_client, plan, ladder, cpl, communication, django_assert_max_num_queries
):
    build_fact_goals(plan, ladder, cpl, 4)
    with CaptureQueriesContext(connection) as small:
        alice_client.get(reverse("home"))
    build_fact_goals(plan, ladder, cpl, 40)
    # Each card loads its goals' plans' assessments and certifications in one query each.
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = alice_client.get(reverse("home"))
    assert response.status_code == 200
