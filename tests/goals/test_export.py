"""Exports: everything a person owns, and one plan, as a document that validates against
goals/portability/export.schema.json and carries what the person wrote, as they wrote it."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from goals.models import CheckIn, Goal, GoalComment, Milestone, ReminderSettings
from goals.portability.export import SCHEMA_PATH, export_person, validate_export
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.sharing.models import Comment
from tests.conftest import TODAY
from tests.factories import CertificationFactory, SkillFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def owned(alice, plan, mentor, mentor_share):
    skill = SkillFactory(slug="market-analysis")
    assessment = SkillAssessment.objects.create(plan=plan, skill=skill, level=2, note="after the course")
    SkillAssessment.objects.create(plan=plan, skill=skill, level=3)
    goal = GoalFactory(plan=plan, title="Run 6 interviews", skill=skill, baseline=1, target=4, unit="level")
    CheckIn.objects.create(goal=goal, value=2, note="two", checked_on=TODAY, assessment=assessment)
    Milestone.objects.create(goal=goal, title="Script written", due_date=TODAY + timedelta(days=7))
    PlanCertification.objects.create(
        plan=plan, certification=CertificationFactory(slug="cpm"), status="planned"
    )
    activity = Activity.objects.create(plan=plan, kind="course", title="Pricing course", date=TODAY)
    activity.skills.add(skill)
    Comment.objects.create(plan=plan, author=alice, body="Thanks, booked it.")
    Comment.objects.create(plan=plan, author=mentor, body="Not hers: the mentor's.")
    GoalComment.objects.create(goal=goal, author=alice, body="On it.")
    CareerPlanFactory(owner=alice, title="Archived one", status=CareerPlan.Status.ARCHIVED)
    return goal


def test_everything_a_person_owns_validates_and_reads_as_written(owned, alice):
    ReminderSettings.objects.update_or_create(user=alice, defaults={"timezone": "Europe/Berlin", "hour": 18})
    document = export_person(alice)

    assert validate_export(document) == []
    assert (document["format"], document["version"]) == ("careerpath-plan", 1)
    [plan, archived] = document["plans"]
    assert archived["title"] == "Archived one" and archived["status"] == "archived"
    assert [a["level"] for a in plan["assessments"]] == [2, 3]  # the history, not the latest only
    [goal] = plan["goals"]
    assert (goal["title"], goal["skill"], goal["baseline"], goal["target"]) == (
        "Run 6 interviews",
        "market-analysis",
        "1",
        "4",
    )
    assert goal["check_ins"] == [
        {
            "value": "2",
            "note": "two",
            "checked_on": TODAY.isoformat(),
            "created_at": goal["check_ins"][0]["created_at"],
            "assessment": plan["assessments"][0]["id"],
        }
    ]
    assert goal["milestones"][0]["title"] == "Script written"
    assert [c["body"] for c in plan["comments"]] == ["Thanks, booked it."]  # what she wrote, not the mentor
    assert [c["body"] for c in goal["comments"]] == ["On it."]
    assert plan["activities"][0]["skills"] == ["market-analysis"]
    assert plan["certifications"][0]["certification"] == "cpm"
    assert document["reminder_settings"]["timezone"] == "Europe/Berlin"
    roles = {role["slug"] for track in document["ladder"]["tracks"] for role in track["roles"]}
    assert plan["current_role"].split("/")[1] in roles and plan["target_role"].split("/")[1] in roles


def test_the_schema_refuses_what_the_format_does_not_allow(owned, alice):
    document = export_person(alice)
    document["version"] = 2
    document["plans"][0]["goals"][0]["deadline"] = "soon"
    document["plans"][0]["surprise"] = True
    errors = validate_export(document)
    assert any(e.startswith("version: must be 1") for e in errors)
    assert "plans[0].goals[0] ('Run 6 interviews'): deadline: 'soon' has the wrong form" in errors
    assert any(e.startswith("plans[0] (") and ": surprise: unknown field" in e for e in errors)


def test_the_schema_names_the_statuses_the_models_have():
    """One truth: the schema's enumerations are the models' choices."""
    schema = json.loads(SCHEMA_PATH.read_text())
    goal = schema["$defs"]["goal"]["properties"]
    assert set(goal["status"]["enum"]) == set(Goal.Status.values)
    assert set(goal["reminder_cadence"]["enum"]) == set(Goal.Cadence.values)
    plan = schema["$defs"]["plan"]["properties"]
    assert set(plan["status"]["enum"]) == set(CareerPlan.Status.values)
    held = plan["certifications"]["items"]["properties"]["status"]["enum"]
    assert set(held) == set(PlanCertification.Status.values)


def test_the_owner_downloads_everything_and_each_plan(alice_client, owned, plan):
    everything = alice_client.get(reverse("goals:export"))
    assert everything.status_code == 200
    assert everything["Content-Disposition"].startswith('attachment; filename="careerpath-')
    assert validate_export(json.loads(everything.content)) == []
    one = alice_client.get(reverse("goals:plan_export", args=[plan.pk]))
    assert one.status_code == 200
    assert [p["title"] for p in json.loads(one.content)["plans"]] == [plan.title]


def test_exports_are_the_owners_alone(client, mentor, bob, plan, mentor_share):
    url = reverse("goals:plan_export", args=[plan.pk])
    client.force_login(mentor)
    assert client.get(url).status_code == 403
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get(reverse("goals:export")).status_code == 302


def test_an_export_is_a_fixed_number_of_queries(alice, owned, django_assert_max_num_queries):
    from tests.goals.test_plan_goals_queries import build_goals

    with django_assert_max_num_queries(40) as captured:
        export_person(alice)
    small = len(captured.captured_queries)
    for plan in CareerPlan.objects.filter(owner=alice):
        build_goals(plan, 30)
    with django_assert_max_num_queries(small):
        export_person(alice)


def test_round_numbers_export_as_written_and_import_into_another_account(alice, bob, plan):
    """Issue 20: 10, 100 and 1,000,000 were written "1E+1", "1E+2", "1E+6", which the export's own
    schema refuses, so a person's "Download everything" could not be imported back."""
    from goals.portability.writing import import_document

    for baseline, target in (("0", "10"), ("1", "100"), ("0", "0.5"), ("250000", "1000000")):
        goal = GoalFactory(plan=plan, title=f"Reach {target}", baseline=baseline, target=target)
        CheckIn.objects.create(goal=goal, value=target, checked_on=TODAY)
    exported = export_person(alice)

    goals = exported["plans"][0]["goals"]
    written = [(g["baseline"], g["target"]) for g in goals]
    assert written == [("0", "10"), ("1", "100"), ("0", "0.5"), ("250000", "1000000")]
    assert [g["check_ins"][0]["value"] for g in goals] == ["10", "100", "0.5", "1000000"]
    assert validate_export(exported) == []

    import_document(json.loads(json.dumps(exported)), user=bob)

    imported = Goal.objects.filter(plan__owner=bob).order_by("created_at", "pk")
    assert [str(goal.target) for goal in imported] == ["10.00", "100.00", "0.50", "1000000.00"]


def _formats(node) -> set[str]:
    if isinstance(node, dict):
        return ({node["format"]} if isinstance(node.get("format"), str) else set()) | {
            f for value in node.values() for f in _formats(value)
        }
    return {f for value in node for f in _formats(value)} if isinstance(node, list) else set()


def test_every_format_the_schema_names_is_checked():
    """jsonschema checks "date-time" only with rfc3339-validator installed (requirements.txt)."""
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_PATH.read_text())
    assert _formats(schema) == {"date", "date-time"}
    assert _formats(schema) <= set(Draft202012Validator.FORMAT_CHECKER.checkers)


def test_the_schema_refuses_dates_and_times_the_calendar_lacks(owned, alice):
    document = export_person(alice)
    document["exported_at"] = "2026-13-45T99:99:99+00:00"
    goal = document["plans"][0]["goals"][0]
    goal["deadline"] = "2026-02-30"
    goal["created_at"] = "2026-06-01T12:00:00"  # no offset from UTC

    errors = validate_export(document)

    timed = "is not a date and time with its offset from UTC: write it as 2026-06-15T12:00:00+00:00"
    assert errors == [
        f"exported_at: '2026-13-45T99:99:99+00:00' {timed}",
        "plans[0].goals[0] ('Run 6 interviews'): deadline: '2026-02-30' is an invalid date: "
        "write it as YYYY-MM-DD, a day the calendar has",
        f"plans[0].goals[0] ('Run 6 interviews'): created_at: '2026-06-01T12:00:00' {timed}",
    ]
