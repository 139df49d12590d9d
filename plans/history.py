"""A plan's revision history (django-simple-history) told in words, for the history page, with
the changes editors made to its roles' requirements while the plan had those roles."""

from datetime import timedelta

from plans.models import CareerPlan
from skills.history import RequirementChange, requirement_changes
from skills.models import Industry, Role

TRACKED_FIELDS = {
    "current_role": "Current role",
    "target_role": "Target role",
    "title": "Title",
    "target_date": "Target date",
    "vision": "Vision",
    "status": "Status",
    "is_primary": "Primary",
    "industry": "Industry",
}
# Requirement rows an editor saved this close together (one admin save, one ladder import) are
# told as one event per role.
SAME_EDIT = timedelta(minutes=1)


def revision_timeline(plan: CareerPlan) -> list[dict]:
    """The plan's dated revisions and its roles' requirement changes, newest first, each with what
    changed in words."""
    records = list(plan.history.select_related("history_user").order_by("history_date", "history_id"))
    roles = Role.objects.in_bulk({r.current_role_id for r in records} | {r.target_role_id for r in records})
    # No query for plans that never named an industry (in_bulk of nothing asks nothing).
    industries = Industry.objects.in_bulk({r.industry_id for r in records if r.industry_id})
    events = []
    previous = None
    for record in records:
        changes: list[dict] = _changes(record, previous, roles, industries) if previous is not None else []
        events.append(
            {
                "date": record.history_date,
                "reason": record.history_change_reason,
                "created": previous is None,
                "changes": changes,
                "by": record.history_user,
            }
        )
        previous = record
    # A record with a reason and no field change is an event of its own (a goal deleted).
    events = [e for e in events if e["created"] or e["changes"] or e["reason"]]
    events += _requirement_events(records, roles)
    return sorted(events, key=lambda e: e["date"], reverse=True)


def _requirement_events(records: list, roles: dict) -> list[dict]:
    """Requirement changes to the plan's target or current role of the moment, after the plan
    was created, one event per role and edit."""
    if not records:
        return []
    changes = [
        change
        for change in requirement_changes(roles, since=records[0].history_date)
        if change.role_id in _roles_at(records, change)
    ]
    events: list[dict] = []
    for change in changes:
        last = events[-1] if events else None
        if (
            last
            and last["role"].pk == change.role_id
            and last["by_id"] == change.by_id
            and change.at - last["date"] <= SAME_EDIT
        ):
            last["requirements"].append(change)
        else:
            events.append(
                {
                    "date": change.at,
                    "role": roles[change.role_id],
                    "by_id": change.by_id,
                    "requirements": [change],
                }
            )
    for event in events:
        event["requirements"].sort(key=lambda c: c.skill_name)
    return events


def _roles_at(records: list, change: RequirementChange) -> set[int]:
    """The plan's target and current role when the change was made."""
    in_force = records[0]
    for record in records:
        if record.history_date > change.at:
            break
        in_force = record
    return {in_force.target_role_id, in_force.current_role_id}


def _changes(record, previous, roles: dict, industries: dict) -> list[dict]:
    delta = record.diff_against(previous)
    return [
        {
            "field": TRACKED_FIELDS[c.field],
            "old": _shown(c.field, c.old, roles, industries),
            "new": _shown(c.field, c.new, roles, industries),
        }
        for c in delta.changes
        if c.field in TRACKED_FIELDS
    ]


def _shown(field: str, value, roles: dict, industries: dict):
    if field in ("current_role", "target_role"):
        return str(roles.get(value, "—"))
    if field == "industry":
        return str(industries.get(value, "—"))
    if field == "vision":
        return "updated"
    return value if value not in (None, "") else "—"
