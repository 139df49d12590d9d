"""Creating and editing a goal: every SMART rule as a field error, choices, and the SMART advice."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from goals.forms import GoalForm
from goals.models import Goal
from goals.smart import LATER_ADVICE, smart_advice, title_is_measurable
from tests.conftest import TODAY
from tests.factories import CertificationFactory, RoleFactory, SkillFactory
from tests.goals.factories import GoalFactory, MilestoneFactory

# Dates here are relative to TODAY; the clock stands still at NOW so they stay right at midnight.
pytestmark = pytest.mark.usefixtures("frozen_time")


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


def goal_data(**overrides) -> dict:
    data = {
        "title": "Run 4 customer interviews a month",
        "description": "Talk to customers every week.",
        "metric": "Customer interviews a month",
        "unit": "interviews",
        "baseline": "0",
        "target": "4",
        "plan_of_attack": "Ask sales for two intros a week.",
        "effort": "2 hours a week",
        "skill": "",
        "certification": "",
        "role": "",
        "relevance": "Discovery is my weakest area.",
        "start_date": days(0),
        "deadline": days(90),
        "reminder_cadence": "weekly",
        "template": "",
    }
    data.update(overrides)
    return data


def post_create(client, plan, data):
    return client.post(reverse("goals:create", args=[plan.pk]), data)


INVALID = [
    pytest.param(
        {"start_date": days(10), "deadline": days(5)},
        "deadline",
        "after the start date",
        id="deadline-before-start",
    ),
    pytest.param(
        {"start_date": days(7), "deadline": days(7)},
        "deadline",
        "after the start date",
        id="deadline-equals-start",
    ),
    pytest.param(
        {"start_date": days(-30), "deadline": days(-1)}, "deadline", "already passed", id="deadline-in-past"
    ),
    pytest.param(
        {"baseline": "3", "target": "3.00"}, "target", "same as the baseline", id="target-equals-baseline"
    ),
    pytest.param({"metric": ""}, "metric", "what you will measure", id="missing-metric"),
    pytest.param({"unit": "  "}, "unit", "unit you measure in", id="missing-unit"),
    pytest.param({"target": ""}, "target", "where do you want to be", id="missing-target"),
    pytest.param({"baseline": "lots"}, "baseline", "enter a number", id="baseline-not-a-number"),
    pytest.param({"deadline": ""}, "deadline", "needs a deadline", id="missing-deadline"),
    pytest.param({"title": ""}, "title", "give the goal a title", id="missing-title"),
    pytest.param({"relevance": ""}, "relevance", "skill, certification or role", id="nothing-relevant"),
    pytest.param({"relevance": "   "}, "relevance", "say why it matters", id="blank-reason"),
]


@pytest.mark.parametrize("overrides, field, phrase", INVALID)
def test_invalid_goal_is_rejected_with_a_field_error(alice_client, plan, overrides, field, phrase):
    response = post_create(alice_client, plan, goal_data(**overrides))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert phrase in " ".join(errors[field]).lower()
    assert Goal.objects.count() == 0


def _relevant(ladder, name):
    return {
        "skill": {"skill": str(ladder.skills["market"].pk), "relevance": ""},
        "role": {"role": str(ladder.roles["senior"].pk), "relevance": ""},
    }[name]


VALID = [
    pytest.param({}, id="everything-filled"),
    pytest.param(
        {"baseline": "5", "target": "2", "unit": "%", "metric": "Monthly churn"}, id="falling-metric"
    ),
    pytest.param({"start_date": days(-10), "deadline": days(0)}, id="deadline-today-started-earlier"),
    pytest.param({"start_date": days(-60)}, id="started-in-the-past"),
    pytest.param({"deadline": days(3 * 365)}, id="long-term"),
    pytest.param(
        {"plan_of_attack": "", "attack_later": "on", "effort": "", "description": ""},
        id="only-what-is-required",
    ),
    pytest.param({"reminder_cadence": "never"}, id="no-reminders"),
    pytest.param("skill", id="a-skill-instead-of-a-reason"),
    pytest.param("role", id="a-role-instead-of-a-reason"),
]


@pytest.mark.parametrize("overrides", VALID)
def test_valid_goal_is_saved(alice_client, plan, ladder, overrides):
    if isinstance(overrides, str):
        overrides = _relevant(ladder, overrides)
    response = post_create(alice_client, plan, goal_data(**overrides))

    assert response.status_code == 302, response.context["form"].errors
    goal = Goal.objects.get()
    assert goal.plan == plan
    assert response["Location"] == goal.get_absolute_url()


def test_certification_alone_makes_a_goal_relevant(alice_client, plan):
    cert = CertificationFactory()
    response = post_create(alice_client, plan, goal_data(certification=str(cert.pk), relevance=""))

    assert response.status_code == 302
    assert Goal.objects.get().certification == cert


def test_falling_metric_keeps_its_direction(alice_client, plan):
    post_create(alice_client, plan, goal_data(baseline="5", target="2", metric="Churn", unit="%"))

    goal = Goal.objects.get()
    assert (goal.baseline, goal.target) == (Decimal(5), Decimal(2))
    assert goal.progress(Decimal("3.5")) == pytest.approx(0.5)


def test_skill_choices_are_those_the_plans_roles_require(plan, ladder):
    elsewhere = SkillFactory(name="Underwater welding")
    form = GoalForm(plan=plan)

    skills = set(form.fields["skill"].queryset)
    assert set(ladder.skills.values()) <= skills
    assert elsewhere not in skills


def test_role_choices_are_the_plans_track(plan, ladder):
    other_track_role = RoleFactory(title="Chef")
    roles = set(GoalForm(plan=plan).fields["role"].queryset)

    assert set(ladder.roles.values()) == roles
    assert other_track_role not in roles


def test_skill_outside_the_plan_is_refused(alice_client, plan):
    elsewhere = SkillFactory(name="Underwater welding")
    response = post_create(alice_client, plan, goal_data(skill=str(elsewhere.pk)))

    assert "skill" in response.context["form"].errors
    assert Goal.objects.count() == 0


def test_all_certifications_are_offered(plan):
    certs = {CertificationFactory(), CertificationFactory()}
    assert certs <= set(GoalForm(plan=plan).fields["certification"].queryset)


def test_form_shows_the_five_smart_parts_with_hints(alice_client, plan):
    response = alice_client.get(reverse("goals:create", args=[plan.pk]))

    html = response.content.decode()
    for legend in ("Specific", "Measurable", "Achievable", "Relevant", "Time-bound"):
        assert f">{legend}</legend>" in html
    assert "reduce churn to 2 %" in html
    assert [legend for legend, _, _ in response.context["form"].fieldsets()][:5] == [
        "Specific",
        "Measurable",
        "Achievable",
        "Relevant",
        "Time-bound",
    ]


# --- Editing ------------------------------------------------------------------------------


def edit_data(goal: Goal, **overrides) -> dict:
    data = goal_data(
        title=goal.title,
        metric=goal.metric,
        unit=goal.unit,
        baseline=str(goal.baseline),
        target=str(goal.target),
        start_date=goal.start_date.isoformat(),
        deadline=goal.deadline.isoformat(),
        reminder_cadence=goal.reminder_cadence,
    )
    data.update(overrides)
    return data


def test_edit_keeps_a_past_deadline_that_was_not_changed(alice_client, plan):
    goal = GoalFactory(plan=plan, start_date=TODAY - timedelta(days=200), deadline=TODAY - timedelta(days=10))
    response = alice_client.post(
        reverse("goals:edit", args=[goal.pk]), edit_data(goal, title="Renamed: 3 courses")
    )

    assert response.status_code == 302, response.context["form"].errors
    goal.refresh_from_db()
    assert goal.title == "Renamed: 3 courses"


def test_edit_refuses_moving_the_deadline_into_the_past(alice_client, plan):
    goal = GoalFactory(plan=plan, start_date=TODAY - timedelta(days=200), deadline=TODAY - timedelta(days=10))
    response = alice_client.post(reverse("goals:edit", args=[goal.pk]), edit_data(goal, deadline=days(-5)))

    assert "already passed" in " ".join(response.context["form"].errors["deadline"])
    goal.refresh_from_db()
    assert goal.deadline == TODAY - timedelta(days=10)


def test_edit_still_checks_target_against_baseline(alice_client, plan):
    goal = GoalFactory(plan=plan)
    response = alice_client.post(
        reverse("goals:edit", args=[goal.pk]), edit_data(goal, target=str(goal.baseline))
    )

    assert "target" in response.context["form"].errors
    goal.refresh_from_db()
    assert goal.target == Decimal(3)


# --- SMART advice ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, unit, measurable",
    [
        ("Complete 3 product courses", "courses", True),
        ("Reduce churn to 2 %", "%", True),
        ("Earn the CPM", "certification", True),
        ("Get better at strategy", "level", False),
        ("Get better at interviews", "interviews", True),  # names its own unit
        ("Be a great PM", "", False),
    ],
)
def test_title_is_measurable(title, unit, measurable):
    assert title_is_measurable(title, unit) is measurable


def test_advice_for_a_vague_title(plan):
    goal = GoalFactory(plan=plan, title="Get better at strategy", unit="level")

    assert any("This title has no measurable outcome" in line for line in smart_advice(goal))


def test_no_advice_for_a_smart_goal(plan):
    goal = GoalFactory(plan=plan, title="Complete 3 product courses")

    assert smart_advice(goal) == []


def test_advice_for_a_long_horizon_without_an_early_milestone(plan):
    goal = GoalFactory(plan=plan, deadline=TODAY + timedelta(days=3 * 365 + 1))
    MilestoneFactory(goal=goal, due_date=TODAY + timedelta(days=300))  # too late to count

    assert "A deadline three years out: add a milestone in the first six months." in smart_advice(goal)


def test_early_milestone_satisfies_the_long_horizon_advice(plan):
    goal = GoalFactory(plan=plan, deadline=TODAY + timedelta(days=3 * 365 + 1))
    MilestoneFactory(goal=goal, due_date=TODAY + timedelta(days=120))

    assert not any("milestone" in line for line in smart_advice(goal))


def test_eighteen_months_out_is_said_in_months(plan):
    goal = GoalFactory(plan=plan, deadline=TODAY + timedelta(days=550))

    assert any(line.startswith("A deadline 18 months out") for line in smart_advice(goal))


def test_advice_for_no_plan_of_attack(plan):
    goal = GoalFactory(plan=plan, plan_of_attack=" ")

    assert LATER_ADVICE in smart_advice(goal)


def test_advice_is_said_once_on_the_goal_page_after_saving(alice_client, plan):
    """The goal page the form returns to lists the advice: no message repeats it (issue 23)."""
    data = goal_data(title="Get better at strategy", unit="level", plan_of_attack="", attack_later="on")
    response = post_create(alice_client, plan, data)
    goal = Goal.objects.get()
    page = alice_client.get(response["Location"])

    assert [m.message for m in page.context["messages"]] == ["Goal added: “Get better at strategy”."]
    advice = list(page.context["advice"])
    assert any("no measurable outcome" in line for line in advice)
    html = page.content.decode()
    for line in advice:
        assert html.count(escape(line)) == 1, line
    assert page.context["goal"] == goal
