"""Documents generated from the export's schema (goals/portability/export.schema.json, through
tests/goals/schema_strategy.py) go through upload, review and Import: each is imported whole or
refused with a message, never a 500 and never a part of it written. After an import, every page
its owner, their mentor and staff open answers 200.

Seeded, so CI sees the same examples on every run; they are drawn in PARTS tests with a seed each,
which xdist's workers share. IMPORT_EXAMPLES sets how many in all, IMPORT_PAGE_EXAMPLES those
whose pages are opened: 300 and 20 by default (the suite's line coverage was the same as with
1,000 and 150, which cost a minute more a pass on PostgreSQL; this module's alone, lines and
branches, the same with 20 pages' examples as with 50, and less with 200 documents); 10,000 by hand:
``IMPORT_EXAMPLES=10000 .venv/bin/python -m pytest tests/goals/test_import_generated.py``.
"""

import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from goals.models import CheckIn, Goal, GoalComment, Milestone
from goals.portability.export import SCHEMA_PATH
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.sharing.models import Comment, Share
from skills.ladder import export_ladder
from skills.models import Certification, GoalTemplate, Industry, Role, Skill, Track
from tests.conftest import NOW, TODAY, make_user
from tests.factories import CertificationFactory, GoalTemplateFactory, IndustryFactory
from tests.goals.schema_strategy import from_schema, now_and_then

pytestmark = pytest.mark.usefixtures("frozen_time")

EXAMPLES = int(os.environ.get("IMPORT_EXAMPLES", "300"))
PAGE_EXAMPLES = int(os.environ.get("IMPORT_PAGE_EXAMPLES", "20"))


# The examples are drawn in parts with seeds of their own, so that xdist's workers share them.
PARTS = 4


def _settings(examples: int, *, derandomize: bool = True):
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=derandomize,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
    )


@pytest.fixture
def instance(ladder):
    """The ladder the documents name: the plans tests' branching track, with a certification, an
    industry and a goal template; the file's own ladder is this one, exported."""
    CertificationFactory(slug="cpm", name="Certified Product Manager")
    IndustryFactory(slug="health", name="Healthcare")
    GoalTemplateFactory(slug="learn-sql", track=ladder.track)
    return export_ladder(
        Track.objects.all(),
        skills=Skill.objects.all(),
        certifications=Certification.objects.all(),
        industries=Industry.objects.all(),
    )


def documents(ladder_document: dict) -> st.SearchStrategy[dict]:
    """Export documents as the schema allows them, naming this instance's ladder entries (and,
    now and then, one neither it nor the file has)."""

    def slugs(values, *, nullable: bool = False, unknown: str = "nowhere") -> st.SearchStrategy:
        choices = st.sampled_from(sorted(values))
        known = st.one_of(choices, st.none()) if nullable else choices
        return now_and_then(known, st.just(unknown), one_in=10)

    roles = [f"{r.track.slug}/{r.slug}" for r in Role.objects.select_related("track")]
    skills = Skill.objects.values_list("slug", flat=True)
    certifications = Certification.objects.values_list("slug", flat=True)
    overrides = {
        "ladder": st.just(ladder_document),
        "plans[].current_role": slugs(roles, unknown="elsewhere/nobody"),
        "plans[].target_role": slugs(roles, unknown="elsewhere/nobody"),
        "plans[].industry": slugs(Industry.objects.values_list("slug", flat=True), nullable=True),
        "plans[].assessments[].skill": slugs(skills),
        "plans[].certifications[].certification": slugs(certifications),
        "plans[].activities[].skills[]": slugs(skills),
        "plans[].goals[].skill": slugs(skills, nullable=True),
        "plans[].goals[].certification": slugs(certifications, nullable=True),
        "plans[].goals[].role": slugs(roles, nullable=True, unknown="elsewhere/nobody"),
        "plans[].goals[].template": slugs(GoalTemplate.objects.values_list("slug", flat=True), nullable=True),
        "plans[].goals[].check_ins[].assessment": now_and_then(
            st.none(), st.sampled_from(["assessment-1", "assessment-2"]), one_in=3
        ),
    }
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return from_schema(schema, overrides=overrides, today=TODAY, now=NOW)


OWNED = {
    "plans": lambda user: CareerPlan.objects.filter(owner=user),
    "assessments": lambda user: SkillAssessment.objects.filter(plan__owner=user),
    "certifications": lambda user: PlanCertification.objects.filter(plan__owner=user),
    "activities": lambda user: Activity.objects.filter(plan__owner=user),
    "goals": lambda user: Goal.objects.filter(plan__owner=user),
    "check_ins": lambda user: CheckIn.objects.filter(goal__plan__owner=user),
    "milestones": lambda user: Milestone.objects.filter(goal__plan__owner=user),
    "plan comments": lambda user: Comment.objects.filter(plan__owner=user),
    "goal comments": lambda user: GoalComment.objects.filter(goal__plan__owner=user),
}


def held(user) -> dict[str, int]:
    return {kind: rows(user).count() for kind, rows in OWNED.items()}


def in_document(document: dict) -> dict[str, int]:
    plans, goals = document["plans"], [goal for plan in document["plans"] for goal in plan["goals"]]
    return {
        "plans": len(plans),
        "assessments": sum(len(plan["assessments"]) for plan in plans),
        "certifications": sum(len(plan["certifications"]) for plan in plans),
        "activities": sum(len(plan["activities"]) for plan in plans),
        "goals": len(goals),
        "check_ins": sum(len(goal["check_ins"]) for goal in goals),
        "milestones": sum(len(goal["milestones"]) for goal in goals),
        "plan comments": sum(len(plan["comments"]) for plan in plans),
        "goal comments": sum(len(goal["comments"]) for goal in goals),
    }


def import_through_the_pages(client, document: dict) -> bool:
    """Upload, review and Import ``document``: whether it was imported. A 500 raises here (the
    test client re-raises a view's exception); a refusal must say why."""
    upload = SimpleUploadedFile("careerpath.json", json.dumps(document).encode(), "application/json")
    response = client.post(reverse("goals:import"), {"file": upload})
    if response.status_code == 200:
        errors = response.context["form"].errors["file"]
        assert errors[0].startswith("Nothing was imported.") and len(errors) > 1, errors
        return False
    assert response.status_code == 302, response.status_code
    review = client.get(reverse("goals:import_confirm"))
    assert review.status_code == 200
    done = client.post(
        reverse("goals:import_confirm"), {"ladder": "skip", "digest": review.context["digest"]}
    )
    if done.status_code == 422:
        assert len(done.context["form"].non_field_errors()) > 1
        return False
    assert done.status_code == 302 and done["Location"] == reverse("plans:list"), done.status_code
    return True


@pytest.mark.parametrize("part", range(PARTS))
def test_a_generated_document_is_imported_whole_or_refused_with_a_message(client, bob, instance, part):
    outcomes = {True: 0, False: 0}

    @seed(part)  # the same examples on every run, other ones in each part
    @_settings(-(-EXAMPLES // PARTS), derandomize=False)
    @given(documents(instance))
    def attempt(document):
        with transaction.atomic():  # each example on the same data as the first
            client.force_login(bob)
            imported = import_through_the_pages(client, document)
            outcomes[imported] += 1
            expected = in_document(document) if imported else dict.fromkeys(OWNED, 0)
            assert held(bob) == expected
            transaction.set_rollback(True)

    attempt()
    print(f"generated documents: {outcomes[True]} imported, {outcomes[False]} refused")
    assert outcomes[True] and outcomes[False]  # both sides of the door are reached


ADMIN_LISTS = [
    "admin:plans_careerplan_changelist",
    "admin:plans_skillassessment_changelist",
    "admin:goals_goal_changelist",
    "admin:plans_comment_changelist",
    "admin:goals_goalcomment_changelist",
]


def test_after_an_import_every_page_the_owner_their_mentor_and_staff_open_answers_200(
    client, bob, instance, password
):
    mentor = make_user("mentor@example.com", password)
    staff = make_user("staff@example.com", password)
    staff.is_staff = staff.is_superuser = True
    staff.save()
    opened = {"imports": 0}

    def answers_200(person, urls: list[str]) -> None:
        client.force_login(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"{person.email} {url}: {response.status_code}"

    @_settings(PAGE_EXAMPLES)
    @given(documents(instance))
    def attempt(document):
        with transaction.atomic():
            client.force_login(bob)
            if not import_through_the_pages(client, document):
                transaction.set_rollback(True)
                return
            opened["imports"] += 1
            plans = list(CareerPlan.objects.filter(owner=bob))
            goals = list(Goal.objects.filter(plan__owner=bob))
            for plan in plans:
                Share.objects.create(plan=plan, user=mentor, email=mentor.email, accepted_at=NOW)
            plan_pages = [
                u
                for p in plans
                for u in (reverse("plans:detail", args=[p.pk]), reverse("plans:print", args=[p.pk]))
            ]
            goal_pages = [reverse("goals:detail", args=[goal.pk]) for goal in goals]
            exports = [reverse("goals:export")] + [reverse("goals:plan_export", args=[p.pk]) for p in plans]
            answers_200(bob, [reverse("home"), reverse("plans:list"), *plan_pages, *goal_pages, *exports])
            answers_200(mentor, [reverse("home"), *plan_pages, *goal_pages])
            answers_200(staff, [reverse(name) for name in ADMIN_LISTS])
            transaction.set_rollback(True)

    attempt()
    print(f"pages opened after {opened['imports']} imports")
    assert opened["imports"]
