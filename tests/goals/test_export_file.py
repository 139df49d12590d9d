"""The exported file as its owner meets it (issue 28): a plan's download carries what its owner
wrote and nothing a mentor wrote; the file reads as text in any editor, each list in the order
things happened; reminder settings travel with it; a file that departs from the format is told
where, once for each problem."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals import services
from goals.models import CheckIn, Goal, GoalComment, Milestone, ReminderSettings
from goals.portability.export import export_person, validate_export
from goals.portability.reading import ImportRefused
from goals.portability.writing import import_document
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.sharing.models import Comment
from tests.conftest import NOW, TODAY
from tests.factories import CertificationFactory, GoalTemplateFactory, IndustryFactory, SkillFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def commented(alice, plan, mentor, mentor_share):
    goal = GoalFactory(plan=plan, title="Interview «Zoë» in Kraków — 北京")
    Comment.objects.create(plan=plan, author=alice, body="Thanks, booked it.")
    Comment.objects.create(plan=plan, author=mentor, body="Not hers: the mentor's.")
    GoalComment.objects.create(goal=goal, author=alice, body="On it.")
    GoalComment.objects.create(goal=goal, author=mentor, body="The mentor's too.")
    return goal


def test_a_plans_download_carries_its_owners_comments_and_not_the_mentors(alice_client, plan, commented):
    response = alice_client.get(reverse("goals:plan_export", args=[plan.pk]))

    [exported] = json.loads(response.content)["plans"]
    assert [c["body"] for c in exported["comments"]] == ["Thanks, booked it."]
    assert [c["body"] for c in exported["goals"][0]["comments"]] == ["On it."]


def test_the_downloaded_file_reads_as_text_one_field_a_line(alice_client, plan, commented):
    response = alice_client.get(reverse("goals:export"))
    text = response.content.decode("utf-8")

    assert '"title": "Interview «Zoë» in Kraków — 北京"' in text  # the letters as typed, no \u escapes
    assert text.startswith('{\n  "format": "careerpath-plan",\n  "version": 1,\n')  # two spaces a level
    assert text.endswith("}\n")
    assert json.loads(text)["plans"][0]["goals"][0]["title"] == commented.title


@pytest.mark.parametrize(
    ("path", "value"),
    [(("plans", 0, "goals", 0, "deadline"), "soon"), (("plans", 0, "created_at"), "yesterday")],
)
def test_a_date_of_the_wrong_form_is_named_once(alice, plan, commented, path, value):
    document = export_person(alice)
    entry = document
    for key in path[:-1]:
        entry = entry[key]
    entry[path[-1]] = value

    [problem] = validate_export(document)

    assert f"{path[-1]}: '{value}' has the wrong form" in problem


def test_plans_are_listed_in_the_order_they_were_made_an_imported_one_by_its_own_moment(alice, bob, plan):
    """An imported plan keeps the moment it was made elsewhere, though its row is newer."""
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        CareerPlanFactory(owner=bob, title="Bob's own")
        import_document(json.loads(json.dumps(export_person(alice))), user=bob)

    assert [p["title"] for p in export_person(bob)["plans"]] == [plan.title, "Bob's own"]


def test_a_plans_history_is_listed_oldest_first(alice, plan):
    """Each list in the order things happened (or are planned), whatever order they were typed in."""
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        GoalFactory(plan=plan, title="Made yesterday")
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        goal = GoalFactory(
            plan=plan,
            title="Made the day before",
            start_date=TODAY - timedelta(days=30),
            deadline=TODAY + timedelta(days=30),
        )
    skill, cpm, csm = (
        SkillFactory(slug="pricing"),
        CertificationFactory(slug="cpm"),
        CertificationFactory(slug="csm"),
    )
    for days, level in ((1, 3), (5, 2)):  # the later assessment typed first
        with time_machine.travel(NOW - timedelta(days=days), tick=False):
            SkillAssessment.objects.create(plan=plan, skill=skill, level=level)
    PlanCertification.objects.create(
        plan=plan, certification=csm, status="planned", target_date=TODAY + timedelta(days=90)
    )
    PlanCertification.objects.create(plan=plan, certification=cpm, status="planned", target_date=TODAY)
    for days in (2, 9):
        Activity.objects.create(
            plan=plan, kind="course", title=f"{days} days ago", date=TODAY - timedelta(days=days)
        )
        CheckIn.objects.create(goal=goal, value=days, checked_on=TODAY - timedelta(days=days))
    for days in (20, 7):
        Milestone.objects.create(goal=goal, title=f"In {days} days", due_date=TODAY + timedelta(days=days))
    for days in (1, 3):
        with time_machine.travel(NOW - timedelta(days=days), tick=False):
            Comment.objects.create(plan=plan, author=alice, body=f"{days} days ago")
            GoalComment.objects.create(goal=goal, author=alice, body=f"{days} days ago")

    [exported] = export_person(alice)["plans"]

    assert [a["level"] for a in exported["assessments"]] == [2, 3]
    assert [c["certification"] for c in exported["certifications"]] == ["csm", "cpm"]  # as added
    assert [a["title"] for a in exported["activities"]] == ["9 days ago", "2 days ago"]
    assert [g["title"] for g in exported["goals"]] == ["Made the day before", "Made yesterday"]
    goal_doc = exported["goals"][0]
    assert [c["value"] for c in goal_doc["check_ins"]] == ["9", "2"]
    assert [m["title"] for m in goal_doc["milestones"]] == ["In 7 days", "In 20 days"]
    assert [c["body"] for c in exported["comments"]] == ["3 days ago", "1 days ago"]
    assert [c["body"] for c in goal_doc["comments"]] == ["3 days ago", "1 days ago"]


def test_reminders_paused_or_unsubscribed_stay_so_through_export_and_import(alice, bob, plan):
    services.reminder_settings_save(
        user=alice,
        timezone="America/Denver",
        hour=8,
        weekday=4,
        default_cadence="monthly",
        paused_until=TODAY + timedelta(days=14),
    )
    services.reminder_unsubscribe(user=alice)

    exported = export_person(type(alice).objects.get(pk=alice.pk))  # as the next request reads her
    import_document(json.loads(json.dumps(exported)), user=bob)

    assert exported["reminder_settings"] == {
        "timezone": "America/Denver",
        "hour": 8,
        "weekday": 4,
        "default_cadence": "monthly",
        "paused_until": (TODAY + timedelta(days=14)).isoformat(),
        "unsubscribed": True,
        "mentor_digest": False,
    }
    settings = ReminderSettings.objects.get(user=bob)
    assert settings.paused_until == TODAY + timedelta(days=14) and settings.unsubscribed_at is not None


def test_an_export_is_as_many_queries_for_five_plans_as_for_one(alice, plan, django_assert_max_num_queries):
    """A query per kind of row (plans, goals, each kind under them, the ladder's), not per plan."""

    def fill(plan):
        plan.industry = IndustryFactory()
        plan.save()
        goal = GoalFactory(
            plan=plan,
            skill=SkillFactory(),
            certification=CertificationFactory(),
            role=plan.target_role,
            template=GoalTemplateFactory(role=plan.current_role),
        )
        SkillAssessment.objects.create(plan=plan, skill=SkillFactory(), level=2)
        PlanCertification.objects.create(plan=plan, certification=CertificationFactory(), status="planned")
        Activity.objects.create(plan=plan, kind="course", title="Course", date=TODAY).skills.add(
            SkillFactory()
        )
        CheckIn.objects.create(goal=goal, value=1, checked_on=TODAY)
        Milestone.objects.create(goal=goal, title="Half way", due_date=goal.deadline)
        Comment.objects.create(plan=plan, author=alice, body="Noted.")
        GoalComment.objects.create(goal=goal, author=alice, body="Noted.")

    fill(plan)
    with CaptureQueriesContext(connection) as one:
        export_person(alice)
    for _ in range(4):
        fill(CareerPlanFactory(owner=alice, current_role=plan.current_role, target_role=plan.target_role))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(export_person(alice)["plans"]) == 5


@pytest.mark.parametrize(
    ("given", "problem"), [(None, "ladder: is required"), (["x"], "ladder: must be an object, not a list")]
)
def test_a_file_without_its_ladder_is_told_so(alice, bob, plan, commented, given, problem):
    document = export_person(alice)
    del document["ladder"]
    if given is not None:
        document["ladder"] = given

    with pytest.raises(ImportRefused) as refused:
        import_document(document, user=bob)

    assert refused.value.problems == [problem]


def test_the_file_carries_every_ladder_entry_its_plans_name(alice, plan):
    """Each named once only: by a self-assessment, an activity, a goal, a certification held."""
    assessed, practised, aimed = (
        SkillFactory(slug="assessed"),
        SkillFactory(slug="practised"),
        SkillFactory(slug="aimed"),
    )
    held, sought = CertificationFactory(slug="held"), CertificationFactory(slug="sought")
    SkillFactory(slug="unnamed")
    SkillAssessment.objects.create(plan=plan, skill=assessed, level=2)
    Activity.objects.create(plan=plan, kind="course", title="Course", date=TODAY).skills.add(practised)
    GoalFactory(plan=plan, skill=aimed, certification=sought)
    PlanCertification.objects.create(plan=plan, certification=held, status="planned")

    ladder = export_person(alice)["ladder"]

    assert {"assessed", "practised", "aimed"} <= {s["slug"] for s in ladder["skills"]}
    assert "unnamed" not in {s["slug"] for s in ladder["skills"]}
    assert {c["slug"] for c in ladder["certifications"]} == {"held", "sought"}


def test_a_plans_dates_and_a_certifications_are_carried_and_kept(alice, bob, plan):
    plan.target_date = TODAY + timedelta(days=400)
    plan.save()
    PlanCertification.objects.create(
        plan=plan,
        certification=CertificationFactory(slug="cpm"),
        status="earned",
        target_date=TODAY - timedelta(days=30),
        earned_on=TODAY - timedelta(days=20),
        expires_on=TODAY + timedelta(days=700),
    )

    exported = export_person(alice)
    import_document(json.loads(json.dumps(exported)), user=bob)

    [plan_doc] = exported["plans"]
    assert plan_doc["target_date"] == (TODAY + timedelta(days=400)).isoformat()
    [held] = plan_doc["certifications"]
    assert (held["target_date"], held["earned_on"], held["expires_on"]) == tuple(
        (TODAY + timedelta(days=days)).isoformat() for days in (-30, -20, 700)
    )
    imported = CareerPlan.objects.get(owner=bob)
    assert imported.target_date == TODAY + timedelta(days=400)
    assert imported.certifications.values_list("target_date", "earned_on", "expires_on").get() == (
        TODAY - timedelta(days=30),
        TODAY - timedelta(days=20),
        TODAY + timedelta(days=700),
    )


def test_a_goals_links_and_moments_are_carried_and_kept(alice, bob, plan):
    template = GoalTemplateFactory(slug="ship-a-feature", role=plan.target_role)
    goal = GoalFactory(
        plan=plan,
        status="completed",
        completed_at=NOW - timedelta(days=2),
        skill=SkillFactory(slug="pricing"),
        certification=CertificationFactory(slug="cpm"),
        role=plan.target_role,
        template=template,
    )
    Milestone.objects.create(goal=goal, title="Done", due_date=goal.deadline, done_at=NOW - timedelta(days=3))

    exported = export_person(alice)
    import_document(json.loads(json.dumps(exported)), user=bob)

    [goal_doc] = exported["plans"][0]["goals"]
    role = f"{plan.target_role.track.slug}/{plan.target_role.slug}"
    assert (goal_doc["skill"], goal_doc["certification"], goal_doc["role"], goal_doc["template"]) == (
        "pricing",
        "cpm",
        role,
        "ship-a-feature",
    )
    assert goal_doc["completed_at"] == (NOW - timedelta(days=2)).isoformat()
    assert goal_doc["milestones"][0]["done_at"] == (NOW - timedelta(days=3)).isoformat()
    imported = Goal.objects.select_related("skill", "certification", "role", "template").get(plan__owner=bob)
    assert (imported.skill.slug, imported.certification.slug, imported.role, imported.template) == (
        "pricing",
        "cpm",
        plan.target_role,
        template,
    )
    assert imported.completed_at == NOW - timedelta(days=2)
    assert imported.milestones.get().done_at == NOW - timedelta(days=3)
