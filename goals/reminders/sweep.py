"""The reminder sweep: claim due goals, write one delivery per person and period, enqueue sending.

The database is the source of truth (../shared/DESIGN.md, "Reminders"):

- A goal is due when it is active and its next_reminder_at (UTC) has passed: a range scan on the
  partial index goal_due_reminder_idx, with no time-zone arithmetic in the query.
- Claiming a goal moves its next_reminder_at to the owner's next slot with a conditional UPDATE
  on the value the sweep read. Of two sweeps (or two beats) reading the same goal, only one
  update matches, so only one claims it; this guard holds on SQLite too. On PostgreSQL,
  SELECT … FOR UPDATE SKIP LOCKED additionally keeps concurrent sweeps off each other's rows.
- Claimed goals become one ReminderDelivery per (person, local date); the unique constraint makes
  a repeated insert a no-op. Sending is enqueued after commit, a set of deliveries per task.
- People are nudged the same way: ReminderNudge.next_at (UTC, partial index nudge_due_idx) is
  their slot for a digest whether or not a goal is due, claimed by the same conditional UPDATE. A claimed nudge of a person with an active plan writes their delivery
  with no goals in it; the digest, built when it is sent, says what their plans need (a plan gone
  quiet, a goal behind, a certification nearing expiry) or is skipped when nothing.
- Deliveries and outbox emails left pending too long are enqueued again, so a lost broker message
  or a killed worker delays a digest but loses nothing.
"""

import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import cast

from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from base import emails, versions
from base.models import OutgoingEmail
from goals.models import Goal, ReminderDelivery, ReminderSettings
from goals.reminders.models import ReminderNudge
from goals.reminders.schedule import local_time
from plans.models import CareerPlan
from plans.sharing.models import Share

logger = logging.getLogger(__name__)

CLAIM_BATCH = 1000
# A task sends this many digests over one SMTP connection.
SEND_CHUNK = 100


@dataclass
class SweepResult:
    claimed: int = 0
    nudged: int = 0
    deliveries: list[int] = field(default_factory=list)
    requeued: int = 0


def sweep(*, now: datetime | None = None, batch_size: int = CLAIM_BATCH, enqueue: bool = True) -> SweepResult:
    """Claim every due goal, then every due nudge, in batches (one transaction each) and enqueue
    their digests.

    With ``enqueue=False`` nothing is handed to the broker (manage.py send_reminders sends inline).
    """
    now = now or timezone.now()
    result = SweepResult()
    while True:
        with transaction.atomic():
            selected, claimed, delivery_ids = claim_batch(now=now, batch_size=batch_size)
            if enqueue and delivery_ids:
                transaction.on_commit(partial(enqueue_deliveries, delivery_ids))
        result.claimed += claimed
        result.deliveries += delivery_ids
        if selected < batch_size:
            break
    while True:
        with transaction.atomic():
            selected, nudged, delivery_ids = claim_nudges(now=now, batch_size=batch_size)
            if enqueue and delivery_ids:
                transaction.on_commit(partial(enqueue_deliveries, delivery_ids))
        result.nudged += nudged
        result.deliveries += delivery_ids
        if selected < batch_size:
            break
    # A nudge may find the delivery its goals wrote this period: each once.
    result.deliveries = list(dict.fromkeys(result.deliveries))
    if enqueue:
        result.requeued = requeue_stale(now=now)
    else:
        release_stale(now=now)  # for whoever sends the pending ones (manage.py send_reminders)
    return result


def claim_batch(*, now: datetime, batch_size: int) -> tuple[int, int, list[int]]:
    """(goals selected, goals claimed, delivery ids written) for one batch. Call inside a transaction."""
    rows = list(
        Goal.objects.due_for_reminder(now)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("next_reminder_at")
        .values_list(
            "pk", "next_reminder_at", "reminder_cadence", "plan__owner_id", "plan__status", "plan_id"
        )[:batch_size]
    )
    if not rows:
        return 0, 0, []
    owners = {row[3] for row in rows}
    prefs = _settings_for(owners)
    slots = _SlotCache(now)
    # due is never None: due_for_reminder reads goals whose next_reminder_at has passed.
    moves = [
        (pk, cast(datetime, due), slots.next(prefs[owner], cadence)) for pk, due, cadence, owner, *_ in rows
    ]
    claimed = set(_move(Goal, moves))
    # The goal page shows the next reminder: a raw UPDATE sends no signal, so move the versions here,
    # once the claim commits. Inside it the sweep would lock version rows after goal rows, while a
    # check-in locks its plan's version before its goal: the two could deadlock on PostgreSQL. A page
    # read between the commit and the bump pairs the new next reminder with the old version, which is
    # never stale; only a crash in between leaves it until the plan's next write.
    bumped = {versions.plan(row[5]) for row in rows if row[0] in claimed}
    transaction.on_commit(partial(versions.bump_many, bumped))
    reachable = _verified_owners(owners)
    due_by_owner: dict[int, list[int]] = defaultdict(list)
    for pk, _, _, owner, plan_status, _ in rows:
        # Goals on archived plans, and people without a verified address, are moved on silently.
        if pk in claimed and owner in reachable and plan_status == CareerPlan.Status.ACTIVE:
            due_by_owner[owner].append(pk)
    periods = {owner: local_time(now, prefs[owner].timezone).date() for owner in due_by_owner}
    return len(rows), len(claimed), _write_deliveries(due_by_owner, periods, now)


def claim_nudges(*, now: datetime, batch_size: int) -> tuple[int, int, list[int]]:
    """(nudges selected, nudges claimed, delivery ids written) for one batch of people whose next
    nudge has passed. Call inside a transaction."""
    rows = list(
        ReminderNudge.objects.filter(next_at__lte=now)
        .select_for_update(skip_locked=True)
        .order_by("next_at")
        .values_list("pk", "next_at", "user_id")[:batch_size]
    )
    if not rows:
        return 0, 0, []
    prefs = _settings_for({user for _, _, user in rows})
    slots = _SlotCache(now)
    # due is never None (the filter above); unsubscribed or "never" for new goals moves it to None.
    moves = [
        (pk, cast(datetime, due), slots.next(prefs[user], prefs[user].default_cadence))
        for pk, due, user in rows
    ]
    claimed = set(_move(ReminderNudge, moves, column="next_at"))
    nudged = {user: prefs[user] for pk, _, user in rows if pk in claimed and prefs[user].receives_reminders}
    # People without an active plan (or, opted in as mentors, one shared with them), or a verified
    # address, are moved on silently, as goals are.
    mentors = {person for person, prefs in nudged.items() if prefs.mentor_digest}
    people = _verified_owners(set(nudged)) & (_planning(set(nudged)) | _mentoring(mentors))
    periods = {person: local_time(now, nudged[person].timezone).date() for person in people}
    return len(rows), len(claimed), _write_deliveries({person: [] for person in people}, periods, now)


def _planning(people: set[int]) -> set[int]:
    """Those of ``people`` with an active plan: the ones a digest can say something to."""
    plans = CareerPlan.objects.filter(owner_id__in=people, status=CareerPlan.Status.ACTIVE)
    return set(plans.values_list("owner_id", flat=True).distinct())


def _mentoring(people: set[int]) -> set[int]:
    """Those of ``people`` someone's active plan is shared with (no query without anyone)."""
    if not people:
        return set()
    shares = Share.objects.filter(user_id__in=people, plan__status=CareerPlan.Status.ACTIVE)
    return set(shares.exclude(plan__owner_id=F("user_id")).values_list("user_id", flat=True).distinct())


def _settings_for(owners: set[int]) -> dict[int, ReminderSettings]:
    """Each owner's saved settings; everyone without a row shares one unsaved default (read only)."""
    saved = {s.user_id: s for s in ReminderSettings.objects.filter(user_id__in=owners)}
    default = ReminderSettings()
    return {owner: saved.get(owner, default) for owner in owners}


def _verified_owners(owners: set[int]) -> set[int]:
    return set(
        EmailAddress.objects.filter(user_id__in=owners, primary=True, verified=True).values_list(
            "user_id", flat=True
        )
    )


class _SlotCache:
    """Most people share a handful of settings: compute each distinct slot once per batch."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._slots: dict[tuple, datetime | None] = {}

    def next(self, prefs: ReminderSettings, cadence: str) -> datetime | None:
        days = Goal.CADENCE_DAYS.get(cadence)
        key = (prefs.timezone, prefs.hour, prefs.weekday, prefs.paused_until, prefs.receives_reminders, days)
        if key not in self._slots:
            usable = days is not None and prefs.receives_reminders
            self._slots[key] = (
                prefs.slot(after=self.now, interval_days=days) if usable and days is not None else None
            )
        return self._slots[key]


def _rows(rows: list[tuple], pg_types: tuple[str, ...]) -> tuple[str, list]:
    """``rows`` as a FROM source ``v`` with columns column1, column2, …, and its parameters:
    one array per column through unnest() on PostgreSQL (parsed and planned faster than a
    thousand-row VALUES list), VALUES elsewhere."""
    columns = [f"column{i}" for i in range(1, len(pg_types) + 1)]
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{pg_type}[]" for pg_type in pg_types)
        params = [list(column) for column in zip(*rows, strict=True)]
        return f"unnest({arrays}) AS v({', '.join(columns)})", params
    row = f"({', '.join(['%s'] * len(pg_types))})"
    params = [value for values in rows for value in values]
    return f"(VALUES {', '.join([row] * len(rows))}) AS v", params


def _move(
    model: type[Goal] | type[ReminderNudge],
    moves: list[tuple[int, datetime, datetime | None]],
    *,
    column: str = "next_reminder_at",
) -> list[int]:
    """Set each row's ``column`` (a goal's next reminder, a person's next nudge) from its old value
    to its new one, only where it still holds the old value (the claim guard); returns the ids
    that moved."""
    if not moves:
        return []
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    source, params = _rows(
        [
            (pk, ops.adapt_datetimefield_value(old), ops.adapt_datetimefield_value(new))
            for pk, old, new in moves
        ],
        ("bigint", "timestamptz", "timestamptz"),
    )
    sql = (
        f"UPDATE {table} SET {column} = v.column3 FROM {source} "
        f"WHERE {table}.id = v.column1 AND {table}.{column} = v.column2 "
        f"RETURNING {table}.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


def _write_deliveries(
    due_by_owner: dict[int, list[int]], periods: dict[int, date], now: datetime
) -> list[int]:
    """One pending delivery per (person, period). Where one exists and is still pending, the newly
    due goals join it; where it was skipped (a nudge with nothing to say), they make it pending
    again; where it was already sent, they wait for the next period."""
    if not due_by_owner:
        return []
    inserted = _insert_deliveries(due_by_owner, periods, now)
    ids = list(inserted.values())
    # The rest already had a delivery for the period (unique constraint): their pending ones,
    # this period's picked out here (an index lookup on user_id, not an OR-branch per person).
    existing = [owner for owner in due_by_owner if owner not in inserted]
    if not existing:
        return ids
    Status = ReminderDelivery.Status
    open_ = ReminderDelivery.objects.filter(
        user_id__in=existing, period__in=set(periods.values()), status__in=[Status.PENDING, Status.SKIPPED]
    ).values_list("pk", "user_id", "period", "goal_ids", "status")
    for pk, owner, period, goal_ids, status in open_:
        if period != periods[owner]:
            continue
        missing = [goal for goal in due_by_owner[owner] if goal not in goal_ids]
        if status == Status.SKIPPED and not missing:
            continue
        if missing:
            ReminderDelivery.objects.filter(pk=pk, status=status).update(
                goal_ids=[*goal_ids, *missing], status=Status.PENDING
            )
        ids.append(pk)
    return ids


# Every column of a new delivery: owner, period and goals per row, then the pending status, no
# attempts, empty subject and error, and the sweep's time.
_DELIVERY_COLUMNS = (
    "user_id",
    "period",
    "goal_ids",
    "status",
    "attempts",
    "subject",
    "last_error",
    "created_at",
)


def _insert_deliveries(
    due_by_owner: dict[int, list[int]], periods: dict[int, date], now: datetime
) -> dict[int, int]:
    """INSERT … ON CONFLICT (user, period) DO NOTHING in one statement; {owner: id} of the rows it
    wrote (empty where the database can't say: then every owner takes the lookup above)."""
    ops = connection.ops
    table = ops.quote_name(ReminderDelivery._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in _DELIVERY_COLUMNS)
    source, rows = _rows(
        [
            (owner, ops.adapt_datefield_value(periods[owner]), json.dumps(goal_ids))
            for owner, goal_ids in due_by_owner.items()
        ],
        ("integer", "date", "jsonb"),
    )
    params = [ReminderDelivery.Status.PENDING, ops.adapt_datetimefield_value(now), *rows]
    returning = connection.features.can_return_columns_from_insert
    sql = (
        f"INSERT INTO {table} ({columns}) "
        f"SELECT v.column1, v.column2, v.column3, %s, 0, '', '', %s FROM {source} "
        # WHERE true: SQLite's parser would otherwise read ON CONFLICT as a join constraint.
        f"WHERE true ON CONFLICT ({ops.quote_name('user_id')}, {ops.quote_name('period')}) DO NOTHING"
        + (" RETURNING id, user_id" if returning else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {owner: pk for pk, owner in cursor.fetchall()} if returning else {}


def enqueue_deliveries(delivery_ids: list[int]) -> None:
    """Hand deliveries to workers, SEND_CHUNK per task. A broker outage is logged, not raised:
    the rows stay pending and the next sweep enqueues them again."""
    from goals.reminders.tasks import send_deliveries

    for start in range(0, len(delivery_ids), SEND_CHUNK):
        chunk = delivery_ids[start : start + SEND_CHUNK]
        try:
            send_deliveries.delay(chunk)
        except Exception:
            logger.warning(
                "Could not enqueue deliveries %s…; the next sweep retries", chunk[:3], exc_info=True
            )


def requeue_stale(*, now: datetime) -> int:
    """Enqueue again the deliveries and outbox emails whose task was lost (pending since their
    last try, or left sending by a worker that died: base.models.SendQuerySet.stale); how many."""
    ReminderDelivery.objects.release_stale(now=now)
    stale = ReminderDelivery.objects.stale(now=now)
    ids = list(stale.values_list("pk", flat=True)[: emails.REQUEUE_BATCH])
    if ids:
        enqueue_deliveries(ids)
    return len(ids) + emails.requeue_stale(now=now)


def release_stale(*, now: datetime) -> int:
    """Put back to pending the deliveries and outbox emails left sending by a worker that died
    (requeue_stale does this too, then enqueues them); how many."""
    return ReminderDelivery.objects.release_stale(now=now) + OutgoingEmail.objects.release_stale(now=now)


def due_preview(*, now: datetime) -> dict:
    """Who the next sweep would email and with which goals, without writing anything (--dry-run)."""
    goals = (
        Goal.objects.due_for_reminder(now)
        .filter(plan__status=CareerPlan.Status.ACTIVE)
        .select_related("plan__owner")
        .order_by("plan__owner__email", "deadline")
    )
    reachable = _verified_owners(set(goals.values_list("plan__owner_id", flat=True)))
    preview: dict = defaultdict(list)
    for goal in goals:
        if goal.plan.owner_id in reachable:
            preview[goal.plan.owner].append(goal)
    return dict(preview)
