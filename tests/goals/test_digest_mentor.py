"""The mentor's digest (issue 24, item 5): opted in on the reminder settings page, a mentor gets
one email a period about the people who share a plan with them (who is behind, who went quiet, the
1:1s coming up), even without a plan of their own; never one per person; revoking a share takes
that person out of the next one. Sent the sweep's way (tasks inline, Django's test outbox).

Time is frozen at tests/conftest.py NOW (a Monday, 12:00 UTC).
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.models import ReminderDelivery, ReminderSettings
from goals.oneonones.models import OneOnOne, Side
from goals.reminders import sending, sweep
from goals.reminders.digest import build_digests
from goals.reminders.mentees import MENTEE_QUIET_DAYS
from goals.reminders.models import ReminderNudge
from goals.services import reminder_settings_save
from plans.models import SkillAssessment
from plans.sharing.services import share_revoke
from tests.conftest import NOW, TODAY, body_text, make_user
from tests.factories import SkillFactory
from tests.goals.factories import CheckInFactory, GoalFactory
from tests.plans.factories import CareerPlanFactory, ShareFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

LONG_AGO = NOW - timedelta(days=90)


def opt_in(user, *, mentor_digest: bool = True) -> None:
    reminder_settings_save(
        user=user,
        timezone="UTC",
        hour=12,
        weekday=NOW.weekday(),
        default_cadence="weekly",
        paused_until=None,
        mentor_digest=mentor_digest,
    )


def mentee(name: str, mentor, *, behind: bool = False, quiet: bool = False):
    """Someone sharing a plan with ``mentor``: a goal behind (nothing done, near its deadline) or on
    track; quiet (last checked in 40 days ago, on track then) or checked in yesterday. Made 90
    days ago."""
    user = make_user(f"{name.lower()}@example.com", "pw")
    user.first_name = name
    user.save()
    plan = CareerPlanFactory(owner=user, title=f"{name}'s plan")
    CareerPlanFactory._meta.model.objects.filter(pk=plan.pk).update(created_at=LONG_AGO)
    goal = GoalFactory(
        plan=plan,
        title=f"{name}'s goal",
        baseline=Decimal(0),
        target=Decimal(10),
        start_date=TODAY - timedelta(days=90),
        deadline=TODAY + timedelta(days=10 if behind else 300),
    )
    checked_on = TODAY - timedelta(days=40 if quiet else 1)
    CheckInFactory(goal=goal, value=Decimal(0 if behind else 3), checked_on=checked_on)
    share = ShareFactory(plan=plan, user=mentor)
    return share


@pytest.fixture
def mentor(db):
    user = make_user("maya@example.com", "pw")
    user.first_name = "Maya"
    user.save()
    return user


@pytest.fixture
def three(mentor):
    """Ben behind, Cleo gone quiet, Dev on track and moving; a 1:1 with Dev on Wednesday."""
    shares = {
        "Ben": mentee("Ben", mentor, behind=True),
        "Cleo": mentee("Cleo", mentor, quiet=True),
        "Dev": mentee("Dev", mentor),
    }
    OneOnOne.objects.create(
        plan=shares["Dev"].plan,
        share=shares["Dev"],
        starts_at=NOW + timedelta(days=2, hours=2),
        started_by=Side.MENTOR,
    )
    return shares


def send_due() -> list:
    ids = sweep.sweep(enqueue=False).deliveries
    sending.send_deliveries(ids)
    return [m for m in mail.outbox if m.to == ["maya@example.com"]]


def test_a_mentor_who_opted_in_gets_one_email_about_her_three_people(mentor, three):
    opt_in(mentor)
    ReminderNudge.objects.filter(user=mentor).update(next_at=NOW - timedelta(minutes=1))

    [email] = send_due()

    assert email.subject == "The people you mentor"
    text, html = email.body, email.alternatives[0][0]
    assert "THE PEOPLE YOU MENTOR" in text
    assert "Here is how the people you mentor are doing now" in text  # no plan of her own
    plain = text.replace(settings.SITE_URL, "")
    assert (
        f"- Ben (\"Ben's plan\"): 1 goal behind: Ben's goal. {three['Ben'].plan.get_absolute_url()}" in plain
    )
    assert 'Cleo ("Cleo\'s plan"): 1 goal' not in text
    assert '- Cleo ("Cleo\'s plan") has gone quiet: nothing moved since 6 May.' in text
    assert "Dev" not in text.split("THE PEOPLE YOU MENTOR")[1].split("Your dashboard")[0]  # on track
    assert "1:1S COMING UP" in text and "Wednesday 17 Jun, 14:00: 1:1 with Dev" in text
    assert "when your plan or the people you mentor need attention" in text
    assert "The people you mentor</h2>" in html
    assert "Ben</a> <span" in html and "1 goal behind" in html and "has gone quiet" in html
    assert "1:1 with Dev" in html
    # One email for the three, one delivery for the period.
    assert ReminderDelivery.objects.filter(user=mentor).count() == 1
    assert ReminderDelivery.objects.get(user=mentor).status == ReminderDelivery.Status.SENT


def test_someone_who_moved_within_three_weeks_is_not_quiet_and_one_who_did_before_is(mentor):
    opt_in(mentor)
    recent = mentee("Ana", mentor, quiet=True)
    SkillAssessment.objects.create(
        plan=recent.plan,
        skill=SkillFactory(),
        level=1,
        assessed_at=NOW - timedelta(days=MENTEE_QUIET_DAYS - 1),
    )
    old = mentee("Olu", mentor, quiet=True)
    CheckInFactory(
        goal=old.plan.goals.get(), value=Decimal(5), checked_on=TODAY - timedelta(days=MENTEE_QUIET_DAYS + 1)
    )

    [digest] = build_digests([(mentor, [])], now=NOW)

    assert [line.name for line in digest.mentees_quiet] == ["Olu"]
    text = digest.render(now=NOW)[0].text
    assert "nothing moved since 24 May" in text


def test_a_mentor_who_did_not_opt_in_hears_nothing_about_her_people(mentor, three):
    opt_in(mentor, mentor_digest=False)
    own = CareerPlanFactory(owner=mentor, title="Maya's own plan")
    GoalFactory(plan=own, title="Maya's goal", next_reminder_at=NOW - timedelta(minutes=5))

    [email] = send_due()

    assert "Maya's goal" in email.body
    assert "Here is what your career plan needs from you now" in email.body
    assert "PEOPLE YOU MENTOR" not in email.body and "Ben" not in email.body and "Cleo" not in email.body
    assert "The people you mentor" not in email.alternatives[0][0]


def test_without_opting_in_or_a_plan_no_digest_is_written(mentor, three):
    opt_in(mentor, mentor_digest=False)
    ReminderNudge.objects.filter(user=mentor).update(next_at=NOW - timedelta(minutes=1))
    assert send_due() == []
    assert not ReminderDelivery.objects.filter(user=mentor).exists()


def test_revoking_a_share_takes_that_person_out_of_the_next_digest(mentor, three):
    opt_in(mentor)
    [digest] = build_digests([(mentor, [])], now=NOW)
    assert {line.name for line in digest.mentees} == {"Ben", "Cleo", "Dev"}

    share_revoke(share=three["Ben"])

    [digest] = build_digests([(mentor, [])], now=NOW)
    assert {line.name for line in digest.mentees} == {"Cleo", "Dev"}
    text = digest.render(now=NOW)[0].text
    assert "Ben" not in text and "Cleo" in text


def test_an_unaccepted_invitation_and_an_archived_plan_are_not_in_it(mentor):
    opt_in(mentor)
    waiting = mentee("Ivy", mentor, behind=True)
    waiting.user, waiting.accepted_at = None, None
    waiting.save()
    never = mentee("Nia", mentor)
    never.plan.goals.get().check_ins.all().delete()
    archived = mentee("Abe", mentor, behind=True)
    archived.plan.status = archived.plan.Status.ARCHIVED
    archived.plan.save()

    [digest] = build_digests([(mentor, [])], now=NOW)

    assert [line.name for line in digest.mentees] == ["Nia"]
    text = digest.render(now=NOW)[0].text
    assert '- Nia ("Nia\'s plan") has gone quiet: nothing moved since the plan was made.' in text


def people(mentor, first: int, count: int, *, skill_goals: bool = False) -> None:
    for number in range(first, first + count):
        share = mentee(f"P{number}", mentor, behind=number % 2 == 0, quiet=number % 3 == 0)
        if skill_goals:  # its value is the plan's self-assessment of the skill
            GoalFactory(
                plan=share.plan,
                title=f"Level up {number}",
                skill=SkillFactory(),
                unit="level",
                metric="Self-assessed level",
                baseline=Decimal(1),
                target=Decimal(3),
                start_date=TODAY - timedelta(days=90),
                deadline=TODAY + timedelta(days=5),
            )


@pytest.mark.parametrize(("skill_goals", "added"), [(False, 5), (True, 6)])
def test_the_mentor_section_adds_the_same_queries_for_one_person_and_for_twenty(db, skill_goals, added):
    """Five queries for the section (shares with plans and owners, the goals' standing, the latest
    check-ins, activities and self-assessments), and one for the plans' self-assessments when a
    skill-level goal is among the goals read, whether a set's mentors have 1 person or 20."""
    counts = []
    for label, size in (("a", 1), ("b", 20)):
        mentor = make_user(f"mentor-{label}@example.com", "pw")
        opt_in(mentor)
        people(mentor, first=100 if label == "b" else 0, count=size, skill_goals=skill_goals)
        mentor = type(mentor).objects.select_related("reminder_settings").get(pk=mentor.pk)
        with CaptureQueriesContext(connection) as opted:
            [digest] = build_digests([(mentor, [])], now=NOW)
        assert len(digest.mentees) == size
        assert all(line.behind for line in digest.mentees) or not skill_goals  # read, and behind
        ReminderSettings.objects.filter(user=mentor).update(mentor_digest=False)
        mentor = type(mentor).objects.select_related("reminder_settings").get(pk=mentor.pk)
        with CaptureQueriesContext(connection) as plain:
            build_digests([(mentor, [])], now=NOW)
        counts.append((len(opted), len(plain)))
    assert counts[0] == counts[1]
    assert counts[0][0] - counts[0][1] == added


def test_the_mentor_section_costs_a_set_of_mentors_no_more_than_one(db):
    counts = []
    for size in (1, 4):
        mentors = []
        for number in range(size):
            mentor = make_user(f"m{size}-{number}@example.com", "pw")
            opt_in(mentor)
            people(mentor, first=1000 * size + 10 * number, count=3)
            mentors.append(type(mentor).objects.select_related("reminder_settings").get(pk=mentor.pk))
        with CaptureQueriesContext(connection) as queries:
            digests = build_digests([(mentor, []) for mentor in mentors], now=NOW)
        assert [len(d.mentees) for d in digests] == [3] * size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_opting_in_is_a_checkbox_on_the_settings_page_and_saved(client, mentor, three):
    client.force_login(mentor)
    page = client.get(reverse("goals:reminder_settings")).content.decode()
    assert "Add the people I mentor to my digest" in page
    assert f"no check-in, assessment or activity for {MENTEE_QUIET_DAYS} days" in page

    response = client.post(
        reverse("goals:reminder_settings"),
        {"timezone": "UTC", "weekday": "0", "hour": "12", "default_cadence": "weekly", "mentor_digest": "on"},
    )

    assert response.status_code == 302
    assert ReminderSettings.objects.get(user=mentor).mentor_digest
    # No plan of her own, yet a digest is coming, and the page previews it with her people.
    page = client.get(reverse("goals:reminder_settings")).content.decode()
    assert "Preview of your next digest" in page
    assert "THE PEOPLE YOU MENTOR" in page and "Ben" in page
    html = client.get(reverse("goals:reminder_preview")).content.decode()
    assert "The people you mentor</h2>" in html and "has gone quiet" in html


def test_leaving_the_box_unticked_keeps_her_out_and_the_page_says_why_none(client, mentor, three):
    client.force_login(mentor)
    client.post(
        reverse("goals:reminder_settings"),
        {"timezone": "UTC", "weekday": "0", "hour": "12", "default_cadence": "weekly"},
    )
    assert not ReminderSettings.objects.get(user=mentor).mentor_digest
    page = client.get(reverse("goals:reminder_settings")).content.decode()
    assert "You have no active plan" in page
    assert client.get(reverse("goals:reminder_preview")).status_code == 404


def test_the_api_keeps_the_choice_it_does_not_offer(mentor):
    opt_in(mentor)
    reminder_settings_save(
        user=mentor, timezone="UTC", hour=9, weekday=0, default_cadence="weekly", paused_until=None
    )
    assert ReminderSettings.objects.get(user=mentor).mentor_digest
    assert timezone.now() == NOW


def test_through_a_real_smtp_server_she_gets_one_message_with_both_parts(mentor, three, smtp_server):
    opt_in(mentor)
    ReminderNudge.objects.filter(user=mentor).update(next_at=NOW - timedelta(minutes=1))

    ids = sweep.sweep(enqueue=False).deliveries
    assert sending.send_deliveries(ids) == 1

    [message] = smtp_server.wait_for(1)
    assert message["To"] == "maya@example.com" and message["Subject"] == "The people you mentor"
    text = body_text(message)
    assert "- Ben (\"Ben's plan\"): 1 goal behind: Ben's goal." in text
    assert '- Cleo ("Cleo\'s plan") has gone quiet: nothing moved since 6 May.' in text
    assert "Wednesday 17 Jun, 14:00: 1:1 with Dev" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "The people you mentor</h2>" in html and "has gone quiet" in html and "1:1 with Dev" in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
