"""The one way views fetch a goal, built on the plan's visibility rule."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from goals.models import Goal, GoalQuerySet


def get_goal_for_user(
    request: HttpRequest, pk: int, *, write: bool = False, queryset: GoalQuerySet | None = None
) -> Goal:
    """The goal if the signed-in user may read its plan (owner or shared with them), else 404.

    With ``write=True`` only the plan's owner gets it: a mentor who can read the goal gets 403
    (they know it exists), everyone else still gets 404 — the same rule as get_plan_for_user.
    """
    goals = (queryset if queryset is not None else Goal.objects.all()).select_related("plan")
    goal = get_object_or_404(goals.visible_to(request.user), pk=pk)
    if write and not goal.is_owned_by(request.user):
        raise PermissionDenied("Only the plan's owner can change its goals.")
    return goal


def is_goal_owner(request: HttpRequest, goal: Goal) -> bool:
    return goal.is_owned_by(request.user)
