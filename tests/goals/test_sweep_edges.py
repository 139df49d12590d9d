"""The reminder sweep at its edges (issue 28, from mutation testing): goals falling due later the
same local day join that day's pending digest, and only that one; who is reachable; batches, each
enqueued as it commits; a broker outage logged; everyone's own slot within one batch; the dry
run's order. Time is frozen at Monday 15 June 2026, 12:00 UTC (tests/conftest.py)."""

import io
import logging
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command

from base.models import OutgoingEmail
from goals.models import Goal, ReminderDelivery, ReminderSettings
from goals.reminders import sweep
from tests.conftest import NOW, TODAY, make_user
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_time")]

Status = ReminderDelivery.Status


def due_goal(plan, due=NOW, **kwargs) -> Goal:
    return GoalFactory(plan=plan, next_reminder_at=due, start_date=TODAY - timedelta(days=20), **kwargs)


def person_with_a_due_goal(email: str) -> tuple:
    user = make_user(email, "pw")
    return user, due_goal(CareerPlanFactory(owner=user))


# --- A pending digest takes the goals that fall due later the same day -------------------------


def test_a_goal_due_later_the_same_day_joins_that_days_pending_digest(plan, alice):
    first = due_goal(plan)
    sweep.sweep(now=NOW, enqueue=False)  # written, not sent yet
    [delivery] = ReminderDelivery.objects.all()
    later = due_goal(plan, due=NOW + timedelta(hours=1))

    result = sweep.sweep(now=NOW + timedelta(hours=2), enqueue=False)

    assert result.claimed == 1 and result.deliveries == [delivery.pk]
    delivery.refresh_from_db()
    assert delivery.status == Status.PENDING and delivery.goal_ids == [first.pk, later.pk]
    assert ReminderDelivery.objects.count() == 1


def test_a_goal_due_after_that_days_digest_went_out_waits_for_the_next_one(plan, alice):
    first = due_goal(plan)
    sweep.sweep(now=NOW)
    [delivery] = ReminderDelivery.objects.all()
    assert delivery.status == Status.SENT
    later = due_goal(plan, due=NOW + timedelta(hours=1))

    result = sweep.sweep(now=NOW + timedelta(hours=2))

    assert result.claimed == 1 and result.deliveries == []
    delivery.refresh_from_db()
    assert delivery.goal_ids == [first.pk]
    assert len(mail.outbox) == 1
    later.refresh_from_db()
    assert later.next_reminder_at == NOW.replace(day=22, hour=9)  # moved on to next Monday's


def test_a_pending_digest_of_another_date_is_left_alone(plan, alice):
    # Written while they lived east of here, for their local tomorrow, and not sent yet.
    other_date = ReminderDelivery.objects.create(
        user=alice, period=TODAY + timedelta(days=1), goal_ids=[], created_at=NOW + timedelta(minutes=1)
    )
    today = ReminderDelivery.objects.create(user=alice, period=TODAY, goal_ids=[])
    goal = due_goal(plan)

    result = sweep.sweep(now=NOW, enqueue=False)

    assert result.deliveries == [today.pk]
    today.refresh_from_db()
    other_date.refresh_from_db()
    assert today.goal_ids == [goal.pk] and other_date.goal_ids == []


def test_a_goal_joining_its_owners_pending_digest_leaves_another_persons_pending_digest_alone(plan, alice):
    """Two people each with a digest written earlier today and not sent yet; the sweep finds a goal
    of Alice's newly due, none of Carol's: Alice's digest takes it, Carol's stays as it was."""
    carol, carols_goal = person_with_a_due_goal("carol@example.com")
    carols_goal.next_reminder_at = NOW + timedelta(days=7)
    carols_goal.save()
    carols = ReminderDelivery.objects.create(user=carol, period=TODAY, goal_ids=[carols_goal.pk])
    alices = ReminderDelivery.objects.create(user=alice, period=TODAY, goal_ids=[])
    goal = due_goal(plan)

    result = sweep.sweep(now=NOW, enqueue=False)

    assert result.claimed == 1 and result.deliveries == [alices.pk]
    alices.refresh_from_db()
    carols.refresh_from_db()
    assert alices.goal_ids == [goal.pk] and alices.status == Status.PENDING
    assert carols.goal_ids == [carols_goal.pk] and carols.status == Status.PENDING


# --- Who is reachable ---------------------------------------------------------------------------


def test_a_person_is_reached_at_a_verified_sign_in_address_whatever_their_other_addresses(alice, bob):
    # Earlier people with several addresses: address ids and people's ids part ways, as they do.
    EmailAddress.objects.bulk_create(
        EmailAddress(user=bob, email=f"bob{n}@example.com", verified=True) for n in range(3)
    )
    carol, _ = person_with_a_due_goal("carol@example.com")
    assert EmailAddress.objects.get(user=carol).pk != carol.pk

    sweep.sweep(now=NOW)

    assert [message.to for message in mail.outbox] == [["carol@example.com"]]


def test_a_verified_second_address_does_not_make_an_unverified_sign_in_address_reachable():
    dave, _ = person_with_a_due_goal("dave@example.com")
    EmailAddress.objects.filter(user=dave).update(verified=False)
    EmailAddress.objects.create(user=dave, email="dave@work.example.com", primary=False, verified=True)

    sweep.sweep(now=NOW)

    assert mail.outbox == [] and not ReminderDelivery.objects.exists()


# --- Batches ------------------------------------------------------------------------------------


def test_a_sweep_in_batches_claims_every_due_goal_and_enqueues_each_batch_as_it_commits(monkeypatch):
    people = [person_with_a_due_goal(f"person{n}@example.com") for n in range(3)]
    enqueued = []
    monkeypatch.setattr(sweep, "enqueue_deliveries", enqueued.append)

    result = sweep.sweep(now=NOW, batch_size=1)

    assert result.claimed == 3
    deliveries = {d.user_id: d.pk for d in ReminderDelivery.objects.all()}
    assert result.deliveries == [deliveries[user.pk] for user, _ in people]
    assert enqueued == [[pk] for pk in result.deliveries]


def test_a_sweep_with_nothing_due_ends_whatever_its_batch_size():
    assert sweep.sweep(now=NOW, batch_size=1) == sweep.SweepResult()


# --- Enqueueing ---------------------------------------------------------------------------------


def test_a_broker_outage_is_logged_with_the_first_deliveries_and_leaves_them_pending(monkeypatch, caplog):
    from goals.reminders.tasks import send_deliveries

    def broker_down(ids):
        raise ConnectionError("broker down")

    monkeypatch.setattr(send_deliveries, "delay", broker_down)
    for n in range(4):
        person_with_a_due_goal(f"person{n}@example.com")

    with caplog.at_level(logging.WARNING, logger="goals.reminders.sweep"):
        result = sweep.sweep(now=NOW)

    [record] = [r for r in caplog.records if r.name == "goals.reminders.sweep"]
    assert record.getMessage() == (
        f"Could not enqueue deliveries {result.deliveries[:3]}…; the next sweep retries"
    )
    assert record.exc_info and isinstance(record.exc_info[1], ConnectionError)
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {Status.PENDING}


def test_releasing_stale_rows_counts_the_digests_and_the_emails_it_put_back(alice):
    long_ago = NOW - timedelta(days=1)
    ReminderDelivery.objects.create(
        user=alice,
        period=TODAY,
        goal_ids=[],
        status=Status.SENDING,
        created_at=long_ago,
        last_attempt_at=long_ago,
    )
    OutgoingEmail.objects.create(
        to="alice@example.com",
        subject="s",
        text="t",
        status=OutgoingEmail.Status.SENDING,
        created_at=long_ago,
        last_attempt_at=long_ago,
    )

    assert sweep.release_stale(now=NOW) == 2


# --- Each person's own slot ---------------------------------------------------------------------


def test_people_claimed_in_one_batch_each_move_to_their_own_slot(alice, plan):
    ReminderSettings.objects.create(user=alice, timezone="America/New_York", hour=8, weekday=2)
    alices = due_goal(plan)
    _, bobs = person_with_a_due_goal("bob2@example.com")  # default settings: Mondays 09:00 UTC

    sweep.sweep(now=NOW)

    alices.refresh_from_db()
    bobs.refresh_from_db()
    assert alices.next_reminder_at == NOW.replace(day=17, hour=12)  # Wednesday 08:00 in New York
    assert bobs.next_reminder_at == NOW.replace(day=22, hour=9)


def test_a_goal_still_due_when_its_owner_has_unsubscribed_is_taken_off_the_schedule(alice, plan):
    goal = due_goal(plan)
    ReminderSettings.objects.create(user=alice, unsubscribed_at=NOW - timedelta(minutes=1))

    sweep.sweep(now=NOW)

    goal.refresh_from_db()
    assert goal.next_reminder_at is None
    assert mail.outbox == []


# --- The dry run ----------------------------------------------------------------------------------


def test_the_dry_run_lists_people_by_address_and_their_goals_by_deadline(alice, plan):
    zoe = make_user("zoe@example.com", "pw")
    due_goal(CareerPlanFactory(owner=zoe), title="Zoe's goal", deadline=TODAY + timedelta(days=10))
    due_goal(plan, title="Later deadline", deadline=TODAY + timedelta(days=90))
    due_goal(plan, title="Sooner deadline", deadline=TODAY + timedelta(days=30))
    out = io.StringIO()

    call_command("send_reminders", "--dry-run", stdout=out)

    assert out.getvalue().splitlines() == [
        "alice@example.com: 2 goal(s) due: Sooner deadline; Later deadline",
        "zoe@example.com: 1 goal(s) due: Zoe's goal",
        "2 digest(s) would be sent (dry run: nothing was changed).",
    ]
