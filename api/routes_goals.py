"""Goals and their check-ins. Reads follow the plan's visibility (owner and mentors); writes need
the write scope and the plan's owner (a mentor gets 403, anyone else 404), through the services
and forms the pages use."""

import hashlib
from datetime import date
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Status

from api.auth import require_write
from api.conditional import revalidated
from api.pagination import PageParams, page
from api.problems import InvalidFields, Problem
from api.schemas import CheckInIn, CheckInOut, CheckInPage, GoalOut, GoalPage, GoalStatusIn
from base import versions
from base.numbers import plain_number
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
    due_after: date | None = Field(None, description="Only goals whose deadline is on or after this day.")
    due_before: date | None = Field(None, description="Only goals whose deadline is on or before this day.")


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
        **{f: plain_number(getattr(goal, f)) for f in ("baseline", "target")},
        "current_value": plain_number(goal.current_value()),
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


BODY_SECONDS = 3600  # a body is found by its versions' tokens: a write gives it a new key


def body_key(request: HttpRequest, *names: str) -> str:
    """The cache key of an answer: the path and query, the versions of what it shows (base.versions:
    the plan's, the ladder's, people's names), the reader and the day (statuses move with the date)."""
    tokens = versions.current_many([*names, versions.LADDER, versions.PEOPLE])
    parts = [request.path, request.GET.urlencode(), *tokens.values(), str(request.user.pk)]
    parts.append(timezone.localdate().isoformat())
    return "api:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


@router.get("/plans/{int:plan_id}/goals", response={200: GoalPage, **ERRORS}, url_name="plan_goals")
def plan_goals(request: HttpRequest, plan_id: int, filters: Query[GoalFilters]) -> HttpResponse:
    """The plan's goals in the order they were made, optionally of one status and due between two
    days. The answer is kept
    under the plan's version, as the plan page's body is: a repeat read renders nothing."""
    plan = get_plan_for_user(request, plan_id)
    key = body_key(request, versions.plan(plan.pk))
    body = cache.get(key)
    if body is None:
        goals = _goals().filter(plan=plan)
        if filters.status:
            goals = goals.filter(status=filters.status)
        if filters.due_after:
            goals = goals.filter(deadline__gte=filters.due_after)
        if filters.due_before:
            goals = goals.filter(deadline__lte=filters.due_before)
        items, next_cursor = page(goals, cursor=filters.cursor, limit=filters.limit)
        for goal in items:
            goal.plan = plan  # one plan read for all: what measured facts and ownership read
        prefetch_measured_facts(items)
        data = {"items": [goal_out(request, g) for g in items], "next_cursor": next_cursor}
        body = GoalPage.model_validate(data).model_dump_json().encode()
        cache.set(key, body, BODY_SECONDS)
    return revalidated(request, HttpResponse(body, content_type="application/json"))


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
    fields = ("id", "note", "checked_on", "created_at")
    return {
        **{f: getattr(check_in, f) for f in fields},
        "value": plain_number(check_in.value),
        "goal": check_in.goal_id,
    }


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
    form = _check_in_form(goal, payload)
    check_in = services.check_in_record(goal=goal, **form.check_in_kwargs())
    return Status(201, check_in_out(check_in))


def _check_in_form(goal: Goal, payload: CheckInIn, check_in: CheckIn | None = None) -> CheckInForm:
    """The goal page's form, bound to the API's fields; its refusals are the API's field errors."""
    data = {"value": str(payload.value), "note": payload.note, "date": payload.checked_on or ""}
    form = CheckInForm(data, goal=goal, check_in=check_in)
    if not form.is_valid():
        named = {"date": "checked_on"}  # the form's name for it, and the API's
        raise InvalidFields({named.get(f, f): [str(m) for m in ms] for f, ms in form.errors.items()})
    return form


@router.put(
    "/goals/{int:goal_id}/check-ins/{int:check_in_id}",
    response={200: CheckInOut, **WRITE_ERRORS},
    url_name="goal_check_in",
)
def check_in_correct(
    request: HttpRequest, goal_id: int, check_in_id: int, payload: CheckInIn
) -> dict[str, Any]:
    """Correct a check-in, as the goal page's edit form does: value and note as sent, the day kept
    when checked_on is left out."""
    require_write(request)
    goal = get_goal_for_user(request, goal_id, write=True)
    check_in = get_object_or_404(goal.check_ins, pk=check_in_id)
    form = _check_in_form(goal, payload, check_in)
    return check_in_out(services.check_in_update(check_in=form.corrected_check_in()))


@router.delete(
    "/goals/{int:goal_id}/check-ins/{int:check_in_id}",
    response={204: None, **WRITE_ERRORS},
    url_name="goal_check_in",
)
def check_in_delete(request: HttpRequest, goal_id: int, check_in_id: int) -> HttpResponse:
    """Delete a check-in and the self-assessment it recorded (a skill-level goal)."""
    require_write(request)
    goal = get_goal_for_user(request, goal_id, write=True)
    services.check_in_delete(check_in=get_object_or_404(goal.check_ins, pk=check_in_id))
    return HttpResponse(status=204)
