"""Comments through the API: the one write a mentor's token may make. Whoever reads the plan (its
owner, a mentor it is shared with) posts on its thread or a goal's, through the pages' comment
forms and services, so the other side gets the same email, queued on commit. Anyone else: 404."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from accounts.names import display_name
from api.auth import require_write
from api.problems import InvalidFields, Problem
from goals import services as goal_services
from goals.access import get_goal_for_user
from goals.forms import GoalCommentForm
from goals.models import Goal, GoalComment
from plans.access import get_plan_for_user
from plans.models import CareerPlan
from plans.sharing import services as sharing_services
from plans.sharing.forms import CommentForm
from plans.sharing.models import Comment

router = Router(tags=["Comments"])
WRITE_ERRORS: dict[int, type] = {401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}


class CommentIn(Schema):
    body: str  # at most 5,000 characters


class CommentOut(Schema):
    id: int
    author: str  # the author's name, as the pages show it
    body: str
    created_at: datetime


def _body(form: CommentForm) -> str:
    if not form.is_valid():
        raise InvalidFields({f: [str(m) for m in ms] for f, ms in form.errors.items()})
    return form.cleaned_data["body"]


def _comment_out(comment: Comment | GoalComment) -> dict[str, Any]:
    fields = ("id", "body", "created_at")
    return {**{f: getattr(comment, f) for f in fields}, "author": display_name(comment.author)}


@router.post(
    "/plans/{int:plan_id}/comments", response={201: CommentOut, **WRITE_ERRORS}, url_name="plan_comments"
)
def plan_comment_create(request: HttpRequest, plan_id: int, payload: CommentIn) -> Status:
    """Post on the plan's comment thread, as its owner or a mentor it is shared with; the other side
    is emailed, as from the plan page."""
    require_write(request)
    plan = get_plan_for_user(request, plan_id, queryset=CareerPlan.objects.select_related("owner"))
    body = _body(CommentForm({"body": payload.body}))
    comment = sharing_services.comment_add(plan=plan, author=request.user, body=body)  # type: ignore[arg-type]
    return Status(201, _comment_out(comment))


@router.post(
    "/goals/{int:goal_id}/comments", response={201: CommentOut, **WRITE_ERRORS}, url_name="goal_comments"
)
def goal_comment_create(request: HttpRequest, goal_id: int, payload: CommentIn) -> Status:
    """Post on the goal's comment thread, as the plan's owner or a mentor; the other side is emailed,
    as from the goal page."""
    require_write(request)
    goal = get_goal_for_user(request, goal_id, queryset=Goal.objects.select_related("plan__owner"))
    body = _body(GoalCommentForm({"body": payload.body}))
    comment = goal_services.goal_comment_add(goal=goal, author=request.user, body=body)  # type: ignore[arg-type]
    return Status(201, _comment_out(comment))
