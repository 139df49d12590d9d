"""A digest goes out whenever a person's plans have something to say, not only when a goal is due
(issue 23, item 2): each person with a plan has a next nudge (ReminderNudge) at their slot, which
the sweep claims as it claims goals; the digest built for it says what their plans need, or is
skipped when nothing. Still one per person and period.

Time is frozen at Monday 15 June 2026, 12:00 UTC (tests/conftest.py NOW); a plan made then is
first nudged at the default slot, Monday 22 June at 09:00 UTC (NUDGE).
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import partial

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import Goal, ReminderDelivery, ReminderSettings
from goals.reminders import sweep
from goals.reminders.models import ReminderNudge
from goals.services import reminder_settings_save, reminder_unsubscribe
from plans.models import CareerPlan, PlanCertification, SkillAssessment
from skills.models import RoleSkill
from tests.conftest import NOW, TODAY, make_user
from tests.factories import CertificationFactory, SkillFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory, PlanCertificationFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

DAY, WEEK = timedelta(days=1), timedelta(days=7)
NUDGE = datetime(2026, 6, 22, 9, 0, tzinfo=UTC)


def swept_at(moment: datetime) -> list:
    """The emails a sweep at ``moment`` sends (the sending task runs inline in tests)."""
    before = len(mail.outbox)
    with time_machine.travel(moment, tick=False):
        sweep.sweep()
    return mail.outbox[before:]


def section(text: str, heading: str) -> str:
    if heading not in text:
        return ""
    return text.split(heading, 1)[1].lstrip("\n").split("\n\n", 1)[0]


def quiet(plan: CareerPlan, *, days: int = 60) -> CareerPlan:
    CareerPlan.objects.filter(pk=plan.pk).update(created_at=NOW - days * DAY)
    return plan


def behind_goal(plan, **kwargs) -> Goal:
    """Two thirds of its time gone and no progress: behind. Its next reminder is a month away."""
    kwargs.setdefault("title", "Ship the pricing page")
    kwargs.setdefault("reminder_cadence", Goal.Cadence.MONTHLY)
    kwargs.setdefault("next_reminder_at", NOW + 20 * DAY)
    return GoalFactory(plan=plan, start_date=TODAY - 60 * DAY, deadline=TODAY + 30 * DAY, **kwargs)


# --- Who is nudged, and when ----------------------------------------------------------------------


def test_making_a_plan_starts_nudges_at_the_persons_first_slot(alice, ladder):
    CareerPlanFactory(owner=alice)
    assert ReminderNudge.objects.get(user=alice).next_at == NUDGE


def test_a_second_plan_keeps_the_nudge(alice):
    CareerPlanFactory(owner=alice)
    ReminderNudge.objects.filter(user=alice).update(next_at=NUDGE + DAY)
    CareerPlanFactory(owner=alice)
    assert ReminderNudge.objects.get(user=alice).next_at == NUDGE + DAY


def test_saved_settings_move_the_nudge_to_their_first_slot_and_unsubscribing_stops_it(alice):
    CareerPlanFactory(owner=alice)
    reminder_settings_save(
        user=alice, timezone="Europe/Berlin", hour=17, weekday=0, default_cadence="weekly", paused_until=None
    )
    # Today is Monday, and 17:00 in Berlin (15:00 UTC) is still to come.
    assert ReminderNudge.objects.get(user=alice).next_at == datetime(2026, 6, 15, 15, 0, tzinfo=UTC)
    reminder_unsubscribe(user=alice)
    assert ReminderNudge.objects.get(user=alice).next_at is None


def test_no_reminders_for_new_goals_means_no_nudges(alice):
    CareerPlanFactory(owner=alice)
    reminder_settings_save(
        user=alice, timezone="UTC", hour=9, weekday=0, default_cadence="never", paused_until=None
    )
    assert ReminderNudge.objects.get(user=alice).next_at is None


def test_a_claimed_nudge_moves_one_cadence_on(bare_plan, alice):
    quiet(bare_plan)
    reminder_settings_save(
        user=alice, timezone="UTC", hour=9, weekday=0, default_cadence="fortnightly", paused_until=None
    )
    assert len(swept_at(NUDGE)) == 1
    assert ReminderNudge.objects.get(user=alice).next_at == NUDGE + 2 * WEEK


# --- What a nudge says ----------------------------------------------------------------------------


def test_a_person_with_a_behind_goal_and_no_due_goal_sees_it_in_their_next_digest(plan):
    behind_goal(plan)
    [message] = swept_at(NUDGE)
    assert message.subject == "Goals behind on your career plan"
    behind = section(message.body, "BEHIND OR AT RISK")
    assert "Ship the pricing page (Become a Senior PM): 0% done, behind; due 15 Jul." in behind
    assert "/goals/check-in/" in behind
    assert "Behind or at risk" in message.alternatives[0][0]


def test_a_goal_that_asked_for_no_reminders_is_never_the_reason(plan):
    behind_goal(plan, reminder_cadence=Goal.Cadence.NEVER, next_reminder_at=None)
    assert swept_at(NUDGE) == []
    assert ReminderDelivery.objects.get().status == ReminderDelivery.Status.SKIPPED


def test_only_five_goals_behind_are_named_and_the_rest_counted(plan):
    for n in range(7):
        behind_goal(plan, title=f"Behind {n}")
    [message] = swept_at(NUDGE)
    assert message.body.count("0% done, behind") == 5
    assert "- and 2 more on your dashboard." in message.body


def test_five_goals_behind_are_all_named_and_none_said_to_be_more(plan):
    for n in range(5):
        behind_goal(plan, title=f"Behind {n}")
    [message] = swept_at(NUDGE)
    assert message.body.count("0% done, behind") == 5
    assert "more on your dashboard" not in message.body


@pytest.mark.parametrize(
    "assessed, step, link",
    [
        (False, "Assess your skills to see the gap to your target role.", "/assess/"),
        (True, "Draft next steps from your gap.", "/draft/"),
    ],
    ids=["not assessed", "assessed"],
)
def test_a_quiet_plan_with_no_goals_gets_a_digest_naming_its_next_step(bare_plan, assessed, step, link):
    quiet(bare_plan)
    if assessed:
        SkillAssessment.objects.create(
            plan=bare_plan, skill=SkillFactory(), level=2, assessed_at=NOW - 40 * DAY
        )
    [message] = swept_at(NUDGE)
    assert message.subject == "Your career plan needs a next step"
    [line] = section(message.body, "GONE QUIET").splitlines()
    assert f'"{bare_plan.title}" has had no check-in, assessment or activity for a while.' in line
    assert f"Next step: {step}" in line and link in line


def test_a_new_plan_with_nothing_to_say_gets_no_email(bare_plan):
    assert swept_at(NUDGE) == []
    assert ReminderDelivery.objects.get().status == ReminderDelivery.Status.SKIPPED


def test_an_expiring_certification_alone_gets_a_digest_when_it_enters_each_window(bare_plan):
    PlanCertificationFactory(
        plan=bare_plan,
        certification=CertificationFactory(name="Certified Scrum Product Owner", abbreviation="CSPO"),
        status=PlanCertification.Status.EARNED,
        earned_on=TODAY - 700 * DAY,
        expires_on=TODAY + 50 * DAY,  # 43 days after NUDGE: in the 60-day window
    )
    [message] = swept_at(NUDGE)
    assert message.subject == "A certification on your career plan expires soon"
    assert "Certified Scrum Product Owner (CSPO) expires on 4 Aug (within 60 days)" in message.body
    # A week on, 36 days left, still the 60-day window: nothing new, no email.
    assert swept_at(NUDGE + WEEK) == []
    # Two weeks on, 29 days left: it entered the 30-day window.
    [later] = swept_at(NUDGE + 2 * WEEK)
    assert "(within 30 days)" in later.body


def cspo(plan: CareerPlan, *, expires_on) -> PlanCertification:
    return PlanCertificationFactory(
        plan=plan,
        certification=CertificationFactory(name="Certified Scrum Product Owner", abbreviation="CSPO"),
        status=PlanCertification.Status.EARNED,
        earned_on=TODAY - 700 * DAY,
        expires_on=expires_on,
    )


@pytest.mark.parametrize(
    ("days_at_first", "told_a_week_on"),
    [(30, False), (31, True)],
    ids=["exactly 30 days away: in the 30-day window already", "31 days away: it enters it"],
)
def test_an_expiry_exactly_on_a_windows_edge_at_the_last_digest_was_already_in_that_window(
    bare_plan, days_at_first, told_a_week_on
):
    """Told at 30 days (within 30 days), a week later is the same window: no email. Told at 31
    days (within 60), a week later it entered the 30-day window: told again."""
    cspo(bare_plan, expires_on=NUDGE.date() + days_at_first * DAY)
    [first] = swept_at(NUDGE)
    assert "(CSPO) expires on" in first.body

    later = swept_at(NUDGE + WEEK)

    assert [("(within 30 days)" in message.body) for message in later] == ([True] if told_a_week_on else [])


def test_a_certification_beyond_every_window_at_the_last_digest_is_told_when_it_enters_one(bare_plan):
    """The last digest (for a due goal) went out when the expiry was 62 days away, in no window; a
    week later, 55 days away, it entered the 60-day window."""
    GoalFactory(
        plan=bare_plan,
        title="Ship the pricing page",
        reminder_cadence=Goal.Cadence.MONTHLY,
        next_reminder_at=NUDGE,
    )
    cspo(bare_plan, expires_on=NUDGE.date() + 62 * DAY)
    [first] = swept_at(NUDGE)
    assert "Ship the pricing page" in first.body and "CSPO" not in first.body

    [later] = swept_at(NUDGE + WEEK)

    assert "Certified Scrum Product Owner (CSPO) expires on 23 Aug (within 60 days)" in later.body


def test_a_change_to_the_target_roles_requirements_is_in_the_next_digest_once(plan, ladder):
    skill = SkillFactory(name="Pricing strategy")
    with time_machine.travel(NOW + 2 * DAY, tick=False):
        RoleSkill.objects.create(role=plan.target_role, skill=skill, level=3)
    [message] = swept_at(NUDGE)
    changed = section(message.body, "REQUIREMENTS CHANGED")
    assert (
        'Senior Product Manager, your target in "Become a Senior PM": Pricing strategy added at level 3.'
        in changed
    )
    assert (
        f"Assess your skills against the new requirements: http://127.0.0.1:8000/plans/{plan.pk}/assess/"
        in (changed)
    )
    # The next week it has been told: no email for it again.
    assert swept_at(NUDGE + WEEK) == []


def set_level(role, skill, level: int, *, at: datetime) -> None:
    """An editor changes what ``role`` requires of ``skill`` at ``at`` (the history keeps when)."""
    with time_machine.travel(at, tick=False):
        requirement = RoleSkill.objects.get(role=role, skill=skill)
        requirement.level = level
        requirement.save()


def test_changes_to_the_current_and_the_target_roles_are_each_told_under_their_role_from_the_first_level(
    plan, ladder
):
    """Market analysis in the current role raised twice since the plan last changed (2 → 3 → 4) is
    one change, from the level before the first: 2 → 4. The target role's changes are told under it
    alone, by skill name (whichever changed first), and the current role's under it alone."""
    set_level(ladder.roles["senior"], ladder.skills["market"], 5, at=NOW + DAY)
    set_level(ladder.roles["apm"], ladder.skills["market"], 3, at=NOW + 2 * DAY)
    set_level(ladder.roles["senior"], ladder.skills["strategy"], 4, at=NOW + 2 * DAY)
    set_level(ladder.roles["apm"], ladder.skills["market"], 4, at=NOW + 3 * DAY)

    [message] = swept_at(NUDGE)

    told = [
        line for line in section(message.body, "REQUIREMENTS CHANGED").splitlines() if line.startswith("- ")
    ]
    assert told == [
        '- Senior Product Manager, your target in "Become a Senior PM": Business strategy 3 → 4, '
        "Market analysis 4 → 5.",
        '- Associate Product Manager, your current role in "Become a Senior PM": Market analysis 2 → 4.',
    ]


def test_a_plan_whose_current_role_is_its_target_is_told_a_change_once(alice, ladder):
    senior = ladder.roles["senior"]
    plan = CareerPlanFactory(owner=alice, title="Grow as a senior", current_role=senior, target_role=senior)
    set_level(senior, ladder.skills["strategy"], 4, at=NOW + 2 * DAY)

    [message] = swept_at(NUDGE)

    told = [
        line for line in section(message.body, "REQUIREMENTS CHANGED").splitlines() if line.startswith("- ")
    ]
    assert told == [f'- Senior Product Manager, your target in "{plan.title}": Business strategy 3 → 4.']


def sent_late(alice) -> date:
    """Alice's digest of Tuesday 16 June left at 09:00; Monday's, held up, left after it, at 11:00."""
    tuesday = TODAY + DAY
    for period, left in ((tuesday, time(9)), (TODAY, time(11))):
        ReminderDelivery.objects.create(
            user=alice,
            period=period,
            goal_ids=[],
            status=ReminderDelivery.Status.SENT,
            sent_at=datetime.combine(tuesday, left, tzinfo=UTC),
        )
    return tuesday


def test_a_digest_sent_late_counts_as_the_last_one_for_the_changes_it_told(alice, plan, ladder):
    """Monday's digest, sent at 11:00, told the requirement changed at 10:00: the next digest tells
    only the one changed since."""
    tuesday = sent_late(alice)
    at = partial(datetime.combine, tuesday, tzinfo=UTC)
    set_level(ladder.roles["senior"], ladder.skills["strategy"], 4, at=at(time(10)))
    set_level(ladder.roles["apm"], ladder.skills["market"], 3, at=at(time(12)))

    [message] = swept_at(NUDGE)

    told = [
        line for line in section(message.body, "REQUIREMENTS CHANGED").splitlines() if line.startswith("- ")
    ]
    assert told == [
        '- Associate Product Manager, your current role in "Become a Senior PM": Market analysis 2 → 3.'
    ]


def test_an_expiry_is_held_against_the_latest_day_a_digest_told_whenever_it_left(alice, bare_plan):
    """30 days from Tuesday 16 June, the latest day told (31 from Monday's, which left later): the
    expiry was in the 30-day window then and still is, so nothing is new and no digest goes out."""
    tuesday = sent_late(alice)
    cspo(bare_plan, expires_on=tuesday + 30 * DAY)

    assert swept_at(NUDGE) == []
    assert ReminderDelivery.objects.get(period=NUDGE.date()).status == ReminderDelivery.Status.SKIPPED


def test_a_goal_left_for_later_gets_a_follow_up_line(plan):
    goal = behind_goal(plan, plan_of_attack="", attack_later=True)
    [message] = swept_at(NUDGE)
    [line] = section(message.body, "LEFT FOR LATER").splitlines()
    assert 'How you\'ll get to "Ship the pricing page" was left for later: add a plan of attack' in line
    assert line.endswith(f"/goals/{goal.pk}/edit/#id_plan_of_attack")


def test_a_goal_left_for_later_alone_sends_nothing(plan):
    GoalFactory(plan=plan, plan_of_attack="", attack_later=True, next_reminder_at=NOW + 20 * DAY)
    assert swept_at(NUDGE) == []


# --- Still one digest per person and period -------------------------------------------------------


def test_a_due_goal_and_a_nudge_at_the_same_slot_make_one_digest_and_a_second_sweep_nothing(plan):
    quiet(plan)
    GoalFactory(plan=plan, title="Due at the slot", next_reminder_at=NUDGE)
    [message] = swept_at(NUDGE)
    assert "Due at the slot" in section(message.body, "TIME TO CHECK IN")
    assert swept_at(NUDGE + timedelta(minutes=5)) == []
    assert ReminderDelivery.objects.count() == 1


def test_goals_due_later_the_same_day_revive_a_nudge_that_had_nothing_to_say(plan, alice):
    assert swept_at(NUDGE) == []  # nothing to say at 09:00: skipped
    GoalFactory(plan=plan, title="Due at five", next_reminder_at=NUDGE + timedelta(hours=8))
    [message] = swept_at(NUDGE + timedelta(hours=8))
    assert "Due at five" in message.body
    assert ReminderDelivery.objects.get().status == ReminderDelivery.Status.SENT


@pytest.mark.parametrize("case", ["archived plan", "unverified address", "unsubscribed"])
def test_people_a_nudge_cannot_reach_get_nothing_and_move_on(bare_plan, alice, case):
    quiet(bare_plan)
    if case == "archived plan":
        CareerPlan.objects.filter(pk=bare_plan.pk).update(status=CareerPlan.Status.ARCHIVED)
    elif case == "unverified address":
        alice.emailaddress_set.update(verified=False)
    else:
        ReminderSettings.objects.create(user=alice, unsubscribed_at=NOW)
    assert swept_at(NUDGE) == []
    assert not ReminderDelivery.objects.exists()
    nudge = ReminderNudge.objects.get(user=alice).next_at
    assert nudge == (None if case == "unsubscribed" else NUDGE + WEEK)


# --- The sweep keeps its shape --------------------------------------------------------------------


def people_nudged(count: int, start: int) -> None:
    """``count`` people, each with a quiet plan; every other one a goal due at NUDGE too."""
    for n in range(start, start + count):
        plan = quiet(CareerPlanFactory(owner=make_user(f"person{n}@example.com", "pw")))
        if n % 2:
            GoalFactory(plan=plan, next_reminder_at=NUDGE)


def sweep_queries() -> int:
    with time_machine.travel(NUDGE, tick=False), CaptureQueriesContext(connection) as queries:
        result = sweep.sweep(enqueue=False)
    assert result.deliveries
    return len(queries)


def test_the_sweeps_queries_do_not_grow_with_the_number_of_people(db):
    people_nudged(2, start=0)
    few = sweep_queries()
    ReminderDelivery.objects.all().delete()
    ReminderNudge.objects.update(next_at=NUDGE)
    Goal.objects.filter(next_reminder_at__isnull=False).update(next_reminder_at=NUDGE)
    people_nudged(6, start=10)
    assert sweep_queries() == few
