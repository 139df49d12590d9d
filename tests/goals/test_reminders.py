"""Reminder digests: who is due, what one digest says, its links and headers, and sending it once.

Time is frozen (time-machine) at Monday 15 June 2026, 12:00 UTC (tests/conftest.py NOW). Unit
tests here run tasks inline; tests/goals/test_reminder_delivery.py runs a real worker.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from goals.models import Goal, ReminderDelivery, ReminderSettings
from goals.reminders import sweep
from goals.reminders.sending import send_delivery
from goals.reminders.tokens import CHECK_IN_LINK_MAX_AGE, check_in_link, unsubscribe_url
from plans.models import CareerPlan, PlanCertification
from tests.conftest import NOW, TODAY, make_user
from tests.factories import CertificationFactory
from tests.goals.factories import CheckInFactory, GoalFactory, MilestoneFactory
from tests.plans.factories import PlanCertificationFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

DUE = NOW - timedelta(minutes=5)


def due_goal(plan, **kwargs) -> Goal:
    return GoalFactory(plan=plan, next_reminder_at=DUE, start_date=TODAY - timedelta(days=20), **kwargs)


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


# --- Who is due ---------------------------------------------------------------------------


def test_one_digest_per_person_with_their_due_goals(plan, alice):
    first, second = (
        due_goal(plan, title="Interview five customers"),
        due_goal(plan, title="Ship a pricing test"),
    )
    GoalFactory(plan=plan, title="Not due yet", next_reminder_at=NOW + timedelta(hours=1))

    result = sweep.sweep()

    assert result.claimed == 2
    [delivery] = ReminderDelivery.objects.all()
    assert delivery.user == alice and sorted(delivery.goal_ids) == sorted([first.pk, second.pk])
    [message] = mail.outbox  # one email, not one per goal
    assert message.to == ["alice@example.com"]
    text = message.body
    assert "Interview five customers" in text and "Ship a pricing test" in text
    assert "Not due yet" not in text.split("TIME TO CHECK IN", 1)[1].split("\n\n", 1)[0]
    delivery.refresh_from_db()
    assert delivery.status == ReminderDelivery.Status.SENT and delivery.sent_at == NOW


def test_claiming_moves_the_reminder_to_the_next_slot(plan):
    goal = due_goal(plan)
    sweep.sweep()
    goal.refresh_from_db()
    # Default settings: Mondays 09:00 UTC; weekly from Monday 15 June 12:00 → Monday 22 June 09:00.
    assert goal.next_reminder_at == NOW.replace(day=22, hour=9)


def test_a_second_sweep_sends_nothing_more(plan):
    due_goal(plan)
    sweep.sweep()
    sweep.sweep()
    assert ReminderDelivery.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_goal_another_sweep_already_moved_is_not_claimed_again(plan):
    goal = due_goal(plan)
    moved = NOW + timedelta(days=7)
    Goal.objects.filter(pk=goal.pk).update(next_reminder_at=moved)
    # The stale read (the old next_reminder_at) no longer matches: the conditional update claims nothing.
    assert sweep._move(Goal, [(goal.pk, DUE, NOW + timedelta(days=3))]) == []
    goal.refresh_from_db()
    assert goal.next_reminder_at == moved


@pytest.mark.parametrize(
    "case",
    ["paused goal", "completed goal", "archived plan", "unverified address", "unsubscribed", "paused person"],
)
def test_people_and_goals_that_get_nothing(plan, alice, case):
    goal = due_goal(plan)
    if case == "paused goal":
        Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.PAUSED)
    elif case == "completed goal":
        Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.COMPLETED)
    elif case == "archived plan":
        CareerPlan.objects.filter(pk=plan.pk).update(status=CareerPlan.Status.ARCHIVED)
    elif case == "unverified address":
        EmailAddress.objects.filter(user=alice).update(verified=False)
    elif case == "unsubscribed":
        from goals import services

        services.reminder_unsubscribe(user=alice)
    elif case == "paused person":
        ReminderSettings.objects.create(user=alice, paused_until=TODAY + timedelta(days=10))
        goal.schedule_next_reminder()
        goal.save()

    sweep.sweep()

    assert not ReminderDelivery.objects.exists()
    assert mail.outbox == []


def test_goals_on_an_archived_plan_move_on_silently(plan):
    goal = due_goal(plan)
    CareerPlan.objects.filter(pk=plan.pk).update(status=CareerPlan.Status.ARCHIVED)
    sweep.sweep()
    goal.refresh_from_db()
    assert goal.next_reminder_at > NOW  # not left in the due range for every sweep to read again


def test_a_rolled_back_sweep_enqueues_nothing(transactional_db, monkeypatch):
    from tests.plans.factories import CareerPlanFactory

    alice = make_user("alice@example.com", "pw")
    goal = due_goal(CareerPlanFactory(owner=alice))
    enqueued = []
    monkeypatch.setattr(sweep, "enqueue_deliveries", enqueued.append)
    with pytest.raises(RuntimeError), transaction.atomic():
        sweep.sweep()
        raise RuntimeError("the sweep's transaction failed")
    assert enqueued == []
    assert not ReminderDelivery.objects.exists()
    goal.refresh_from_db()
    assert goal.next_reminder_at == DUE  # still due: the next sweep claims it


# --- What the digest says ------------------------------------------------------------------


@pytest.fixture
def full_digest(plan, alice):
    """One of everything a digest can carry, and the sent message."""
    due = due_goal(
        plan,
        title="Run five customer interviews",
        metric="Interviews",
        unit="interviews",
        baseline=0,
        target=5,
        deadline=TODAY + timedelta(days=60),
    )
    CheckInFactory(goal=due, value=Decimal(2), checked_on=TODAY - timedelta(days=8))
    GoalFactory(
        plan=plan,
        title="Publish the roadmap",
        next_reminder_at=NOW + timedelta(days=3),
        start_date=TODAY - timedelta(days=30),
        deadline=TODAY + timedelta(days=1),
    )
    overdue = GoalFactory(
        plan=plan,
        title="Finish the analytics course",
        start_date=TODAY - timedelta(days=90),
        deadline=TODAY + timedelta(days=1),
        next_reminder_at=NOW + timedelta(days=3),
    )
    Goal.objects.filter(pk=overdue.pk).update(deadline=TODAY - timedelta(days=3))
    MilestoneFactory(goal=due, title="Interview script reviewed", due_date=TODAY + timedelta(days=2))
    cpm = CertificationFactory(name="Certified Product Manager", abbreviation="CPM", validity_months=None)
    PlanCertificationFactory(
        plan=plan,
        certification=cpm,
        status=PlanCertification.Status.EARNED,
        earned_on=TODAY - timedelta(days=700),
        expires_on=TODAY + timedelta(days=25),
    )
    cpl = CertificationFactory(name="Certified Product Leader", abbreviation="CPL")
    plan.target_role.recommended_certifications.add(cpl)
    ReminderSettings.objects.create(user=alice, timezone="Europe/Berlin", hour=9)
    sweep.sweep()
    [message] = mail.outbox
    return message


def test_the_digest_text_has_every_part(full_digest):
    text = full_digest.body
    assert full_digest.subject == "Time to check in: 1 goal on your career plan"
    assert "Run five customer interviews" in text and "2 of 5 interviews · 40%" in text
    assert "Publish the roadmap: due" in text and "(tomorrow)" in text
    assert "Finish the analytics course: the deadline was" in text
    assert "Interview script reviewed" in text
    assert "CPM" in text and "expires on" in text and "within 30 days" in text
    assert "recommends: Certified Product Leader (CPL)" in text
    assert "14:00, Europe/Berlin time" in text  # 12:00 UTC on the person's own clock
    assert "/goals/check-in/" in text and "/goals/unsubscribe/" in text


def test_the_digest_html_has_every_part_with_inline_styles(full_digest):
    html = full_digest.alternatives[0][0]
    assert full_digest.alternatives[0][1] == "text/html"
    for part in (
        "Run five customer interviews",
        "Publish the roadmap",
        "Finish the analytics course",
        "Interview script reviewed",
        "CPM",
        "Certified Product Leader",
        "Check in on this goal",
    ):
        assert part in html
    assert 'width="40%"' in html  # the progress bar
    assert "<link" not in html and "<style" not in html and "src=" not in html  # no external assets


def test_a_stalled_plan_gets_one_next_step(plan, alice):
    with time_machine.travel(NOW - timedelta(days=60), tick=False):
        CareerPlan.objects.filter(pk=plan.pk).update(created_at=NOW - timedelta(days=60))
        goal = due_goal(plan, title="Quiet goal")
    CheckInFactory(goal=goal, value=1, checked_on=TODAY - timedelta(days=45))
    sweep.sweep()
    text = mail.outbox[0].body
    assert "GONE QUIET" in text and "Become a Senior PM" in text
    assert "Assess your skills to see the gap" in text  # no assessment yet: that comes first


def test_both_list_unsubscribe_headers(plan):
    due_goal(plan)
    sweep.sweep()
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "/goals/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_delivery_is_sent_once_whatever_happens(plan):
    due_goal(plan)
    result = sweep.sweep()
    [delivery_id] = result.deliveries
    assert send_delivery(delivery_id) is False  # already sent: returns at once
    assert len(mail.outbox) == 1


# --- The links in the email ----------------------------------------------------------------


def test_the_check_in_link_opens_the_goals_check_in_form(plan, alice_client):
    goal = due_goal(plan)
    response = alice_client.get(path_of(check_in_link(goal)), follow=True)
    assert response.redirect_chain[-1][0] == reverse("goals:check_in_add", args=[goal.pk])
    assert "Record progress" in response.content.decode()


def test_the_check_in_link_is_404_for_another_user(plan, bob_client):
    goal = due_goal(plan)
    assert bob_client.get(path_of(check_in_link(goal))).status_code == 404


def test_the_check_in_link_asks_an_anonymous_visitor_to_sign_in(plan, client):
    goal = due_goal(plan)
    response = client.get(path_of(check_in_link(goal)))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_forged_or_expired_check_in_link_is_refused(plan, alice, alice_client):
    goal = due_goal(plan)
    link = path_of(check_in_link(goal))
    assert alice_client.get(link[:-3] + "xx/").status_code == 404
    with time_machine.travel(NOW + CHECK_IN_LINK_MAX_AGE + timedelta(minutes=1), tick=False):
        alice_client.force_login(alice)  # a fresh session: only the link is old
        response = alice_client.get(link)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_get_never_unsubscribes(alice):
    response = Client(enforce_csrf_checks=True).get(path_of(unsubscribe_url(alice)))
    assert response.status_code == 200
    assert "Unsubscribe from reminders?" in response.content.decode()
    assert ReminderSettings.for_user(alice).receives_reminders


def test_one_click_post_unsubscribes_without_sign_in_or_csrf_token(alice, plan):
    goal = due_goal(plan)
    response = Client(enforce_csrf_checks=True).post(
        path_of(unsubscribe_url(alice)), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not ReminderSettings.objects.get(user=alice).receives_reminders
    goal.refresh_from_db()
    assert goal.next_reminder_at is None
    sweep.sweep()
    assert mail.outbox == []


def test_a_bad_unsubscribe_token_is_refused(alice):
    url = path_of(unsubscribe_url(alice))
    response = Client().post(url[:-4] + "abc/")
    assert response.status_code == 404
    assert ReminderSettings.for_user(alice).receives_reminders


def test_the_goal_page_says_when_the_next_reminder_goes_out_in_the_persons_zone(plan, alice, alice_client):
    ReminderSettings.objects.create(user=alice, timezone="America/New_York", hour=8, weekday=2)
    goal = GoalFactory(plan=plan)
    goal.schedule_next_reminder()
    goal.save()
    html = alice_client.get(goal.get_absolute_url()).content.decode()
    # Wednesday 17 June is two days away: weekly lands on the next Wednesday at 08:00 New York time.
    assert "next reminder Wednesday 17 Jun, 08:00 (America/New_York" in html


# --- manage.py send_reminders ----------------------------------------------------------------


def test_send_reminders_dry_run_prints_who_would_get_what_and_changes_nothing(plan):
    from io import StringIO

    from django.core.management import call_command

    goal = due_goal(plan, title="Run five customer interviews")
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "alice@example.com: 1 goal(s) due: Run five customer interviews" in out.getvalue()
    assert not ReminderDelivery.objects.exists() and mail.outbox == []
    goal.refresh_from_db()
    assert goal.next_reminder_at == DUE


def test_send_reminders_sends_what_is_due_without_a_worker(plan, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from goals.reminders.tasks import send_deliveries

    def no_broker(*args, **kwargs):
        raise AssertionError("send_reminders must not need a broker")

    monkeypatch.setattr(send_deliveries, "delay", no_broker)
    due_goal(plan)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "1 due goal(s) claimed, 1 digest(s) sent" in out.getvalue()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
