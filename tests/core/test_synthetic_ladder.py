"""CareerPath works for a ladder nobody shipped: a made-up nursing ladder, imported on an empty
database as an admin would, carries a newcomer through the main flows, every page in its words."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from goals.models import CheckIn, Goal
from plans.models import CareerPlan, SkillAssessment
from skills.ladder import import_ladder
from skills.models import Role, Skill, Track
from tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen_time")

NURSING = {
    "format": "careerpath-ladder",
    "version": 1,
    "skills": [
        {"name": "Clinical assessment", "slug": "clinical-assessment", "category": "hard"},
        {"name": "Medication safety", "slug": "medication-safety", "category": "hard"},
        {"name": "Shift coordination", "slug": "shift-coordination", "category": "soft"},
    ],
    "industries": [{"name": "Hospitals", "slug": "hospitals"}],
    "certifications": [
        {
            "name": "Advanced Cardiac Life Support",
            "slug": "advanced-cardiac-life-support",
            "abbreviation": "ACLS",
            "validity_months": 24,
            "recommended_for": ["charge-nurse"],
        }
    ],
    "tracks": [
        {
            "name": "Nursing",
            "slug": "nursing",
            "description": "From the bedside to running a ward.",
            "roles": [
                {
                    "title": "Staff Nurse",
                    "slug": "staff-nurse",
                    "level": 1,
                    "summary": "Cares for a group of patients on a ward.",
                    "entry_point": True,
                    "industries": ["hospitals"],
                    "requirements": [
                        {"skill": "clinical-assessment", "level": 2},
                        {"skill": "medication-safety", "level": 2},
                    ],
                },
                {
                    "title": "Charge Nurse",
                    "slug": "charge-nurse",
                    "level": 2,
                    "summary": "Leads the nurses of a ward for a shift.",
                    "industries": ["hospitals"],
                    "requirements": [
                        {"skill": "clinical-assessment", "level": 4},
                        {"skill": "medication-safety", "level": 3},
                        {"skill": "shift-coordination", "level": 3},
                    ],
                },
                {
                    "title": "Nurse Manager",
                    "slug": "nurse-manager",
                    "level": 3,
                    "requirements": [
                        {"skill": "clinical-assessment", "level": 4},
                        {"skill": "medication-safety", "level": 4},
                        {"skill": "shift-coordination", "level": 4},
                    ],
                },
            ],
            "transitions": [
                {
                    "from": "staff-nurse",
                    "to": "charge-nurse",
                    "note": "Coordinate a shift under supervision.",
                },
                {"from": "charge-nurse", "to": "nurse-manager"},
            ],
        }
    ],
    "goal_templates": [
        {
            "title": "Complete a wound care course",
            "slug": "complete-a-wound-care-course",
            "horizon": "short",
            "duration_months": 3,
            "metric": "Course modules completed",
            "unit": "modules",
            "target": 8,
            "track": "nursing",
            "skill": "clinical-assessment",
        }
    ],
}


@pytest.fixture
def nursing(db) -> Track:
    assert not Track.objects.exists()  # no shipped ladder: nothing else to lean on
    import_ladder(NURSING)
    return Track.objects.get(slug="nursing")


def page(client, url: str, *words: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    for word in words:
        assert word in html, (url, word)
    return html


def test_the_ladders_pages_show_the_synthetic_ladder(client, nursing):
    charge = Role.objects.get(slug="charge-nurse")

    page(client, reverse("skills:track_list"), "Nursing")
    page(
        client,
        reverse("skills:track_detail", args=["nursing"]),
        "Staff Nurse",
        "Charge Nurse",
        "Nurse Manager",
    )
    html = page(client, charge.get_absolute_url(), "Clinical assessment", "Shift coordination", "ACLS")
    assert "Staff Nurse" in html  # the move into the role


def test_a_newcomer_plans_assesses_drafts_sets_and_checks_in_a_goal(alice_client, alice, nursing):
    staff, charge = Role.objects.get(slug="staff-nurse"), Role.objects.get(slug="charge-nurse")
    assessment = Skill.objects.get(slug="clinical-assessment")

    # The dashboard's starter plan: the ladder's entry point and the role it leads to.
    starter = f"{reverse('plans:create')}?current={staff.pk}&amp;target={charge.pk}"
    page(alice_client, reverse("home"), "Create your first plan", "Staff Nurse → Charge Nurse", starter)
    page(alice_client, starter.replace("&amp;", "&"), "Staff Nurse", "Charge Nurse")
    response = alice_client.post(
        reverse("plans:create"),
        {
            "title": "Run a ward shift",
            "current_role": staff.pk,
            "target_role": charge.pk,
            "target_date": (TODAY + timedelta(days=365)).isoformat(),
            "vision": "Lead the night shift.",
        },
    )
    plan = CareerPlan.objects.get(owner=alice)
    assert response.url == plan.get_absolute_url()
    page(alice_client, plan.get_absolute_url(), "Run a ward shift", "Charge Nurse", "Clinical assessment")

    page(alice_client, reverse("plans:assess", args=[plan.pk]), "Clinical assessment", "Medication safety")
    levels = {f"level_{skill.pk}": "2" for skill in Skill.objects.all()}
    assert alice_client.post(reverse("plans:assess", args=[plan.pk]), levels).status_code == 302
    assert SkillAssessment.objects.filter(plan=plan).count() == 3
    page(alice_client, plan.get_absolute_url(), "Clinical assessment", "Shift coordination")

    # Drafting from the gap proposes the largest one first; keep one proposal.
    html = page(alice_client, reverse("goals:draft", args=[plan.pk]), "Clinical assessment", "ACLS")
    kept = re.findall(r'name="drafts" value="([^"]+)"', html)[0]
    assert alice_client.post(reverse("goals:draft", args=[plan.pk]), {"drafts": [kept]}).status_code == 302
    assert Goal.objects.filter(plan=plan).count() == 1

    # A goal of one's own, started from the gap, with the ladder's template on offer.
    create = reverse("goals:create", args=[plan.pk])
    page(
        alice_client, f"{create}?skill={assessment.pk}", "Clinical assessment", "Complete a wound care course"
    )
    response = alice_client.post(
        create,
        {
            "title": "Assess ten patients with a mentor watching",
            "description": "Full assessments on the ward, reviewed by a senior nurse.",
            "metric": "Assessments reviewed",
            "unit": "assessments",
            "baseline": "0",
            "target": "10",
            "plan_of_attack": "Two a week on day shifts.",
            "effort": "1 hour a week",
            "skill": assessment.pk,
            "certification": "",
            "role": "",
            "relevance": "",
            "start_date": TODAY.isoformat(),
            "deadline": (TODAY + timedelta(days=90)).isoformat(),
            "reminder_cadence": "weekly",
            "template": "",
        },
    )
    goal = Goal.objects.get(plan=plan, title="Assess ten patients with a mentor watching")
    assert response.url == goal.get_absolute_url()

    assert alice_client.post(reverse("goals:check_in_add", args=[goal.pk]), {"value": "4"}).status_code == 302
    assert CheckIn.objects.filter(goal=goal).count() == 1
    page(
        alice_client,
        goal.get_absolute_url(),
        "Assess ten patients with a mentor watching",
        "Clinical assessment",
    )

    page(alice_client, reverse("home"), "Run a ward shift", "Charge Nurse")
    page(alice_client, plan.get_absolute_url(), "Assess ten patients with a mentor watching")
