"""The one way views fetch a plan, so a foreign id is a 404 everywhere."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from plans.models import CareerPlan, CareerPlanQuerySet


def get_plan_for_user(
    request: HttpRequest, pk: int, *, write: bool = False, queryset: CareerPlanQuerySet | None = None
) -> CareerPlan:
    """The plan if the signed-in user may read it (owner or shared with them), else 404.

    With ``write=True`` only the owner gets it: a mentor who can read the plan gets 403
    (they know it exists), everyone else still gets 404.
    """
    plans = (queryset if queryset is not None else CareerPlan.objects.all()).visible_to(request.user)
    plan = get_object_or_404(plans, pk=pk)
    if write and not plan.is_owned_by(request.user):
        raise PermissionDenied("Only the plan's owner can change it.")
    return plan


def get_plan_for_owner(request: HttpRequest, pk: int) -> CareerPlan:
    """The plan if the signed-in user owns it (get_plan_for_user's write rule: a mentor gets 403,
    anyone else 404), with its roles, their tracks and its industry: what the forms that add to a
    plan show."""
    with_roles = CareerPlan.objects.select_related("current_role__track", "target_role__track", "industry")
    return get_plan_for_user(request, pk, write=True, queryset=with_roles)


def is_owner(request: HttpRequest, plan: CareerPlan) -> bool:
    return plan.is_owned_by(request.user)
