"""A plan's revision history (django-simple-history) told in words, for the history page."""

from plans.models import CareerPlan
from skills.models import Role

TRACKED_FIELDS = {
    "current_role": "Current role", "target_role": "Target role", "title": "Title",
    "target_date": "Target date", "vision": "Vision", "status": "Status", "is_primary": "Primary",
}  # fmt: skip


def revision_timeline(plan: CareerPlan) -> list[dict]:
    """The plan's dated revisions, newest first, each with what changed in words."""
    records = list(plan.history.select_related("history_user").order_by("history_date", "history_id"))
    roles = Role.objects.in_bulk({r.current_role_id for r in records} | {r.target_role_id for r in records})
    events = []
    previous = None
    for record in records:
        changes = _changes(record, previous, roles) if previous is not None else []
        events.append(
            {
                "date": record.history_date,
                "reason": record.history_change_reason,
                "created": previous is None,
                "changes": changes,
                "by": record.history_user,
            }  # fmt: skip
        )
        previous = record
    return [e for e in reversed(events) if e["created"] or e["changes"]]


def _changes(record, previous, roles: dict) -> list[dict]:
    delta = record.diff_against(previous)
    return [
        {
            "field": TRACKED_FIELDS[c.field],
            "old": _shown(c.field, c.old, roles),
            "new": _shown(c.field, c.new, roles),
        }
        for c in delta.changes
        if c.field in TRACKED_FIELDS
    ]


def _shown(field: str, value, roles: dict):
    if field in ("current_role", "target_role"):
        return str(roles.get(value, "—"))
    if field == "vision":
        return "updated"
    return value if value not in (None, "") else "—"
