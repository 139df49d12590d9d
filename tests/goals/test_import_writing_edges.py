"""Writing an import, from goals/portability/writing.py's mutation run (issue 28): a goal keeps the
start date, status and reminder cadence it was exported with, not a new goal's; a ladder editor's
import of the file's ladder is checked as a ladder file is, and adds transitions, industries and
recommendations only to what it creates."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals import services
from goals.models import Goal, Milestone, ReminderSettings
from goals.portability.export import export_person
from goals.portability.reading import ImportRefused
from goals.portability.writing import import_document
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from skills.models import Certification, Industry, Role, Skill, Transition
from tests.conftest import NOW, TODAY, make_user
from tests.factories import CertificationFactory, GoalTemplateFactory, SkillFactory
from tests.goals.factories import GoalFactory
from tests.goals.import_fixtures import as_ladder_editor
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.usefixtures("frozen_time")


def test_an_imported_goal_keeps_the_start_status_and_cadence_it_was_exported_with(alice, plan, bob):
    GoalFactory(
        plan=plan,
        title="Paused since spring",
        start_date=TODAY - timedelta(days=40),
        status=Goal.Status.PAUSED,
        reminder_cadence=Goal.Cadence.MONTHLY,
    )
    GoalFactory(plan=plan, title="Started today")  # a new goal's start, status and cadence

    import_document(json.loads(json.dumps(export_person(alice))), user=bob)

    goals = Goal.objects.filter(plan__owner=bob).order_by("title")
    assert [(g.title, g.start_date, g.status, g.reminder_cadence) for g in goals] == [
        ("Paused since spring", TODAY - timedelta(days=40), "paused", "monthly"),
        ("Started today", TODAY, "active", "weekly"),
    ]


# --- The file's ladder, imported by a ladder editor ------------------------------------------


def _counts() -> list[int]:
    return [model.objects.count() for model in (CareerPlan, Goal, Skill, Role, Transition, Certification)]


def test_a_ladder_the_file_carries_is_checked_against_this_careerpath_as_a_ladder_file_is(
    from_elsewhere, bob
):
    bob = as_ladder_editor(bob)
    track = from_elsewhere["ladder"]["tracks"][0]
    track.setdefault("transitions", []).append({"from": "island", "to": "cto"})  # a role neither has
    before = _counts()

    with pytest.raises(ImportRefused) as refused:
        import_document(from_elsewhere, user=bob, with_ladder=True)

    transition = len(track["transitions"]) - 1
    assert refused.value.problems == [
        f"ladder: tracks[0].transitions[{transition}] (island → cto): to: unknown role 'cto' on track '{track['slug']}'"
    ]
    assert _counts() == before


def test_importing_the_files_ladder_links_only_the_entries_it_creates(from_elsewhere, bob):
    ladder = from_elsewhere["ladder"]
    track = ladder["tracks"][0]
    analyst, island = (
        Role.objects.get(track__slug=track["slug"], slug=slug) for slug in ("analyst", "island")
    )
    Transition.objects.filter(from_role=analyst, to_role=island).delete()
    ladder["industries"].append({"name": "Fintech", "slug": "fintech"})
    track["roles"].append(
        {"title": "Storyteller", "slug": "storyteller", "level": 3, "industries": ["fintech"]}
    )
    next(r for r in track["roles"] if r["slug"] == "analyst")["industries"] = ["fintech"]
    track.setdefault("transitions", []).extend(
        [{"from": "analyst", "to": "island"}, {"from": "island", "to": "storyteller"}]
    )
    cpm, cst = (next(c for c in ladder["certifications"] if c["slug"] == slug) for slug in ("cpm", "cst"))
    cst["recommended_for"] = [f"{track['slug']}/storyteller"]
    cpm["recommended_for"] = [f"{track['slug']}/analyst"]
    recommended = set(Certification.objects.get(slug="cpm").roles.all())

    report = import_document(from_elsewhere, user=as_ladder_editor(bob), with_ladder=True)

    assert report.left_out == []  # the entries it lacked are there now

    # What the import creates takes the file's links ...
    storyteller = Role.objects.get(track__slug=track["slug"], slug="storyteller")
    assert [industry.slug for industry in storyteller.industries.all()] == ["fintech"]
    assert Transition.objects.filter(from_role=island, to_role=storyteller).exists()
    assert list(Certification.objects.get(slug="cst").roles.all()) == [storyteller]
    # ... and what this CareerPath had keeps its own, whatever the file says.
    assert not analyst.industries.exists() and Industry.objects.filter(slug="fintech").exists()
    assert not Transition.objects.filter(from_role=analyst, to_role=island).exists()
    assert set(Certification.objects.get(slug="cpm").roles.all()) == recommended


def test_an_import_days_after_the_export_keeps_every_time_the_file_gives(owned, alice, bob):
    """The plans', goals', check-ins' and comments' times are when they happened, not when the
    import ran: exported again, the file is the same."""
    exported = export_person(alice)

    with time_machine.travel(NOW + timedelta(days=5, hours=3), tick=False):
        import_document(json.loads(json.dumps(exported)), user=bob)
        again = export_person(bob)

    assert {**again, "exported_at": None} == {**exported, "exported_at": None}


def test_what_a_person_filled_in_beyond_the_defaults_comes_back(alice, plan, bob):
    """Each field set to something a new row would not have (a done activity with a link and a
    note, a certification planned for a date, one earned with its expiry, a noted self-assessment,
    a completed goal, a done milestone): exported again after the import, the file is the same."""
    skill = SkillFactory(slug="pricing")
    plan.vision = "Lead pricing for a product line."
    plan.target_date = TODAY + timedelta(days=400)
    plan.save()
    SkillAssessment.objects.create(plan=plan, skill=skill, level=4, note="Ran the pricing review")
    done = Activity.objects.create(
        plan=plan,
        kind=Activity.Kind.WORKSHOP,
        title="Pricing workshop",
        date=TODAY - timedelta(days=3),
        status=Activity.Status.DONE,
        link="https://example.com/pricing",
        note="Good exercises.",
    )
    done.skills.add(skill)
    PlanCertification.objects.create(
        plan=plan,
        certification=CertificationFactory(slug="pmp"),
        status=PlanCertification.Status.IN_PROGRESS,
        target_date=TODAY + timedelta(days=90),
        note="Exam booked",
    )
    PlanCertification.objects.create(
        plan=plan,
        certification=CertificationFactory(slug="cspo"),
        status=PlanCertification.Status.EARNED,
        earned_on=TODAY - timedelta(days=30),
        expires_on=TODAY + timedelta(days=700),
    )
    goal = GoalFactory(
        plan=plan,
        title="Finished early",
        start_date=TODAY - timedelta(days=60),
        status=Goal.Status.COMPLETED,
        completed_at=NOW - timedelta(days=2),
        effort="An evening a week",
        relevance="Pricing is the gap",
        template=GoalTemplateFactory(title="Run a pricing review"),
    )
    Milestone.objects.create(
        goal=goal, title="Draft", due_date=TODAY - timedelta(days=20), done_at=NOW - timedelta(days=21)
    )
    exported = export_person(alice)

    import_document(json.loads(json.dumps(exported)), user=bob)

    assert {**export_person(bob), "exported_at": None} == {**exported, "exported_at": None}


def test_an_imported_plans_history_says_it_was_imported(client, owned, alice, bob, plan):
    import_document(json.loads(json.dumps(export_person(alice))), user=bob)
    imported = CareerPlan.objects.get(owner=bob, title=plan.title)
    client.force_login(bob)

    history = client.get(reverse("plans:history", args=[imported.pk])).content.decode()

    assert "Plan created" in history and "“Imported from a CareerPath export”" in history


def test_a_primary_plan_listed_after_another_does_not_displace_the_importers_own(alice, bob, ladder):
    """The file lists plans by creation: Alice made her primary plan after a side one. Bob's own
    primary plan, made a month before, stays the only primary."""
    junior, senior = ladder.roles["apm"], ladder.roles["senior"]
    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        own = CareerPlanFactory(
            owner=bob, title="Bob's own", current_role=junior, target_role=senior, is_primary=True
        )
    for title, primary in (("Side path", False), ("Become senior", True)):
        CareerPlanFactory(
            owner=alice, title=title, current_role=junior, target_role=senior, is_primary=primary
        )
    exported = export_person(alice)
    assert [(p["title"], p["is_primary"]) for p in exported["plans"]] == [
        ("Side path", False),
        ("Become senior", True),
    ]

    import_document(exported, user=bob)

    assert list(CareerPlan.objects.filter(owner=bob, is_primary=True)) == [own]
    assert CareerPlan.objects.filter(owner=bob).count() == 3


def test_an_importer_who_unsubscribed_stays_so_when_the_file_says_unsubscribed(owned, alice, bob):
    with time_machine.travel(NOW - timedelta(days=9), tick=False):
        services.reminder_unsubscribe(user=bob)
    exported = json.loads(json.dumps(export_person(alice)))
    exported["reminder_settings"]["unsubscribed"] = True

    import_document(exported, user=bob)

    assert ReminderSettings.objects.get(user=bob).unsubscribed_at == NOW - timedelta(days=9)


def test_an_importer_who_unsubscribed_gets_reminders_again_when_the_file_says_subscribed(owned, alice, bob):
    with time_machine.travel(NOW - timedelta(days=9), tick=False):
        services.reminder_unsubscribe(user=bob)
    exported = json.loads(json.dumps(export_person(alice)))
    exported["reminder_settings"]["unsubscribed"] = False

    import_document(exported, user=bob)

    assert ReminderSettings.objects.get(user=bob).unsubscribed_at is None


def test_the_choice_of_the_mentor_digest_goes_with_the_export(owned, alice, bob):
    services.reminder_settings_save(
        user=alice,
        timezone="UTC",
        hour=9,
        weekday=0,
        default_cadence="weekly",
        paused_until=None,
        mentor_digest=True,
    )
    exported = json.loads(json.dumps(export_person(alice)))
    assert exported["reminder_settings"]["mentor_digest"] is True

    import_document(exported, user=bob)

    assert ReminderSettings.objects.get(user=bob).mentor_digest


def test_a_file_from_before_the_mentor_digest_leaves_the_choice_as_it_is(owned, alice, bob):
    services.reminder_settings_save(
        user=bob,
        timezone="UTC",
        hour=9,
        weekday=0,
        default_cadence="weekly",
        paused_until=None,
        mentor_digest=True,
    )
    exported = json.loads(json.dumps(export_person(alice)))
    del exported["reminder_settings"]["mentor_digest"]

    import_document(exported, user=bob)

    assert ReminderSettings.objects.get(user=bob).mentor_digest


def test_an_import_reads_the_roles_its_plans_name_in_one_query_however_many(alice, ladder):
    """A plan from one role to itself with a goal naming it too, and the same plan to another role
    with its goal naming a third: the same queries, the roles and their tracks read together, not
    one query a role."""
    apm = ladder.roles["apm"]
    plan = CareerPlanFactory(owner=alice, title="Stay and grow", current_role=apm, target_role=apm)
    GoalFactory(plan=plan, title="Lead a launch", role=apm)
    one_role = export_person(alice)
    three_roles = json.loads(json.dumps(one_role))
    track = apm.track.slug
    three_roles["plans"][0]["target_role"] = f"{track}/senior"
    three_roles["plans"][0]["goals"][0]["role"] = f"{track}/leader"

    def queries(document: dict, email: str) -> int:
        importer = make_user(email, "pw")
        with CaptureQueriesContext(connection) as captured:
            import_document(document, user=importer)
        return len(captured.captured_queries)

    assert queries(three_roles, "carol@example.com") == queries(one_role, "dave@example.com")
    assert Goal.objects.get(plan__owner__email="carol@example.com").role == ladder.roles["leader"]
