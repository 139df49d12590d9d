"""The edges of sending a set of digests (issue 28, from the mutants of goals/reminders/sending.py
that no test noticed): what each delivery row says afterwards, which deliveries a set may touch,
when a delivery goes the single way and over which connection, what the count of emails sent
counts, and what an operator reads in the log.

Time is frozen at tests/conftest.py NOW; tasks run inline.
"""

import logging
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from goals.models import Goal, ReminderDelivery, ReminderSettings
from goals.reminders import sending
from goals.reminders.digest import Digest
from tests.conftest import NOW, TODAY, make_user
from tests.goals import test_digest_sets, test_sending_failures
from tests.goals.factories import GoalFactory
from tests.goals.test_digest_sets import DUE, alone, person, swept
from tests.goals.test_sending_failures import people, poison
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

# Fixtures of the modules these edges belong to: a change right after a set's digests are built,
# and an SMTP server that refuses person001@example.com.
meanwhile = test_digest_sets.meanwhile
refusing_sink = test_sending_failures.refusing_sink

Status = ReminderDelivery.Status


class Recorder(BaseEmailBackend):
    """An SMTP connection that keeps what it was given (and not in mail.outbox)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sent = []

    def send_messages(self, messages):
        self.sent += messages
        return len(messages)


def quiet_person(email: str = "quiet@example.com") -> Goal:
    """Someone whose one due goal is completed after the sweep: their digest has nothing to say.
    Returns that goal."""
    user = make_user(email, "pw")
    goal = GoalFactory(plan=CareerPlanFactory(owner=user), next_reminder_at=DUE, start_date=TODAY)
    return goal


def completed(goal: Goal) -> None:
    Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.COMPLETED)


# --- What the delivery row says ----------------------------------------------------------------


@pytest.mark.parametrize("way", ["set", "single"])
def test_a_sent_delivery_says_when_it_was_tried_and_with_what_subject(db, way):
    person(1)
    [delivery_id] = swept()
    if way == "set":
        assert sending.send_deliveries([delivery_id]) == 1
    else:
        assert sending.send_delivery(delivery_id) is True

    [message] = mail.outbox
    row = ReminderDelivery.objects.get()
    assert (row.status, row.attempts, row.last_attempt_at, row.sent_at) == (Status.SENT, 1, NOW, NOW)
    assert row.subject == message.subject == "Time to check in: 2 goals on your career plan"


def test_an_empty_digest_is_skipped_and_its_row_says_it_was_tried_once_now(db):
    goal = quiet_person()
    [delivery_id] = swept()
    completed(goal)

    assert sending.send_deliveries([delivery_id]) == 0

    assert mail.outbox == []
    row = ReminderDelivery.objects.get()
    assert (row.status, row.attempts, row.last_attempt_at, row.sent_at) == (Status.SKIPPED, 1, NOW, None)


# --- Which deliveries a set touches ----------------------------------------------------------------


def test_a_set_sends_only_its_own_deliveries(db):
    person(1), person(2)
    first, second = swept()

    assert sending.send_deliveries([first]) == 1

    assert [m.to for m in mail.outbox] == [[ReminderDelivery.objects.get(pk=first).user.email]]
    assert ReminderDelivery.objects.get(pk=second).status == Status.PENDING  # its own task sends it


def test_last_weeks_pending_digest_of_the_same_goals_is_left_to_its_own_task(db):
    """Last week's delivery of the same goal is still pending (its task was lost); this week's,
    with the same goal ids, goes out alone, and last week's waits for the sweep to enqueue it."""
    due = person(1)
    [this_week] = swept()
    user = due[0].plan.owner
    goal_ids = ReminderDelivery.objects.get(pk=this_week).goal_ids
    last_week = ReminderDelivery.objects.create(
        user=user, period=TODAY - timedelta(days=7), goal_ids=goal_ids, created_at=NOW - timedelta(days=7)
    )

    assert sending.send_deliveries([this_week]) == 1

    assert len(mail.outbox) == 1
    assert ReminderDelivery.objects.get(pk=this_week).status == Status.SENT
    last_week.refresh_from_db()
    assert (last_week.status, last_week.attempts) == (Status.PENDING, 0)


def test_a_set_with_skipped_digests_and_someone_else_unsubscribed_never_takes_the_single_way(db, monkeypatch):
    """Nothing changed since the set was read: an empty digest and the digest of someone who
    unsubscribed after the sweep are skipped on the spot, and someone outside the set having
    unsubscribed holds nobody in it back."""
    person(1)
    empty = quiet_person()
    leaver = person(2)[0].plan.owner
    ReminderSettings.objects.create(user=make_user("gone@example.com", "pw"), unsubscribed_at=NOW)
    ids = swept()
    completed(empty)
    ReminderSettings.objects.filter(user=leaver).update(unsubscribed_at=NOW)
    monkeypatch.setattr(sending, "send_delivery", lambda *a, **k: pytest.fail("took the single way"))

    assert sending.send_deliveries(ids) == 1

    assert [m.to for m in mail.outbox] == [["person1@example.com"]]
    statuses = dict(ReminderDelivery.objects.values_list("user__email", "status"))
    assert statuses == {
        "person1@example.com": Status.SENT,
        "quiet@example.com": Status.SKIPPED,
        "person2@example.com": Status.SKIPPED,
    }


# --- The single way, over the set's connection ------------------------------------------------------


def test_an_empty_digest_that_gained_a_goal_meanwhile_is_sent_with_it_over_the_sets_connection(db, meanwhile):
    """The set's digest was empty, but a goal joined the delivery before it was skipped: the single
    way builds it afresh and sends it, over the set's SMTP connection."""
    done = quiet_person()
    later = GoalFactory(plan=done.plan, title="Write the launch plan", start_date=TODAY)
    [delivery_id] = swept()
    completed(done)
    meanwhile(lambda: ReminderDelivery.objects.filter(pk=delivery_id).update(goal_ids=[done.pk, later.pk]))
    connection = Recorder()

    assert sending.send_deliveries([delivery_id], connection=connection) == 1

    assert mail.outbox == []
    [message] = connection.sent
    assert message.to == ["quiet@example.com"]
    assert "Write the launch plan" in message.body
    assert ReminderDelivery.objects.get().status == Status.SENT


def test_a_digest_whose_goals_changed_meanwhile_goes_out_as_it_would_alone_over_the_sets_connection(
    db, meanwhile
):
    person(1)
    [delivery_id] = swept()
    late = Goal.objects.get(title="Soon 1")
    meanwhile(
        lambda: ReminderDelivery.objects.filter(pk=delivery_id).update(
            goal_ids=[*ReminderDelivery.objects.get(pk=delivery_id).goal_ids, late.pk]
        )
    )
    connection = Recorder()

    assert sending.send_deliveries([delivery_id], connection=connection) == 1

    assert mail.outbox == []
    [message] = connection.sent
    subject, text, html = alone(ReminderDelivery.objects.get())
    assert (message.subject, message.body, message.alternatives[0][0]) == (subject, text, html)
    row = ReminderDelivery.objects.get()
    assert (row.status, row.attempts, row.last_attempt_at) == (Status.SENT, 1, NOW)


# --- Failures: the row, the count, the others ------------------------------------------------------


def test_a_digest_the_single_way_cannot_build_is_marked_failed_with_the_reason(db):
    due = person(1)
    [delivery_id] = swept()
    poison(due[0].plan.owner)

    assert sending.send_delivery(delivery_id) is False

    row = ReminderDelivery.objects.get()
    assert row.status == Status.FAILED
    assert row.last_error.startswith("ZoneInfoNotFoundError: ") and "America/Atlantis" in row.last_error


def test_the_count_of_a_set_leaves_out_the_digest_it_cannot_build(db):
    due = [person(number) for number in range(3)]
    ids = swept()
    poison(due[1][0].plan.owner)

    assert sending.send_deliveries(ids) == 2

    assert len(mail.outbox) == 2


def test_the_count_of_a_set_leaves_out_the_digest_the_server_refused(db, refusing_sink):
    people(3)  # person001@example.com is refused

    assert sending.send_deliveries(swept()) == 2

    assert sorted(str(m["To"]) for m in refusing_sink.messages) == [
        "person000@example.com",
        "person002@example.com",
    ]


def test_a_failure_reason_is_cut_at_500_characters(db, monkeypatch):
    person(1)
    [delivery_id] = swept()

    def render(digest, *, now):
        raise ValueError("x" * 600)

    monkeypatch.setattr(Digest, "render", render)

    assert sending.send_deliveries([delivery_id]) == 0

    row = ReminderDelivery.objects.get()
    assert row.status == Status.FAILED
    assert row.last_error == ("ValueError: " + "x" * 600)[:500]


def test_a_failure_leaves_another_workers_delivery_sending(db):
    due = [person(number) for number in range(2)]
    first, second = swept()
    poison(due[0][0].plan.owner)
    assert ReminderDelivery.objects.filter(pk=second).claim(now=NOW)  # another worker is sending it

    assert sending.send_deliveries([first]) == 0

    rows = dict(ReminderDelivery.objects.values_list("pk", "status"))
    assert rows == {first: Status.FAILED, second: Status.SENDING}


def test_a_digest_another_worker_sent_while_this_ones_render_failed_stays_sent(db, monkeypatch):
    """This worker claimed the delivery and its render hung past the lease; the sweep put the row
    back, another worker sent it, and then this render failed: the row stays sent."""
    person(1)
    [delivery_id] = swept()

    def render(digest, *, now):
        ReminderDelivery.objects.filter(pk=delivery_id).update(status=Status.SENT, sent_at=NOW)
        raise ValueError("too late")

    monkeypatch.setattr(Digest, "render", render)

    assert sending.send_deliveries([delivery_id]) == 0

    row = ReminderDelivery.objects.get()
    assert (row.status, row.last_error) == (Status.SENT, "")


# --- What an operator reads in the log -------------------------------------------------------------


def sending_log(caplog) -> list[tuple[str, str]]:
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "goals.reminders.sending"]


def test_a_digest_that_cannot_be_built_is_logged_with_its_delivery_and_traceback(db, caplog):
    due = [person(number) for number in range(3)]
    ids = swept()
    poison(due[1][0].plan.owner)

    with caplog.at_level(logging.WARNING, logger="goals.reminders.sending"):
        sending.send_deliveries(ids)

    assert sending_log(caplog) == [
        ("WARNING", "3 digests could not be built together; building each alone"),
        ("ERROR", f"Reminder delivery {ids[1]} cannot be sent"),
    ]
    [error] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert type(error.exc_info[1]).__name__ == "ZoneInfoNotFoundError"


def test_a_refused_digest_is_logged_with_its_delivery_and_the_servers_answer(db, refusing_sink, caplog):
    people(3)  # person001@example.com is refused
    ids = swept()

    with caplog.at_level(logging.WARNING, logger="goals.reminders.sending"):
        sending.send_deliveries(ids)

    [(level, text)] = sending_log(caplog)
    assert level == "WARNING"
    assert text.startswith(f"Reminder delivery {ids[1]} not sent: ") and "No such mailbox" in text
    assert Counter(ReminderDelivery.objects.values_list("status", flat=True)) == Counter(
        {Status.SENT: 2, Status.FAILED: 1}  # refused for good (550)
    )
