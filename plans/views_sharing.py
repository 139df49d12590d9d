"""Sharing a plan with a mentor or manager, and their comments."""

from django.http import HttpRequest

from plans.access import is_owner
from plans.models import CareerPlan


def sharing_context(request: HttpRequest, plan: CareerPlan) -> dict:
    """What the plan page shows of sharing: the invitations (owner only) and the comments."""
    return {
        "shares": list(plan.shares.select_related("user")) if is_owner(request, plan) else [],
        "comments": list(plan.comments.select_related("author")),
    }


urlpatterns: list = []
