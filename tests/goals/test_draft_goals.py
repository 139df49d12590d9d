"""Draft goals from my gap: one per open assessed gap and per recommended certification not earned."""

from datetime import timedelta

import pytest
from django.urls import reverse

from goals.drafting import draft_goals_from_gap, spread_deadlines
from goals.models import Goal
from plans.models import SkillAssessment, add_months
from tests.conftest import TODAY
from tests.factories import CertificationFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import PlanCertificationFactory

# Dates here are relative to TODAY; the clock stands still at NOW so they stay right at midnight.
pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def gap(plan, ladder):
    """Senior PM needs strategy 3, market 4, communication 4, leadership 3.

    Alice: strategy 3 (met), market 2 (two short), communication 3 (one short), leadership unassessed.
    Certifications for Senior PM: CPM (not on the plan), CPO (planned), CPL (earned); ACP is for nobody.
    """
    for slug, level in [("strategy", 3), ("market", 2), ("communication", 3)]:
        SkillAssessment.objects.create(plan=plan, skill=ladder.skills[slug], level=level)
    senior = ladder.roles["senior"]
    certs = {}
    for abbreviation, name in [("CPM", "Certified Product Manager"), ("CPO", "Certified Product Owner"),
                               ("CPL", "Certified Product Leader"), ("ACP", "Agile Certified Practitioner")]:  # fmt: skip
        certs[abbreviation] = CertificationFactory(name=name, abbreviation=abbreviation)
        if abbreviation != "ACP":
            certs[abbreviation].roles.add(senior)
    PlanCertificationFactory(plan=plan, certification=certs["CPO"], target_date=TODAY + timedelta(days=60))
    PlanCertificationFactory(plan=plan, certification=certs["CPL"], earned=True)
    return certs


def draft_url(plan) -> str:
    return reverse("goals:draft", args=[plan.pk])


def test_one_draft_per_open_gap_and_missing_certification(plan, gap):
    proposal = draft_goals_from_gap(plan, TODAY)

    titles = [d.title for d in proposal.drafts]
    assert len(titles) == 4
    assert titles[0].startswith("Reach level 4 in Communication by ")  # smallest gap first
    assert titles[1].startswith("Reach level 4 in Market analysis by ")
    assert titles[2:] == ["Earn the CPM", "Earn the CPO"]
    assert [(d.baseline, d.target) for d in proposal.drafts] == [(3, 4), (2, 4), (0, 1), (0, 1)]
    assert [d.unit for d in proposal.drafts] == ["level", "level", "certification", "certification"]


def test_met_and_unassessed_skills_are_not_drafted(plan, gap, ladder):
    proposal = draft_goals_from_gap(plan, TODAY)

    drafted = {d.skill for d in proposal.drafts if d.skill}
    assert ladder.skills["strategy"] not in drafted  # met
    assert ladder.skills["leadership"] not in drafted  # unassessed
    assert proposal.unassessed == [ladder.skills["leadership"]]


def test_deadlines_spread_evenly_over_twelve_months_without_a_plan_date(plan, gap):
    deadlines = [d.deadline for d in draft_goals_from_gap(plan, TODAY).drafts]

    assert deadlines[-1] == add_months(TODAY, 12)
    steps = [(b - a).days for a, b in zip([TODAY, *deadlines[:-1]], deadlines, strict=True)]
    assert min(steps) > 0
    assert max(steps) - min(steps) <= 1


def test_a_skill_drafts_title_names_its_own_deadline(plan, gap):
    draft = draft_goals_from_gap(plan, TODAY).drafts[0]

    assert draft.title.endswith(f" by {draft.deadline.day} {draft.deadline:%b %Y}")


def test_deadlines_end_on_the_plans_target_date(plan, gap):
    plan.target_date = TODAY + timedelta(days=400)
    plan.save()
    deadlines = [d.deadline for d in draft_goals_from_gap(plan, TODAY).drafts]

    assert deadlines == [TODAY + timedelta(days=n) for n in (100, 200, 300, 400)]


def test_spread_deadlines_never_fall_on_today():
    assert spread_deadlines(3, TODAY, TODAY + timedelta(days=1)) == [
        TODAY + timedelta(days=n) for n in (1, 2, 3)
    ]


def test_page_lists_drafts_all_ticked_and_points_to_the_assessment(alice_client, plan, gap):
    response = alice_client.get(draft_url(plan))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('name="drafts"') == 4
    assert html.count("checked") == 4
    assert "Earn the CPM" in html
    assert "3 → 4 level" in html
    assert "Leadership" in html
    assert reverse("plans:assess", args=[plan.pk]) in html


def test_post_creates_only_the_ticked_goals(alice_client, plan, gap, ladder):
    skill_key = f"skill-{ladder.skills['market'].pk}"
    cert_key = f"certification-{gap['CPM'].pk}"
    response = alice_client.post(draft_url(plan), {"drafts": [skill_key, cert_key]}, follow=True)

    goals = list(Goal.objects.order_by("deadline"))
    assert response.redirect_chain[-1][0] == plan.get_absolute_url() + "#goals"
    assert "2 goals added." in [m.message for m in response.context["messages"]]
    assert [g.title.split(" by ")[0] for g in goals] == ["Reach level 4 in Market analysis", "Earn the CPM"]
    assert goals[0].skill == ladder.skills["market"]
    assert goals[1].certification == gap["CPM"]
    assert all(g.plan == plan and g.start_date == TODAY and g.next_reminder_at for g in goals)


def test_nothing_ticked_is_a_form_error_and_creates_nothing(alice_client, plan, gap):
    response = alice_client.post(draft_url(plan), {})

    assert response.status_code == 200
    assert "Tick at least one goal" in " ".join(response.context["form"].errors["drafts"])
    assert not Goal.objects.exists()


def test_unknown_draft_creates_nothing(alice_client, plan, gap):
    response = alice_client.post(
        draft_url(plan), {"drafts": ["skill-999999", f"certification-{gap['CPM'].pk}"]}
    )

    assert "drafts" in response.context["form"].errors
    assert not Goal.objects.exists()


def test_gaps_with_an_active_goal_are_not_drafted_again(alice_client, plan, gap, ladder):
    GoalFactory(plan=plan, skill=ladder.skills["market"])
    GoalFactory(plan=plan, certification=gap["CPM"], status=Goal.Status.ABANDONED)  # abandoned: draft again

    proposal = draft_goals_from_gap(plan, TODAY)

    assert [d.key for d in proposal.drafts] == [
        f"skill-{ladder.skills['communication'].pk}", f"certification-{gap['CPM'].pk}",
        f"certification-{gap['CPO'].pk}",
    ]  # fmt: skip
    assert proposal.covered == ["Market analysis"]


def test_an_expired_certification_is_drafted_again(plan, gap):
    cpl = plan.certifications.get(certification=gap["CPL"])
    cpl.earned_on = TODAY - timedelta(days=800)
    cpl.expires_on = TODAY - timedelta(days=70)
    cpl.save()

    assert "Earn the CPL" in [d.title for d in draft_goals_from_gap(plan, TODAY).drafts]


def test_nothing_to_draft_says_so(alice_client, plan):
    response = alice_client.get(draft_url(plan))

    assert b'data-testid="no-drafts"' in response.content
    assert b'name="drafts"' not in response.content
