"""On PostgreSQL the sweep skips goals another transaction holds (SELECT … FOR UPDATE SKIP LOCKED):
it claims the others without waiting, and the next sweep claims the skipped one once it is free.

SQLite has no row locks to skip (the claim's conditional UPDATE is the guard there, see
goals/reminders/sweep.py), so this runs on PostgreSQL only: a skip on a laptop without it, a failure
under CAREERPATH_STRICT=1.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from goals.models import Goal
from goals.reminders import sweep
from tests.conftest import make_user, require
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

# How long the sweep's connection waits for a row lock before PostgreSQL gives up with an error:
# a sweep that waited on the held row would fail the test after this, not hang it.
LOCK_TIMEOUT_MS = 3000


@pytest.fixture
def postgresql(transactional_db) -> Iterator[None]:
    """The test database is PostgreSQL, and the sweep's connection gives up on a lock quickly."""
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://…)")
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")


@contextmanager
def row_locked_elsewhere(goal: Goal) -> Iterator[None]:
    """Another connection (another sweep, a check-in being saved) holds ``goal``'s row lock."""
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
            cursor.execute(f"SELECT id FROM {Goal._meta.db_table} WHERE id = %s FOR UPDATE", [goal.pk])
            assert cursor.fetchone() == (goal.pk,)
        yield
    finally:
        other.rollback()  # releases the lock
        other.close()


def due_goal_of(email: str) -> Goal:
    """A goal of its own person (verified address, default settings), due five minutes ago."""
    plan = CareerPlanFactory(owner=make_user(email, "pw"))
    return GoalFactory(plan=plan, next_reminder_at=timezone.now() - timedelta(minutes=5))


def digest_recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_sweep_skips_a_locked_goal_without_waiting_and_claims_the_others(postgresql):
    due_goal_of("alice@example.com")
    due_goal_of("bob@example.com")
    held = due_goal_of("carol@example.com")
    due_at = held.next_reminder_at

    with row_locked_elsewhere(held):
        started = time.monotonic()
        result = sweep.sweep()
        waited = time.monotonic() - started

    assert waited < LOCK_TIMEOUT_MS / 1000 / 2, f"the sweep waited {waited:.1f} s on the locked row"
    assert result.claimed == 2
    assert digest_recipients() == ["alice@example.com", "bob@example.com"]
    held.refresh_from_db()
    assert held.next_reminder_at == due_at  # still due, untouched


def test_the_next_sweep_claims_the_goal_once_its_lock_is_released(postgresql):
    due_goal_of("alice@example.com")
    held = due_goal_of("carol@example.com")
    with row_locked_elsewhere(held):
        sweep.sweep()
    assert digest_recipients() == ["alice@example.com"]

    result = sweep.sweep()

    assert result.claimed == 1
    assert digest_recipients() == ["alice@example.com", "carol@example.com"]
    held.refresh_from_db()
    assert held.next_reminder_at > timezone.now()
