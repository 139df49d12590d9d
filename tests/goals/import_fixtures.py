"""Fixtures of the import tests: a person's data to export, and a file from another instance."""

import copy
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from goals.models import CheckIn, Goal, GoalComment, Milestone, ReminderSettings
from goals.portability.export import export_person
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.sharing.models import Comment, Share
from tests.conftest import NOW, TODAY, make_user
from tests.factories import CertificationFactory, SkillFactory
from tests.goals.factories import GoalFactory
from tests.plans.conftest import write_ladder, write_plan
from tests.plans.factories import CareerPlanFactory
from tests.shared_rows import rows_kept_until_exit

# The `password` fixture's (tests/conftest.py), for people written outside a test.
PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def owned(alice, plan, mentor, mentor_share):
    """Alice's plan with one of everything, a mentor's comment (not hers), and an archived plan."""
    return write_owned(alice, plan, mentor)


def write_owned(alice, plan, mentor):
    """What `owned` writes on Alice's plan (shared with `mentor`); returns the first goal."""
    skill = SkillFactory(slug="market-analysis")
    first = SkillAssessment.objects.create(plan=plan, skill=skill, level=2, note="after the course")
    second = SkillAssessment.objects.create(plan=plan, skill=skill, level=3)
    goal = GoalFactory(plan=plan, title="Reach level 4 in market analysis", skill=skill, baseline=1, target=4)
    CheckIn.objects.create(
        goal=goal, value=2, note="two", checked_on=TODAY - timedelta(days=9), assessment=first
    )
    CheckIn.objects.create(goal=goal, value=3, checked_on=TODAY, assessment=second)
    Milestone.objects.create(goal=goal, title="Script written", due_date=TODAY + timedelta(days=7))
    Milestone.objects.create(goal=goal, title="Course done", due_date=TODAY, done_at=timezone.now())
    other = GoalFactory(plan=plan, title="Run 6 customer interviews", baseline=0, target=6, unit="interviews")
    CheckIn.objects.create(goal=other, value="2.5", checked_on=TODAY)
    PlanCertification.objects.create(
        plan=plan, certification=CertificationFactory(slug="cpm"), status="earned", earned_on=TODAY
    )
    activity = Activity.objects.create(plan=plan, kind="course", title="Pricing course", date=TODAY)
    activity.skills.add(skill)
    Comment.objects.create(plan=plan, author=alice, body="Thanks, booked it.")
    Comment.objects.create(plan=plan, author=mentor, body="Not hers: the mentor's.")
    GoalComment.objects.create(goal=goal, author=alice, body="On it.")
    CareerPlanFactory(owner=alice, title="Archived one", status=CareerPlan.Status.ARCHIVED)
    ReminderSettings.objects.update_or_create(user=alice, defaults={"timezone": "Europe/Berlin", "hour": 18})
    return goal


def write_people_and_owned() -> dict[str, int]:
    """Alice, Bob and the mentor, the plans' ladder, Alice's plan shared with the mentor and
    `owned`, written at NOW as the function fixtures (with `frozen_time`) write them: for a module
    whose tests read them from one write (tests/shared_rows.py). Returns their primary keys."""
    with time_machine.travel(NOW, tick=False):
        alice, bob, mentor = (
            make_user(f"{name}@example.com", PASSWORD) for name in ("alice", "bob", "mentor")
        )
        plan = write_plan(alice, write_ladder())
        Share.objects.create(plan=plan, email=mentor.email, user=mentor)
        goal = write_owned(alice, plan, mentor)
    return {"alice": alice.pk, "bob": bob.pk, "mentor": mentor.pk, "plan": plan.pk, "owned": goal.pk}


@pytest.fixture(scope="module")
def written_once(django_db_setup, django_db_blocker) -> Iterator[dict[str, int]]:
    """`write_people_and_owned` once for a module whose tests read those rows (~150 statements,
    which each test wrote): they stay in a transaction rolled back after the module's last test
    (tests/shared_rows.py), and what a test writes, an import included, is undone after it. A
    module imports this and the shared_* fixtures below, which stand in for alice, bob, plan,
    owned and document there."""
    with rows_kept_until_exit(django_db_blocker, write_people_and_owned) as pks:
        yield pks


@pytest.fixture(scope="module")
def exported_once(written_once, django_db_blocker) -> dict:
    """Alice's export of the rows written once, made once at NOW (~30 statements a test)."""
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        return export_person(get_user_model().objects.get(pk=written_once["alice"]))


# Read afresh for each test from the rows written once, so no object a test changes in memory
# reaches the next.


@pytest.fixture(name="alice")
def shared_alice(db, written_once):
    return get_user_model().objects.get(pk=written_once["alice"])


@pytest.fixture(name="bob")
def shared_bob(db, written_once):
    return get_user_model().objects.get(pk=written_once["bob"])


@pytest.fixture(name="plan")
def shared_plan(db, written_once):
    return CareerPlan.objects.get(pk=written_once["plan"])


@pytest.fixture(name="owned")
def shared_owned(db, written_once):
    return Goal.objects.get(pk=written_once["owned"])


@pytest.fixture(name="document")
def shared_document(db, exported_once):
    """A copy of Alice's export made once, for the test to change."""
    return copy.deepcopy(exported_once)


@pytest.fixture
def document(owned, alice):
    return export_person(alice)


@pytest.fixture
def from_elsewhere(document):
    """A file from an instance whose ladder has a skill and a certification this one lacks."""
    document["ladder"]["skills"].append(
        {"name": "Storytelling", "slug": "storytelling", "category": "soft", "description": ""}
    )
    document["ladder"]["certifications"].append(
        {
            "name": "Certified Storyteller",
            "slug": "cst",
            "abbreviation": "CST",
            "issuer": "Guild",
            "url": "",
            "description": "",
            "validity_months": None,
            "recommended_for": [],
        }
    )
    plan = document["plans"][0]
    plan["assessments"].append({**plan["assessments"][0], "id": "assessment-50", "skill": "storytelling"})
    plan["certifications"].append({**plan["certifications"][0], "certification": "cst"})
    plan["goals"][1]["skill"] = "storytelling"
    return document


def as_ladder_editor(user):
    """``user`` made a staff member of "Ladder editors" (the group the migrations create), read
    afresh: permissions are cached per instance."""
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Ladder editors"))
    return type(user).objects.get(pk=user.pk)
