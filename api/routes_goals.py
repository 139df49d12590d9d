"""Goals and their check-ins. Reads follow the plan's visibility (owner and mentors); writes need
the write scope and the plan's owner (a mentor gets 403, anyone else 404), through the services
and forms the pages use."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from api.auth import require_write
from api.pagination import PageParams, page
from api.problems import InvalidFields, Problem
from api.schemas import CheckInIn, CheckInOut, CheckInPage, GoalOut, GoalPage, GoalStatusIn
from goals import services
from goals.access import get_goal_for_user
from goals.models import CheckIn, Goal, GoalQuerySet, prefetch_measured_facts
from goals.progress.forms import CheckInForm
from plans.access import get_plan_for_user

router = Router(tags=["Goals"])
ERRORS: dict[int, type] = {401: Problem, 404: Problem, 422: Problem, 429: Problem}
WRITE_ERRORS: dict[int, type] = {**ERRORS, 403: Problem}


class GoalFilters(PageParams):
    status: Goal.Status | None = None


class CheckInFilters(PageParams):
    since: date | None = None  # checked on or after
    until: date | None = None  # checked on or before


def _goals() -> GoalQuerySet:
    return Goal.objects.with_latest_check_in().select_related("skill", "certification", "role")


def goal_out(request: HttpRequest, goal: Goal) -> dict[str, Any]:
    progress = goal.progress()
    return {
        **{f: getattr(goal, f) for f in GOAL_FIELDS},
        "plan": goal.plan_id,
        "current_value": goal.current_value(),
        "progress_percent": goal.progress_percent(progress),
        "track_status": goal.track_status(progress=progress).value,
        "skill": goal.skill.slug if goal.skill else None,
        "certification": goal.certification.slug if goal.certification else None,
        "role": goal.role.slug if goal.role else None,
        "horizon": goal.horizon,
        "next_check_in_on": goal.next_check_in_on(),
        "url": request.build_absolute_uri(goal.get_absolute_url()),
    }


GOAL_FIELDS = [
    "id",
    "title",
    "description",
    "metric",
    "unit",
    "baseline",
    "target",
    "plan_of_attack",
    "effort",
    "relevance",
    "start_date",
    "deadline",
    "status",
    "reminder_cadence",
    "created_at",
    "completed_at",
]


@router.get("/plans/{int:plan_id}/goals", response={200: GoalPage, **ERRORS}, url_name="plan_goals")
def plan_goals(request: HttpRequest, plan_id: int, filters: Query[GoalFilters]) -> dict[str, Any]:
    """The plan's goals in the order they were made, optionally of one status."""
    plan = get_plan_for_user(request, plan_id)
    goals = _goals().filter(plan=plan)
    if filters.status:
        goals = goals.filter(status=filters.status)
    items, next_cursor = page(goals, cursor=filters.cursor, limit=filters.limit)
    for goal in items:
        goal.plan = plan  # one plan read for all: what measured facts and ownership read
    prefetch_measured_facts(items)
    return {"items": [goal_out(request, g) for g in items], "next_cursor": next_cursor}


@router.get("/goals/{int:goal_id}", response={200: GoalOut, **ERRORS}, url_name="goal")
def goal_detail(request: HttpRequest, goal_id: int) -> dict[str, Any]:
    goal = get_goal_for_user(request, goal_id, queryset=_goals())
    prefetch_measured_facts([goal])
    return goal_out(request, goal)


@router.post("/goals/{int:goal_id}/status", response={200: GoalOut, **WRITE_ERRORS}, url_name="goal_status")
def goal_status(request: HttpRequest, goal_id: int, payload: GoalStatusIn) -> dict[str, Any]:
    """Complete, pause, abandon or resume the goal (as the goal page's buttons do)."""
    require_write(request)
    goal = get_goal_for_user(request, goal_id, write=True)
    if payload.status not in Goal.Status.values:
        raise InvalidFields({"status": [f"One of: {', '.join(Goal.Status.values)}."]})
    if payload.status != goal.status:
        services.goal_set_status(goal=goal, status=payload.status)
    return goal_detail(request, goal_id)


def check_in_out(check_in: CheckIn) -> dict[str, Any]:
    fields = ("id", "value", "note", "checked_on", "created_at")
    return {**{f: getattr(check_in, f) for f in fields}, "goal": check_in.goal_id}


@router.get(
    "/goals/{int:goal_id}/check-ins", response={200: CheckInPage, **ERRORS}, url_name="goal_check_ins"
)
def check_ins(request: HttpRequest, goal_id: int, filters: Query[CheckInFilters]) -> dict[str, Any]:
    """The goal's check-ins in the order they were recorded, optionally between two dates."""
    goal = get_goal_for_user(request, goal_id)
    rows = CheckIn.objects.filter(goal=goal)
    if filters.since:
        rows = rows.filter(checked_on__gte=filters.since)
    if filters.until:
        rows = rows.filter(checked_on__lte=filters.until)
    items, next_cursor = page(rows, cursor=filters.cursor, limit=filters.limit)
    return {"items": [check_in_out(c) for c in items], "next_cursor": next_cursor}


@router.post(
    "/goals/{int:goal_id}/check-ins", response={201: CheckInOut, **WRITE_ERRORS}, url_name="goal_check_ins"
)
def check_in_create(request: HttpRequest, goal_id: int, payload: CheckInIn) -> Status:
    """Record progress, as the goal page's check-in form does: the same checks (a value the goal
    can take, a day between its start and today), the next reminder moves a cadence away, and a
    skill-level or certification goal updates the plan."""
    require_write(request)
    goal = get_goal_for_user(request, goal_id, write=True)
    data = {"value": str(payload.value), "note": payload.note, "date": payload.checked_on or ""}
    form = CheckInForm(data, goal=goal)
    if not form.is_valid():
        named = {"date": "checked_on"}  # the form's name for it, and the API's
        raise InvalidFields({named.get(f, f): [str(m) for m in ms] for f, ms in form.errors.items()})
    check_in = services.check_in_record(goal=goal, **form.check_in_kwargs())
    return Status(201, check_in_out(check_in))
