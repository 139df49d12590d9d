"""The goal pages: who may see and change what, starting points, status and reminders, certifications."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from goals.models import Goal
from plans.models import PlanCertification, SkillAssessment
from skills.models import add_months
from tests.conftest import TODAY
from tests.factories import CertificationFactory, GoalTemplateFactory, SkillFactory, TrackFactory
from tests.goals.factories import CheckInFactory, GoalFactory
from tests.goals.test_goal_form import goal_data
from tests.plans.factories import PlanCertificationFactory

# Dates here are relative to TODAY; the clock stands still at NOW so they stay right at midnight.
pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def goal(plan):
    return GoalFactory(plan=plan, certification=CertificationFactory(abbreviation="CPM"))


def create_url(plan) -> str:
    return reverse("goals:create", args=[plan.pk])


# The owner's reminder slot (Monday 09:00 UTC by default) that is last within a cadence of
# this many days from NOW, Monday 15 June 2026 at noon.
SLOT_WITHIN_DAYS = {
    7: datetime(2026, 6, 22, 9, 0, tzinfo=UTC),
    14: datetime(2026, 6, 29, 9, 0, tzinfo=UTC),
    30: datetime(2026, 7, 13, 9, 0, tzinfo=UTC),
}


# --- Ownership matrix on every URL ------------------------------------------------------------

# (url name, HTTP method, args from plan or goal, owner's status)
URLS = [
    ("goals:create", "get", "plan", 200),
    ("goals:draft", "get", "plan", 200),
    ("goals:detail", "get", "goal", 200),
    ("goals:edit", "get", "goal", 200),
    ("goals:status", "post", "goal", 302),
    ("goals:certification_earned", "post", "goal", 302),
]
MENTOR_READS = {"goals:detail"}


def request_url(client, name, method, on, goal):
    url = reverse(name, args=[goal.plan.pk if on == "plan" else goal.pk])
    return url, getattr(client, method)(url, {"status": "paused"} if method == "post" else None)


@pytest.mark.parametrize("name, method, on, expected", URLS)
def test_owner_may_use_every_goal_url(client, alice, goal, name, method, on, expected):
    client.force_login(alice)
    _, response = request_url(client, name, method, on, goal)
    assert response.status_code == expected


@pytest.mark.parametrize("name, method, on, expected", URLS)
def test_mentor_reads_the_goal_but_changes_nothing(
    client, mentor_share, mentor, goal, name, method, on, expected
):
    client.force_login(mentor)
    _, response = request_url(client, name, method, on, goal)
    assert response.status_code == (200 if name in MENTOR_READS else 403)
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACTIVE
    assert not PlanCertification.objects.exists()


@pytest.mark.parametrize("name, method, on, expected", URLS)
def test_other_user_gets_404(client, bob, goal, name, method, on, expected):
    client.force_login(bob)
    _, response = request_url(client, name, method, on, goal)
    assert response.status_code == 404


@pytest.mark.parametrize("name, method, on, expected", URLS)
def test_anonymous_is_sent_to_sign_in(client, goal, name, method, on, expected):
    url, response = request_url(client, name, method, on, goal)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_mentor_sees_no_actions_on_the_goal_page(client, mentor_share, mentor, goal):
    client.force_login(mentor)
    response = client.get(goal.get_absolute_url())

    assert b'data-testid="goal-actions"' not in response.content
    assert reverse("goals:edit", args=[goal.pk]).encode() not in response.content
    assert response.context["advice"] == []


def test_mentor_cannot_post_a_goal(client, mentor_share, mentor, plan):
    client.force_login(mentor)
    response = client.post(create_url(plan), goal_data())

    assert response.status_code == 403
    assert not Goal.objects.exists()


# --- The goal page ---------------------------------------------------------------------------


def test_goal_page_shows_the_smart_summary_and_links_back_to_the_plan(alice_client, plan):
    goal = GoalFactory(
        plan=plan,
        title="Complete 3 courses",
        metric="Courses completed",
        skill=plan.target_role.requirements.first().skill,
    )
    response = alice_client.get(goal.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    for part in ("Specific", "Measurable", "Achievable", "Relevant", "Time-bound"):
        assert part in html
    assert "Courses completed: from 0 to <strong>3 courses</strong>" in html
    assert f'href="{plan.get_absolute_url()}#goals"' in html
    assert reverse("goals:edit", args=[goal.pk]) in html


def test_goal_page_offers_completion_when_the_target_is_reached(alice_client, plan):
    goal = GoalFactory(plan=plan, baseline=0, target=3)
    assert not alice_client.get(goal.get_absolute_url()).context["offer_completion"]

    CheckInFactory(goal=goal, value=3)
    response = alice_client.get(goal.get_absolute_url())

    assert response.context["offer_completion"]
    assert b"Mark as completed" in response.content


def test_falling_metric_reached_offers_completion(alice_client, plan):
    goal = GoalFactory(plan=plan, baseline=5, target=2, metric="Churn", unit="%")
    CheckInFactory(goal=goal, value=1.5)

    assert alice_client.get(goal.get_absolute_url()).context["offer_completion"]


def test_completed_goal_is_not_offered_completion_again(alice_client, plan):
    goal = GoalFactory(plan=plan, status=Goal.Status.COMPLETED)
    CheckInFactory(goal=goal, value=3)

    assert not alice_client.get(goal.get_absolute_url()).context["offer_completion"]


# --- Starting points -------------------------------------------------------------------------


def test_template_prefills_the_form(alice_client, plan, ladder):
    template = GoalTemplateFactory(
        track=ladder.track,
        title="Run 10 customer interviews",
        description="Learn discovery.",
        metric="Interviews",
        unit="interviews",
        baseline=2,
        target=10,
        duration_months=9,
        skill=ladder.skills["market"],
        role=ladder.roles["senior"],
        certification=CertificationFactory(),
    )
    response = alice_client.get(create_url(plan), {"template": template.pk})

    initial = response.context["form"].initial
    assert initial["title"] == "Run 10 customer interviews"
    assert initial["description"] == "Learn discovery."
    assert (initial["metric"], initial["unit"]) == ("Interviews", "interviews")
    assert (initial["baseline"], initial["target"]) == (2, 10)
    assert initial["deadline"] == add_months(TODAY, 9)
    assert initial["skill"] == ladder.skills["market"].pk
    assert initial["role"] == ladder.roles["senior"].pk
    assert initial["certification"] == template.certification_id
    assert "Started from the example" in response.content.decode()


def test_goal_started_from_a_template_remembers_it(alice_client, plan, ladder):
    # The template's skill is outside the plan's roles; starting from it must still be accepted.
    template = GoalTemplateFactory(track=None, skill=SkillFactory(name="Public speaking"))
    response = alice_client.post(
        create_url(plan), goal_data(template=str(template.pk), skill=str(template.skill_id), relevance="")
    )

    assert response.status_code == 302, response.context["form"].errors
    goal = Goal.objects.get()
    assert (goal.template, goal.skill) == (template, template.skill)


def test_create_page_lists_examples_for_the_plans_track(alice_client, plan, ladder):
    ours = GoalTemplateFactory(track=ladder.track, title="Ship a feature end to end")
    anyone = GoalTemplateFactory(track=None, title="Read 6 product books")
    theirs = GoalTemplateFactory(track=TrackFactory(name="Nursing"), title="Learn triage")
    response = alice_client.get(create_url(plan))

    html = response.content.decode()
    assert {t for group in response.context["template_groups"] for t in group.templates} == {ours, anyone}
    assert f'href="?template={ours.pk}"' in html
    assert "Start from an example" in html
    assert theirs.title not in html


def test_skill_gap_prefills_the_form(alice_client, plan, ladder):
    market = ladder.skills["market"]  # Senior PM requires 4
    SkillAssessment.objects.create(plan=plan, skill=market, level=2)
    response = alice_client.get(create_url(plan), {"skill": market.pk})

    initial = response.context["form"].initial
    deadline = initial["deadline"]
    assert initial["title"] == "Reach level 4 in Market analysis"  # no date: the deadline field says it
    assert (initial["metric"], initial["unit"]) == ("Self-assessed level", "level")
    assert (initial["baseline"], initial["target"]) == (2, 4)
    assert initial["skill"] == market.pk
    assert deadline > TODAY


def test_unassessed_skill_starts_at_level_one(alice_client, plan, ladder):
    response = alice_client.get(create_url(plan), {"skill": ladder.skills["leadership"].pk})

    initial = response.context["form"].initial
    assert (initial["baseline"], initial["target"]) == (1, 3)
    assert initial["title"] == "Reach level 3 in Leadership"


def test_skill_the_target_role_does_not_need_is_not_prefilled(alice_client, plan):
    response = alice_client.get(create_url(plan), {"skill": SkillFactory(name="Juggling").pk})

    assert "title" not in response.context["form"].initial
    assert any("doesn't require Juggling" in m.message for m in response.context["messages"])


def test_certification_prefills_the_form_with_the_plans_target_date(alice_client, plan):
    cert = CertificationFactory(name="Certified Product Manager", abbreviation="CPM")
    PlanCertificationFactory(plan=plan, certification=cert, target_date=TODAY + timedelta(days=100))
    response = alice_client.get(create_url(plan), {"certification": cert.pk})

    initial = response.context["form"].initial
    assert initial["title"] == "Earn the CPM"
    assert (initial["metric"], initial["unit"]) == ("Certification earned", "certification")
    assert (initial["baseline"], initial["target"]) == (0, 1)
    assert initial["certification"] == cert.pk
    assert initial["deadline"] == TODAY + timedelta(days=100)


def test_certification_without_abbreviation_or_plan_date(alice_client, plan):
    cert = CertificationFactory(name="Product Leadership Certificate", abbreviation="")
    response = alice_client.get(create_url(plan), {"certification": cert.pk})

    initial = response.context["form"].initial
    assert initial["title"] == "Earn the Product Leadership Certificate"
    assert initial["deadline"] == add_months(TODAY, 6)


def test_prefilled_certification_goal_saves(alice_client, plan):
    cert = CertificationFactory(abbreviation="CPM")
    initial = alice_client.get(create_url(plan), {"certification": cert.pk}).context["form"].initial
    data = goal_data(
        **{k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in initial.items()}
    )
    response = alice_client.post(create_url(plan), {**data, "relevance": ""})

    assert response.status_code == 302, response.context["form"].errors
    assert Goal.objects.get().certification == cert


# --- Reminders follow the goal's life -----------------------------------------------------


def test_weekly_goal_is_reminded_in_a_week(alice_client, plan):
    alice_client.post(create_url(plan), goal_data(reminder_cadence="weekly"))

    assert Goal.objects.get().next_reminder_at == SLOT_WITHIN_DAYS[7]


def test_goal_without_reminders_has_no_reminder_time(alice_client, plan):
    alice_client.post(create_url(plan), goal_data(reminder_cadence="never"))

    assert Goal.objects.get().next_reminder_at is None


@pytest.mark.parametrize("status", ["paused", "completed", "abandoned"])
def test_stopping_a_goal_clears_its_reminder_and_resuming_restores_it(alice_client, plan, status):
    alice_client.post(create_url(plan), goal_data(reminder_cadence="fortnightly"))
    goal = Goal.objects.get()
    status_url = reverse("goals:status", args=[goal.pk])

    response = alice_client.post(status_url, {"status": status})
    goal.refresh_from_db()
    assert response["Location"] == goal.get_absolute_url()
    assert goal.status == status
    assert goal.next_reminder_at is None
    assert (goal.completed_at is not None) is (status == "completed")

    alice_client.post(status_url, {"status": "active"})
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACTIVE
    assert goal.completed_at is None
    assert goal.next_reminder_at == SLOT_WITHIN_DAYS[14]


def test_unknown_status_changes_nothing(alice_client, goal):
    response = alice_client.post(reverse("goals:status", args=[goal.pk]), {"status": "won"})

    goal.refresh_from_db()
    assert response.status_code == 302
    assert goal.status == Goal.Status.ACTIVE


def test_status_needs_a_post(alice_client, goal):
    assert alice_client.get(reverse("goals:status", args=[goal.pk])).status_code == 405


@pytest.mark.parametrize("cadence, days", [("monthly", 30), ("never", None)])
def test_changing_the_cadence_reschedules_the_reminder(alice_client, plan, cadence, days):
    alice_client.post(create_url(plan), goal_data(reminder_cadence="weekly"))
    goal = Goal.objects.get()
    data = goal_data(
        start_date=goal.start_date.isoformat(), deadline=goal.deadline.isoformat(), reminder_cadence=cadence
    )
    alice_client.post(reverse("goals:edit", args=[goal.pk]), data)

    goal.refresh_from_db()
    assert goal.reminder_cadence == cadence
    if days is None:
        assert goal.next_reminder_at is None
    else:
        assert goal.next_reminder_at == SLOT_WITHIN_DAYS[days]


def test_editing_without_changing_the_cadence_keeps_the_reminder_time(alice_client, plan):
    alice_client.post(create_url(plan), goal_data())
    goal = Goal.objects.get()
    before = goal.next_reminder_at
    data = goal_data(
        title="Run 5 interviews", start_date=goal.start_date.isoformat(), deadline=goal.deadline.isoformat()
    )
    alice_client.post(reverse("goals:edit", args=[goal.pk]), data)

    goal.refresh_from_db()
    assert (goal.title, goal.next_reminder_at) == ("Run 5 interviews", before)


# --- Completing a certification goal -------------------------------------------------------


def test_completing_a_certification_goal_offers_to_mark_it_earned(alice_client, goal):
    response = alice_client.post(
        reverse("goals:status", args=[goal.pk]), {"status": "completed"}, follow=True
    )

    assert response.context["offer_certification"]
    assert reverse("goals:certification_earned", args=[goal.pk]).encode() in response.content
    assert b"Mark CPM earned today" in response.content


def test_marking_earned_adds_the_certification_to_the_plan(alice_client, goal):
    goal_set_completed(goal)
    response = alice_client.post(reverse("goals:certification_earned", args=[goal.pk]))

    record = PlanCertification.objects.get(plan=goal.plan, certification=goal.certification)
    assert response["Location"] == goal.plan.get_absolute_url() + "#certifications"
    assert (record.status, record.earned_on) == (PlanCertification.Status.EARNED, TODAY)
    assert record.expires_on == add_months(TODAY, goal.certification.validity_months)
    assert not alice_client.get(goal.get_absolute_url()).context["offer_certification"]


def test_marking_earned_updates_a_planned_certification(alice_client, goal):
    planned = PlanCertificationFactory(plan=goal.plan, certification=goal.certification, target_date=TODAY)
    goal_set_completed(goal)
    alice_client.post(reverse("goals:certification_earned", args=[goal.pk]))

    planned.refresh_from_db()
    assert (planned.status, planned.earned_on) == (PlanCertification.Status.EARNED, TODAY)
    assert PlanCertification.objects.count() == 1


def test_goal_without_certification_has_nothing_to_earn(alice_client, plan):
    goal = GoalFactory(plan=plan, status=Goal.Status.COMPLETED)

    assert not alice_client.get(goal.get_absolute_url()).context["offer_certification"]
    assert alice_client.post(reverse("goals:certification_earned", args=[goal.pk])).status_code == 404


def goal_set_completed(goal: Goal) -> None:
    from goals.services import goal_set_status

    goal_set_status(goal=goal, status=Goal.Status.COMPLETED)
