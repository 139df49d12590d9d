"""Who may rate a plan's skills: a mentor whose share the owner let rate (Share.may_rate)."""

from django.core.exceptions import PermissionDenied

from base.http import AuthenticatedHttpRequest
from plans.access import get_plan_for_user
from plans.models import CareerPlan
from plans.sharing.models import Share


def get_share_for_rater(request: AuthenticatedHttpRequest, pk: int) -> tuple[CareerPlan, Share | None]:
    """The plan and the signed-in mentor's share of it when it lets them rate. Anyone who may not
    read the plan gets 404 (get_plan_for_user); a mentor the owner has not let rate gets 403; the
    owner gets the plan and no share (they assess their own skills)."""
    plan = get_plan_for_user(request, pk, queryset=CareerPlan.objects.with_gap_data().select_related("owner"))
    if plan.is_owned_by(request.user):
        return plan, None
    share = plan.shares.filter(user=request.user, may_rate=True).first()
    if share is None:
        raise PermissionDenied("The plan's owner has not asked you to rate their skills.")
    share.plan = plan
    return plan, share
