"""The one way views fetch a 1:1: the owner and the mentor of its live share read and write on it,
anyone else gets 404; a write only the owner may make gives the mentor 403 (plans.access's rule)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from base.http import AuthenticatedHttpRequest
from goals.oneonones.models import ActionItem, OneOnOne


def get_one_on_one_for_user(
    request: AuthenticatedHttpRequest, pk: int, *, owner_only: bool = False
) -> OneOnOne:
    one_on_ones = OneOnOne.objects.select_related("plan__owner", "share__user")
    one_on_one = get_object_or_404(one_on_ones.visible_to(request.user), pk=pk)
    if owner_only and not one_on_one.is_owned_by(request.user):
        raise PermissionDenied("Only the plan's owner can put an item on the plan or decline it.")
    return one_on_one


def get_action_item_for_user(
    request: AuthenticatedHttpRequest, pk: int, item_pk: int, *, owner_only: bool = False
) -> ActionItem:
    one_on_one = get_one_on_one_for_user(request, pk, owner_only=owner_only)
    item = get_object_or_404(ActionItem.objects.filter(one_on_one=one_on_one), pk=item_pk)
    item.one_on_one = one_on_one
    return item
