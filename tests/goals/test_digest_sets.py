"""A set of digests sent at once (goals.reminders.sending.send_deliveries, what a worker's task runs): each
says what it would say alone, the queries do not grow with the set, and each delivery is still
guarded by its own row when something changes between reading the set and sending it.

Time is frozen at tests/conftest.py NOW; tasks run inline (tests/goals/test_reminders.py).
"""

import smtplib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from base import emails
from goals.models import Goal, ReminderDelivery, ReminderSettings
from goals.reminders import sending, sweep
from goals.reminders.digest import build_digest
from goals.reminders.schedule import local_time
from plans.models import PlanCertification
from tests.conftest import NOW, TODAY, make_user
from tests.factories import CertificationFactory
from tests.goals.factories import CheckInFactory, GoalFactory, MilestoneFactory
from tests.goals.test_plan_goals_queries import counting_model_objects
from tests.plans.factories import CareerPlanFactory, PlanCertificationFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

DUE = NOW - timedelta(minutes=5)


def person(number: int, *, zone: str = "UTC") -> list[Goal]:
    """Someone with two due goals and one of everything else a digest can carry."""
    user = make_user(f"person{number}@example.com", "pw")
    plan = CareerPlanFactory(owner=user, title=f"Plan of person {number}")
    due = [
        GoalFactory(
            plan=plan,
            title=f"Goal {number}.{i}",
            next_reminder_at=DUE,
            start_date=TODAY - timedelta(days=20),
            deadline=TODAY + timedelta(days=4 + i),
        )
        for i in range(2)
    ]
    CheckInFactory(goal=due[0], value=Decimal(1), checked_on=TODAY - timedelta(days=3))
    GoalFactory(
        plan=plan,
        title=f"Soon {number}",
        start_date=TODAY - timedelta(days=30),
        deadline=TODAY + timedelta(days=2),
    )
    MilestoneFactory(goal=due[1], title=f"Milestone {number}", due_date=TODAY + timedelta(days=1))
    held = CertificationFactory(name=f"Certificate {number}", abbreviation=f"C{number}")
    PlanCertificationFactory(
        plan=plan,
        certification=held,
        status=PlanCertification.Status.EARNED,
        earned_on=TODAY - timedelta(days=400),
        expires_on=TODAY + timedelta(days=20),
    )
    plan.target_role.recommended_certifications.add(CertificationFactory(name=f"Wanted {number}"))
    ReminderSettings.objects.create(user=user, timezone=zone)
    return due


def swept() -> list[int]:
    return sweep.sweep(enqueue=False).deliveries


def alone(delivery: ReminderDelivery) -> tuple:
    """What the single way (build_digest, base.emails.render) makes of the delivery."""
    digest = build_digest(user=delivery.user, goal_ids=delivery.goal_ids, now=NOW)
    rendered = emails.render("reminder_digest", {**digest.context(now=NOW), "subject": digest.subject()})
    return rendered.subject, rendered.text, rendered.html


def test_each_digest_of_a_set_says_what_it_says_alone(db):
    for number, zone in enumerate(["UTC", "Europe/Berlin", "Pacific/Auckland", "America/New_York"]):
        person(number, zone=zone)
    ids = swept()
    expected = {
        d.user.email: alone(d) for d in ReminderDelivery.objects.filter(pk__in=ids).select_related("user")
    }

    assert sending.send_deliveries(ids) == 4

    assert len(mail.outbox) == 4
    for message in mail.outbox:
        [to] = message.to
        assert (message.subject, message.body, message.alternatives[0][0]) == expected[to]
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {ReminderDelivery.Status.SENT}


def test_the_queries_do_not_grow_with_the_set(db):
    counts = []
    for first, size in ((0, 2), (10, 6)):
        for number in range(first, first + size):
            person(number)
        ids = swept()
        with CaptureQueriesContext(connection) as queries:
            assert sending.send_deliveries(ids) == size
        # Per delivery only its own two UPDATEs (the claim, pending → sending, and the mark,
        # sending → sent), besides the savepoints of tests' transactions.
        marks = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
        assert len(marks) == 2 * size
        reads = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        counts.append(len(reads))
    assert counts[0] == counts[1] <= 9  # 9 since the 1:1s coming up (goals.oneonones)


def test_a_set_sends_without_the_single_way_when_nothing_changed(db, monkeypatch):
    for number in range(3):
        person(number)
    monkeypatch.setattr(sending, "send_delivery", lambda *a, **k: pytest.fail("took the single way"))
    assert sending.send_deliveries(swept()) == 3


def test_already_sent_deliveries_cost_one_query(db):
    person(1)
    ids = swept()
    sending.send_deliveries(ids)
    with CaptureQueriesContext(connection) as queries:
        assert sending.send_deliveries(ids) == 0
    assert len(queries.captured_queries) == 1
    assert len(mail.outbox) == 1


@pytest.fixture
def meanwhile(monkeypatch):
    """Run ``change`` right after the set's digests are built, before any is sent."""
    changes = []
    build = sending.build_digests

    def build_then_change(*args, **kwargs):
        digests = build(*args, **kwargs)
        for change in changes:
            change()
        return digests

    monkeypatch.setattr(sending, "build_digests", build_then_change)
    return changes.append


def test_a_delivery_another_worker_sent_meanwhile_is_not_sent_again(db, meanwhile):
    person(1), person(2)
    ids = swept()
    first = ReminderDelivery.objects.get(pk=ids[0])
    meanwhile(
        lambda: ReminderDelivery.objects.filter(pk=first.pk).update(status=ReminderDelivery.Status.SENT)
    )

    assert sending.send_deliveries(ids) == 1

    assert [m.to for m in mail.outbox] == [[ReminderDelivery.objects.get(pk=ids[1]).user.email]]


def test_goals_that_joined_a_delivery_meanwhile_are_in_its_digest(db, meanwhile):
    person(1)
    [delivery_id] = swept()
    late = Goal.objects.get(title="Soon 1")
    meanwhile(
        lambda: ReminderDelivery.objects.filter(pk=delivery_id).update(
            goal_ids=[*ReminderDelivery.objects.get(pk=delivery_id).goal_ids, late.pk]
        )
    )

    assert sending.send_deliveries([delivery_id]) == 1

    [message] = mail.outbox
    assert message.subject == "Time to check in: 3 goals on your career plan"
    assert "- Soon 1 (Plan of person 1)" in message.body


def test_someone_who_unsubscribed_meanwhile_gets_nothing(db, meanwhile):
    person(1)
    [delivery_id] = swept()
    meanwhile(lambda: ReminderSettings.objects.update(unsubscribed_at=NOW))

    assert sending.send_deliveries([delivery_id]) == 0

    assert mail.outbox == []
    assert ReminderDelivery.objects.get().status == ReminderDelivery.Status.SKIPPED


class FailsOnce(EmailBackend):
    """The locmem backend whose ``fail_at``-th message (1-based) the server refuses."""

    def __init__(self, fail_at: int, **kwargs):
        super().__init__(**kwargs)
        self.fail_at, self.count = fail_at, 0

    def send_messages(self, messages):
        self.count += 1
        if self.count == self.fail_at:
            raise smtplib.SMTPServerDisconnected("the server went away")
        return super().send_messages(messages)


def test_an_smtp_error_leaves_its_delivery_and_the_rest_pending_and_the_retry_sends_them_once(db):
    for number in range(3):
        person(number)
    ids = swept()

    with pytest.raises(smtplib.SMTPServerDisconnected):
        sending.send_deliveries(ids, connection=FailsOnce(fail_at=2))

    rows = {d.pk: d for d in ReminderDelivery.objects.all()}
    assert [rows[pk].status for pk in ids] == ["sent", "pending", "pending"]
    assert [rows[pk].attempts for pk in ids] == [1, 1, 0]
    assert rows[ids[1]].last_error == "the server went away"
    assert len(mail.outbox) == 1

    assert sending.send_deliveries(ids) == 2  # the retry

    assert sorted(m.to[0] for m in mail.outbox) == sorted(rows[pk].user.email for pk in ids)
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_an_empty_digest_is_skipped_and_the_set_goes_on(db):
    person(1)
    quiet = make_user("quiet@example.com", "pw")
    goal = GoalFactory(plan=CareerPlanFactory(owner=quiet), next_reminder_at=DUE, start_date=TODAY)
    ids = swept()
    Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.COMPLETED)  # nothing left to say

    assert sending.send_deliveries(ids) == 1

    assert ReminderDelivery.objects.get(user=quiet).status == ReminderDelivery.Status.SKIPPED
    assert [m.to for m in mail.outbox] == [["person1@example.com"]]


def test_a_digest_reads_each_active_goal_once_and_every_milestone_due(db):
    """Every active goal is read, once, in the one goals query: the digest says which are behind
    whatever their deadline (issue 23). A milestone due this week on a goal far from its deadline
    is in the digest, its goal read with the milestone."""
    due = person(1)
    plan = due[0].plan
    far = [
        GoalFactory(plan=plan, title=f"Later {i}", start_date=TODAY, deadline=TODAY + timedelta(days=90))
        for i in range(30)
    ]
    MilestoneFactory(goal=far[0], title="Draft the outline", due_date=TODAY + timedelta(days=3))
    [delivery] = ReminderDelivery.objects.filter(pk__in=swept())

    with counting_model_objects() as built:
        [digest] = sending.build_digests([(delivery.user, delivery.goal_ids)], now=NOW)

    active = Goal.objects.filter(plan=plan, status=Goal.Status.ACTIVE).count()
    assert built["Goal"] == active + 2, "each active goal, and the goals of the two milestones due"

    shown = {goal.title for goal in digest.due + digest.deadlines + digest.overdue}
    assert shown == {"Goal 1.0", "Goal 1.1", "Soon 1"}
    assert [(m.title, m.goal.title) for m in digest.milestones] == [
        ("Milestone 1", "Goal 1.1"),
        ("Draft the outline", "Later 0"),
    ]
    subject, text, html = alone(delivery)
    assert "Draft the outline (Later 0)" in text and "Later 1" not in text


def test_deliveries_are_marked_on_a_new_database_connection_too(transactional_db):
    """Claim and mark are plain conditional UPDATEs, nothing kept per database session: a set
    after the connection was lost is sent and marked like the one before."""
    sent = []
    for number in range(3):
        person(number)
        sent.append(sending.send_deliveries(swept()))
        connection.close()
    assert sent == [1, 1, 1] and len(mail.outbox) == 3
    assert ReminderDelivery.objects.filter(status=ReminderDelivery.Status.SENT).count() == 3


def test_each_digest_of_a_set_tells_the_time_in_its_own_zone(db):
    """Digests sent at one instant to Berlin and New York say 13:00 and 07:00: formatting is
    remembered within a set, never across time zones."""
    person(1, zone="Europe/Berlin")
    person(2, zone="America/New_York")
    sending.send_deliveries(swept())
    times = {message.to[0]: message.body.split("(", 1)[1].split(")", 1)[0] for message in mail.outbox}
    assert times == {
        "person1@example.com": local_time(NOW, "Europe/Berlin").strftime(
            "%A %-d %B, %H:%M, Europe/Berlin time"
        ),
        "person2@example.com": local_time(NOW, "America/New_York").strftime(
            "%A %-d %B, %H:%M, America/New_York time"
        ),
    }
