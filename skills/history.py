"""What changed in roles' skill requirements, and when, read from RoleSkill's history.

A requirement is a (role, skill) pair with a level. django-simple-history keeps rows per RoleSkill
row, and an editor may move a row to another role or skill, so the rows are replayed per row and
told per (role, skill): added, removed, or its level changed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skills.models import RoleSkill

# Written by migration 0003 for the requirements that existed when history began: the state
# before any change, never a change itself.
BASELINE_REASON = "Baseline: requirement history began"


@dataclass(frozen=True)
class RequirementChange:
    role_id: int
    skill_id: int
    skill_name: str
    before: int | None  # None: the role did not require the skill
    after: int | None  # None: it no longer does
    at: datetime | None  # None for the baseline
    by_id: int | None = None

    @property
    def added(self) -> bool:
        return self.before is None

    @property
    def removed(self) -> bool:
        return self.after is None


def requirement_changes(role_ids: Iterable[int], *, since: datetime | None = None) -> list[RequirementChange]:
    """Every change to these roles' requirements (after `since`), oldest first; one query."""
    role_ids = set(role_ids)
    return [
        change
        for change in _replay(_records(role_ids, since))
        if change.role_id in role_ids and change.at is not None and (since is None or change.at > since)
    ]


def net_requirement_changes(role_ids: Iterable[int], *, since: datetime) -> list[RequirementChange]:
    """Each requirement of these roles that differs from what it was at `since`, by role then skill
    name; `at` is its latest change. A level raised and lowered back is no change. One query."""
    role_ids = set(role_ids)
    before: dict[tuple[int, int], int | None] = {}
    latest: dict[tuple[int, int], RequirementChange] = {}
    for change in _replay(_records(role_ids, since)):
        if change.role_id not in role_ids:
            continue
        key = (change.role_id, change.skill_id)
        if change.at is None or change.at <= since:
            before[key] = change.after
        else:
            latest[key] = change
    net = [
        RequirementChange(
            c.role_id, c.skill_id, c.skill_name, before.get(key), c.after, at=c.at, by_id=c.by_id
        )
        for key, c in latest.items()
        if before.get(key) != c.after
    ]
    return sorted(net, key=lambda c: (c.role_id, c.skill_name))


def _records(role_ids: set[int], since: datetime | None):
    """The history of every RoleSkill row that was ever in one of these roles (and, with `since`,
    changed after it), oldest first: the whole history of each row, so its earlier state is
    known."""
    history = RoleSkill.history.model.objects
    records = RoleSkill.history.filter(id__in=history.filter(role_id__in=role_ids).values("id"))
    if since is not None:
        changed = history.filter(history_date__gt=since).exclude(history_change_reason=BASELINE_REASON)
        records = records.filter(id__in=changed.values("id"))
    return records.select_related("skill").order_by("history_date", "history_id")


def _replay(records) -> list[RequirementChange]:
    """Each record told as what it did to a (role, skill) pair, oldest first; saves that changed
    nothing are left out."""
    rows: dict[int, Any] = {}  # RoleSkill id -> its latest record while it exists (untyped)
    changes = []
    for record in records:
        previous = rows.get(record.id)
        current = None if record.history_type == "-" else record
        rows[record.id] = current
        baseline = record.history_change_reason == BASELINE_REASON
        at, by_id = (None, None) if baseline else (record.history_date, record.history_user_id)
        if (
            previous
            and current
            and (previous.role_id, previous.skill_id) == (current.role_id, current.skill_id)
        ):
            if previous.level != current.level:
                changes.append(_change(current, previous.level, current.level, at, by_id))
            continue
        if previous:
            changes.append(_change(previous, previous.level, None, at, by_id))
        if current:
            changes.append(_change(current, None, current.level, at, by_id))
    return changes


def _change(record, before: int | None, after: int | None, at, by_id) -> RequirementChange:
    name = record.skill.name if record.skill else "A deleted skill"
    return RequirementChange(record.role_id, record.skill_id, name, before, after, at=at, by_id=by_id)
