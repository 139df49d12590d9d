"""A plan's history told in words, for the history page: its revisions (django-simple-history),
what people did in it (plans.events.PlanEvent) and the changes editors made to its roles'
requirements while the plan had those roles."""

from dataclasses import dataclass
from datetime import timedelta

from base.words import counted
from plans.events import ADDRESSED, PlanEvent
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
# Entries a page of the history shows; and the last page anyone may ask for (its events are read
# from the newest, so a page costs the rows before it).
PER_PAGE = 50
MAX_PAGE = 1000

Kind = PlanEvent.Kind
SENTENCES = {
    Kind.GOAL_ADDED: "Added the goal “{subject}”",
    Kind.GOAL_EDITED: "Edited the goal “{subject}”",
    Kind.GOAL_COMPLETED: "Completed the goal “{subject}”",
    Kind.GOAL_STATUS: "Marked the goal “{subject}” as {detail}",
    Kind.GOAL_DELETED: "Deleted the goal “{subject}”",
    Kind.CHECK_IN_ADDED: "Checked in on “{subject}”: {detail}",
    Kind.CHECK_IN_CORRECTED: "Corrected a check-in on “{subject}”: {detail}",
    Kind.CHECK_IN_DELETED: "Deleted a check-in on “{subject}” ({detail})",
    Kind.MILESTONE_ADDED: "Added the milestone “{subject}” to “{detail}”",
    Kind.MILESTONE_DONE: "Marked the milestone “{subject}” of “{detail}” as done",
    Kind.MILESTONE_REOPENED: "Marked the milestone “{subject}” of “{detail}” as not done",
    Kind.MILESTONE_DELETED: "Removed the milestone “{subject}” from “{detail}”",
    Kind.CERTIFICATION_ADDED: "Added the certification {subject} ({detail})",
    Kind.CERTIFICATION_CHANGED: "Updated the certification {subject} ({detail})",
    Kind.CERTIFICATION_EARNED: "Earned the certification {subject}",
    Kind.CERTIFICATION_REMOVED: "Removed the certification {subject}",
    Kind.ACTIVITY_ADDED: "Logged the activity “{subject}” ({detail})",
    Kind.ACTIVITY_EDITED: "Edited the activity “{subject}” ({detail})",
    Kind.ACTIVITY_DELETED: "Deleted the activity “{subject}”",
    Kind.INVITED: "Invited {subject} to read the plan",
    Kind.INVITATION_RESENT: "Sent the invitation to {subject} again",
    Kind.INVITATION_ACCEPTED: "Accepted the invitation to read the plan",
    Kind.ACCESS_REVOKED: "Ended the access of {subject}",
    Kind.RATING_ALLOWED: "Asked {subject} to rate their skills",
    Kind.RATING_STOPPED: "Stopped {subject} rating their skills",
    Kind.RATED: "Rated {subject}: {detail}",
    Kind.LEVEL_CHOSEN: "Chose the level of {subject} that counts: {detail}",
}


@dataclass(frozen=True)
class HistoryPage:
    entries: list[dict]
    number: int
    has_next: bool


def history_page(plan: CareerPlan, *, number: int, for_owner: bool) -> HistoryPage | None:
    """Page `number` (from 1) of everything that happened to the plan, newest first; None past the
    last page. Queries: the plan's revisions, their roles and industries, the requirement changes,
    and one for its events (with who made them), whatever their number."""
    if not 1 <= number <= MAX_PAGE:
        return None
    shown = number * PER_PAGE
    # The newest `shown` events are all the page can hold of them, the revisions being few.
    events = list(plan.events.select_related("by")[: shown + 1])
    entries = revision_timeline(plan) + [_event_entry(event, for_owner) for event in events]
    entries.sort(key=lambda e: e["date"], reverse=True)  # stable: events stay newest first
    for entry in entries:
        by = entry.get("by")
        entry["by_mentor"] = by is not None and by.pk != plan.owner_id
    page = entries[shown - PER_PAGE : shown]
    if not page and number > 1:
        return None
    return HistoryPage(page, number, len(entries) > shown)


def _event_entry(event: PlanEvent, for_owner: bool) -> dict:
    return {
        "date": event.at,
        "by": event.by,
        "event": True,
        "kind": event.kind,
        "text": event_sentence(event, for_owner=for_owner),
    }


def event_sentence(event: PlanEvent, *, for_owner: bool) -> str:
    """What the event did, in words. An invited address is the owner's to see (mentors never see
    the share list); blanked when its account was deleted."""
    if event.kind == Kind.ASSESSED:
        text = f"Assessed {counted(event.count or 0, 'skill', 'skills')}"
        return f"{text}: {event.detail}" if event.detail else text
    if event.kind == Kind.COMMENTED:
        return f"Commented on the goal “{event.subject}”" if event.subject else "Commented on the plan"
    if event.kind == Kind.GOAL_STATUS and event.detail == "active":
        return f"Resumed the goal “{event.subject}”"
    if event.kind == Kind.RATED and not for_owner:
        return f"Rated {event.subject}"  # the level is the owner's to read, and the rater's on their page
    subject = event.subject
    if event.kind in ADDRESSED and not (for_owner and subject):
        subject = "someone" if subject else "a former member"
    return SENTENCES[Kind(event.kind)].format(subject=subject, detail=event.detail)


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
