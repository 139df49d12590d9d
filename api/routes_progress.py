"""A goal's milestones: read by whoever reads the goal, added and ticked off by its owner with a
write token, through the goal page's form and services."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from api.auth import require_write
from api.problems import InvalidFields, Problem
from api.schemas import MilestoneDoneIn, MilestoneIn, MilestoneOut
from goals import services
from goals.access import get_goal_for_user
from goals.models import Milestone
from goals.progress.forms import MilestoneForm

router = Router(tags=["Goals"])
ERRORS: dict[int, type] = {401: Problem, 404: Problem, 422: Problem, 429: Problem}
WRITE_ERRORS: dict[int, type] = {**ERRORS, 403: Problem}


def milestone_out(milestone: Milestone) -> dict[str, Any]:
    fields = ("id", "title", "due_date", "done_at")
    return {**{f: getattr(milestone, f) for f in fields}, "goal": milestone.goal_id}


@router.get(
    "/goals/{int:goal_id}/milestones",
    response={200: list[MilestoneOut], **ERRORS},
    url_name="goal_milestones",
)
def milestones(request: HttpRequest, goal_id: int) -> list[dict[str, Any]]:
    """The goal's milestones by due date (a goal has a handful, so the list is whole)."""
    goal = get_goal_for_user(request, goal_id)
    return [milestone_out(m) for m in goal.milestones.order_by("due_date", "pk")]


@router.post(
    "/goals/{int:goal_id}/milestones",
    response={201: MilestoneOut, **WRITE_ERRORS},
    url_name="goal_milestones",
)
def milestone_add(request: HttpRequest, goal_id: int, payload: MilestoneIn) -> Status:
    """Add a milestone due between the goal's start and its deadline."""
    require_write(request)
    goal = get_goal_for_user(request, goal_id, write=True)
    form = MilestoneForm({"title": payload.title, "due_date": payload.due_date}, goal=goal)
    if not form.is_valid():
        raise InvalidFields({f: [str(m) for m in ms] for f, ms in form.errors.items()})
    return Status(201, milestone_out(services.milestone_add(milestone=form.save(commit=False))))


@router.post(
    "/goals/{int:goal_id}/milestones/{int:milestone_id}/done",
    response={200: MilestoneOut, **WRITE_ERRORS},
    url_name="goal_milestone_done",
)
def milestone_done(request: HttpRequest, goal_id: int, milestone_id: int, payload: MilestoneDoneIn) -> Any:
    """Mark a milestone done, or not done again."""
    require_write(request)
    goal = get_goal_for_user(request, goal_id, write=True)
    milestone = get_object_or_404(goal.milestones, pk=milestone_id)
    return milestone_out(services.milestone_set_done(milestone=milestone, done=payload.done))
