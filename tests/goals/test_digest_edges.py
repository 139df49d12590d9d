"""The edges of what a reminder digest says (issue 28, from the mutants of goals/reminders/digest.py
that no test noticed): the next step a quiet plan gets and the day a plan goes quiet, the order of
plans, deadlines, milestones and expiries, which milestones are listed, the subject when nothing
is due for a check-in, the greeting and the footer's links, the person's own date against the
server's, and the unsubscribe token.

Time is frozen at Monday 15 June 2026, 12:00 UTC (tests/conftest.py NOW); the person reads UTC
unless a test says otherwise.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core import mail, signing
from django.urls import reverse

from goals.models import Goal, ReminderSettings
from goals.reminders import sending, sweep, tokens
from goals.reminders.digest import Digest
from plans.models import CareerPlan, PlanCertification, SkillAssessment
from tests.conftest import NOW, TODAY
from tests.factories import CertificationFactory, SkillFactory
from tests.goals.factories import CheckInFactory, GoalFactory, MilestoneFactory
from tests.goals.test_digest_facts import due_goal, earned, not_due_goal
from tests.plans.factories import CareerPlanFactory, PlanCertificationFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

DAY = timedelta(days=1)


def digest_text(plan) -> str:
    """The text of the one digest the sweep sends the plan's owner (a due goal on ``plan`` makes it)."""
    due_goal(plan, title="Keep the digest going")
    sweep.sweep()
    [message] = mail.outbox
    return message.body


def items(text: str, heading: str) -> list[str]:
    """The items listed under ``heading`` in the text part ([] when it is absent), without "- "."""
    if heading not in text:
        return []
    listed = []
    for line in text.split(heading, 1)[1].splitlines():
        if line.startswith("- "):
            listed.append(line[2:])
        elif line.strip() and not line.startswith(" "):
            break  # the next heading, or the footer
    return listed


def sent_after_the_due_goal_was_completed(plan):
    """The digest of a delivery whose only due goal was completed between sweep and send: it
    says what else the plans need (TIME TO CHECK IN is empty)."""
    goal = due_goal(plan, title="Finished before the send")
    ids = sweep.sweep(enqueue=False).deliveries
    Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.COMPLETED)
    sending.send_deliveries(ids)
    [message] = mail.outbox
    return message


def quiet(plan: CareerPlan, *, days: int = 60) -> CareerPlan:
    """Make ``plan`` as if created ``days`` ago."""
    CareerPlan.objects.filter(pk=plan.pk).update(created_at=NOW - days * DAY)
    return plan


def assessed(plan: CareerPlan, days_ago: int) -> None:
    SkillAssessment.objects.create(plan=plan, skill=SkillFactory(), level=2, assessed_at=NOW - days_ago * DAY)


# --- Gone quiet: the next step, the day, the order ------------------------------------------------


def test_a_quiet_plan_assessed_gets_drafting_without_goals_and_a_check_in_with_them(plan, alice):
    """The primary plan is busy; of the two quiet ones, the one without goals is sent to draft
    them from its gap, the one with goals to record a check-in."""
    no_goals = quiet(CareerPlanFactory(owner=alice, title="Assessed, no goals"))
    assessed(no_goals, days_ago=40)
    with_goals = quiet(CareerPlanFactory(owner=alice, title="Assessed, with goals"))
    assessed(with_goals, days_ago=40)
    GoalFactory(plan=with_goals, start_date=TODAY - 60 * DAY)

    quiet_plans = items(digest_text(plan), "GONE QUIET")

    draft = settings.SITE_URL + reverse("goals:draft", args=[no_goals.pk])
    assert (
        f'"Assessed, no goals" has had no check-in, assessment or activity for a while. Next step: Draft next steps from your gap. {draft}'
        in quiet_plans
    )
    check_in = settings.SITE_URL + with_goals.get_absolute_url() + "#goals"
    assert (
        f'"Assessed, with goals" has had no check-in, assessment or activity for a while. Next step: Record a check-in on one of your goals. {check_in}'
        in quiet_plans
    )
    assert not any("Become a Senior PM" in line for line in quiet_plans)


@pytest.mark.parametrize("days, is_quiet", [(30, True), (29, False)])
def test_a_plan_made_30_days_ago_with_nothing_since_has_gone_quiet_and_29_has_not(alice, days, is_quiet):
    busy = CareerPlanFactory(owner=alice, title="Busy")
    CheckInFactory(goal=GoalFactory(plan=busy, start_date=TODAY - 60 * DAY), checked_on=TODAY)
    quiet(CareerPlanFactory(owner=alice, title="Just made"), days=days)
    assert ('"Just made" has had no check-in' in digest_text(busy)) is is_quiet


def test_a_check_in_exactly_30_days_ago_has_gone_quiet(plan):
    quiet(plan)
    CheckInFactory(goal=GoalFactory(plan=plan, start_date=TODAY - 60 * DAY), checked_on=TODAY - 30 * DAY)
    [line] = items(digest_text(plan), "GONE QUIET")
    assert "Next step: Assess your skills" in line


def test_quiet_plans_are_listed_primary_first_then_newest_first(plan, alice):
    quiet(plan, days=90)  # the primary plan, the oldest
    older = quiet(CareerPlanFactory(owner=alice, title="Older"), days=60)
    newer = quiet(CareerPlanFactory(owner=alice, title="Newer"), days=45)
    assert older.pk < newer.pk

    lines = items(digest_text(plan), "GONE QUIET")

    assert [line.split('"')[1] for line in lines] == ["Become a Senior PM", "Newer", "Older"]


# --- Order and membership of the lists ------------------------------------------------------------


def test_deadlines_milestones_and_expiries_are_listed_soonest_first(plan):
    not_due_goal(plan, "Friday's report", TODAY + 4 * DAY)
    tuesday = not_due_goal(plan, "Tuesday's review", TODAY + DAY)
    MilestoneFactory(goal=tuesday, title="Thursday's draft", due_date=TODAY + 3 * DAY)
    MilestoneFactory(goal=tuesday, title="Wednesday's outline", due_date=TODAY + 2 * DAY)
    earned(plan, "LATER", 20)
    earned(plan, "SOONER", 10)

    text = digest_text(plan)

    deadlines = "\n".join(items(text, "DEADLINES THIS WEEK"))
    assert deadlines.index("Tuesday's review") < deadlines.index("Friday's report")
    milestones = "\n".join(items(text, "MILESTONES DUE"))
    assert milestones.index("Wednesday's outline") < milestones.index("Thursday's draft")
    expiring = "\n".join(items(text, "CERTIFICATIONS EXPIRING"))
    assert expiring.index("SOONER") < expiring.index("LATER")


def test_milestones_listed_are_those_open_on_active_goals_within_the_week(plan):
    active = not_due_goal(plan, "Launch the beta", TODAY + 60 * DAY)
    finished = not_due_goal(plan, "Old goal", TODAY + 60 * DAY)
    Goal.objects.filter(pk=finished.pk).update(status=Goal.Status.COMPLETED)
    MilestoneFactory(goal=active, title="Seven days out", due_date=TODAY + 7 * DAY)
    MilestoneFactory(goal=active, title="Eight days out", due_date=TODAY + 8 * DAY)
    MilestoneFactory(goal=active, title="Already done", due_date=TODAY + 2 * DAY, done_at=NOW)
    MilestoneFactory(goal=finished, title="Of a completed goal", due_date=TODAY + 2 * DAY)

    milestones = items(digest_text(plan), "MILESTONES DUE")

    assert milestones == ["Seven days out (Launch the beta): due 22 Jun"]


# --- The subject when nothing is due for a check-in -----------------------------------------------


def test_with_only_an_overdue_goal_the_subject_is_about_deadlines(plan):
    not_due_goal(plan, "Book the offsite", TODAY - DAY)
    assert sent_after_the_due_goal_was_completed(plan).subject == "Deadlines on your career plan"


def test_with_only_a_deadline_this_week_the_subject_is_about_deadlines(plan):
    not_due_goal(plan, "Send the pricing memo", TODAY + 3 * DAY)
    assert sent_after_the_due_goal_was_completed(plan).subject == "Deadlines on your career plan"


def test_with_only_a_quiet_plan_the_subject_asks_for_a_next_step(plan):
    quiet(plan)
    message = sent_after_the_due_goal_was_completed(plan)
    assert message.subject == "Your career plan needs a next step"
    assert "GONE QUIET" in message.body


# --- The greeting and the footer ------------------------------------------------------------------


def test_the_digest_greets_them_by_name_and_links_to_their_dashboard_and_settings(plan):
    ReminderSettings.objects.create(user=plan.owner, hour=8, weekday=ReminderSettings.Weekday.TUESDAY)

    message = sent_after_the_due_goal_was_quiet_or_not(plan)

    html = message.alternatives[0][0]
    assert message.body.startswith("Hello alice,\n") and "Hello alice, here is" in html
    dashboard = settings.SITE_URL + reverse("home")
    reminder_settings = settings.SITE_URL + reverse("goals:reminder_settings")
    assert f"Your dashboard: {dashboard}\n" in message.body and f'href="{dashboard}"' in html
    assert "You get this email at 08:00 on Tuesdays (UTC) when your plan needs attention." in message.body
    assert f"Change when, or pause: {reminder_settings}\n" in message.body
    assert f'href="{reminder_settings}"' in html


def sent_after_the_due_goal_was_quiet_or_not(plan):
    """The digest the sweep sends now, whatever their slot (the goal is due by its column)."""
    due_goal(plan, title="Keep the digest going")
    sweep.sweep()
    [message] = mail.outbox
    return message


# --- Their own date, not the server's --------------------------------------------------------------


def test_in_auckland_tomorrow_is_already_today(plan):
    """At noon UTC on 15 June it is already 16 June in Auckland: a certification expiring on the
    16th has lapsed there (recommended again as a renewal), and a goal from the 15th to the 17th
    is half-way through its time with nothing done: behind."""
    ReminderSettings.objects.create(user=plan.owner, timezone="Pacific/Auckland")
    cpl = CertificationFactory(name="Certified Product Leader", abbreviation="CPL")
    plan.target_role.recommended_certifications.add(cpl)
    PlanCertificationFactory(
        plan=plan,
        certification=cpl,
        status=PlanCertification.Status.EARNED,
        earned_on=TODAY - 700 * DAY,
        expires_on=TODAY + DAY,
    )
    GoalFactory(
        plan=plan,
        title="Ship the onboarding fix",
        next_reminder_at=NOW - timedelta(minutes=5),
        start_date=TODAY,
        deadline=TODAY + 2 * DAY,
    )

    sweep.sweep()

    [message] = mail.outbox
    assert "Courses completed: 0 of 3 courses · 0% · Behind" in message.body
    [recommended] = items(message.body, "FOR WHERE YOU WANT TO GO")
    assert "Certified Product Leader (CPL) (to renew: yours expired on 16 Jun)" in recommended


@pytest.mark.parametrize(("zone", "listed"), [("Pacific/Auckland", True), ("Europe/London", False)])
def test_a_goal_not_due_is_behind_or_at_risk_by_the_persons_own_date(plan, zone, listed):
    """Eight days into eighty with nothing done is on the line (a tenth behind, the tolerance) on
    15 June; on 16 June, already the date in Auckland, it is at risk and the digest says so."""
    ReminderSettings.objects.create(user=plan.owner, timezone=zone)
    GoalFactory(
        plan=plan,
        title="Climb the ladder",
        start_date=TODAY - 8 * DAY,
        deadline=TODAY + 72 * DAY,
        next_reminder_at=NOW + 7 * DAY,
    )

    slipping = items(digest_text(plan), "BEHIND OR AT RISK")

    assert [line.split(" Check in:")[0] for line in slipping if line.startswith("Climb the ladder")] == (
        [f"Climb the ladder ({plan.title}): 0% done, at risk; due 26 Aug."] if listed else []
    )


def test_a_goal_on_its_line_is_on_track_where_the_person_is(plan):
    """The same goal in London, where it is still the 15th: on track."""
    GoalFactory(
        plan=plan,
        title="Ship the onboarding fix",
        next_reminder_at=NOW - timedelta(minutes=5),
        start_date=TODAY,
        deadline=TODAY + 2 * DAY,
    )
    sweep.sweep()
    [message] = mail.outbox
    assert "Courses completed: 0 of 3 courses · 0% · On track" in message.body


# --- The unsubscribe token ---------------------------------------------------------------------------


def test_an_unsubscribe_token_reads_back_as_its_person_for_180_days(alice):
    token = tokens.unsubscribe_token(alice)
    assert tokens.read_unsubscribe_link(token)[0] == alice.pk
    with time_machine.travel(NOW + 180 * DAY, tick=False):
        assert tokens.read_unsubscribe_link(token)[0] == alice.pk
    with (
        time_machine.travel(NOW + 180 * DAY + timedelta(seconds=1), tick=False),
        pytest.raises(signing.SignatureExpired),
    ):
        tokens.read_unsubscribe_link(token)


def test_a_token_signed_for_something_else_is_not_an_unsubscribe_token(alice):
    other = signing.dumps(alice.pk, salt="goals.check-in-link")
    with pytest.raises(signing.BadSignature):
        tokens.read_unsubscribe_link(other)


# --- Why a digest goes out (the settings page: "Your next reminder: …, for …") -------------------

REASONS = [
    ("due", "goal due for a check-in", "goals due for a check-in"),
    ("overdue", "goal past its deadline", "goals past their deadline"),
    ("deadlines", "deadline this week", "deadlines this week"),
    ("milestones", "milestone due", "milestones due"),
    ("slipping", "goal behind or at risk", "goals behind or at risk"),
    ("one_on_ones", "1:1 coming up", "1:1s coming up"),
    (
        "mentees_behind",
        "person you mentor with goals behind or at risk",
        "people you mentor with goals behind or at risk",
    ),
    ("mentees_quiet", "person you mentor gone quiet", "people you mentor gone quiet"),
    ("stalled", "plan gone quiet", "plans gone quiet"),
    ("expiry_news", "certification about to expire", "certifications about to expire"),
    ("changes", "plan whose roles' requirements changed", "plans whose roles' requirements changed"),
]


def digest_of(count: int, **kinds: bool) -> Digest:
    """A digest with ``count`` rows of each kind named (a person they mentor: behind, or quiet)."""
    rows = {kind: [object()] * count for kind in kinds if not kind.startswith("mentees_")}
    mentees = [
        SimpleNamespace(behind="mentees_behind" in kinds, at_risk=False, quiet="mentees_quiet" in kinds)
    ] * count
    return Digest(user=None, prefs=ReminderSettings(), today=TODAY, mentees=mentees, **rows)  # type: ignore[arg-type]


@pytest.mark.parametrize(("count", "number"), [(1, "one"), (2, "two")])
def test_the_reasons_for_a_digest_name_each_kind_singular_or_plural_in_the_digests_order(count, number):
    digest = digest_of(count, **{kind: True for kind, _, _ in REASONS})

    assert digest.reasons() == [f"{number} {one if count == 1 else many}" for _, one, many in REASONS]


@pytest.mark.parametrize(("kind", "one", "many"), REASONS, ids=[kind for kind, _, _ in REASONS])
def test_each_kind_alone_is_a_reason_to_send(kind, one, many):
    assert digest_of(1, **{kind: True}).reasons() == [f"one {one}"]
    assert not digest_of(1, **{kind: True}).is_empty and digest_of(0, **{kind: True}).is_empty


NEXT_STEP = "Your career plan needs a next step"


@pytest.mark.parametrize(
    ("kinds", "subject"),
    [
        (("due",), "Time to check in: 1 goal on your career plan"),
        (("due", "overdue", "slipping"), "Time to check in: 1 goal on your career plan"),
        (("overdue",), "Deadlines on your career plan"),
        (("deadlines", "slipping"), "Deadlines on your career plan"),
        (("slipping", "expiry_news"), "Goals behind on your career plan"),
        (("expiry_news",), "A certification on your career plan expires soon"),
        (("expiry_news", "milestones"), NEXT_STEP),
        (("expiry_news", "stalled"), NEXT_STEP),
        (("expiry_news", "changes"), NEXT_STEP),
        (("mentees_behind",), "The people you mentor"),
        (("mentees_quiet", "one_on_ones"), "The people you mentor"),
        (("mentees_behind", "milestones"), NEXT_STEP),
        (("mentees_behind", "stalled"), NEXT_STEP),
        (("mentees_quiet", "changes"), NEXT_STEP),
        (("one_on_ones",), "A 1:1 coming up"),
        (("one_on_ones", "milestones"), NEXT_STEP),
        (("later",), NEXT_STEP),
    ],
    ids=" + ".join,
)
def test_the_subject_names_what_matters_most_in_the_digest(kinds, subject):
    """A goal due first, then deadlines, goals behind, a certification alone, the people they
    mentor or a 1:1 when nothing of their own plans is said; otherwise a next step."""
    assert digest_of(1, **dict.fromkeys(kinds, True)).subject() == subject


def test_two_goals_due_are_counted_in_the_subject():
    assert digest_of(2, due=True).subject() == "Time to check in: 2 goals on your career plan"
