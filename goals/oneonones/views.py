"""1:1s on a share: the list of a plan's 1:1s, starting one, and the 1:1's page where both sides add
talking points, notes and action items, and action items go onto the owner's plan.

Every view fetches through plans.access (the plan) or goals.oneonones.access (a 1:1): the owner and
the mentor of the 1:1's live share may write, anyone else gets 404, an anonymous visitor the
sign-in page. Putting a proposed item on the plan, and declining one, are the owner's alone.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from base.http import AuthenticatedHttpRequest
from goals.models import ReminderSettings
from goals.oneonones import services
from goals.oneonones.access import get_action_item_for_user, get_one_on_one_for_user
from goals.oneonones.forms import ActionItemForm, NoteForm, OneOnOneForm, TalkingPointForm
from goals.oneonones.models import ActionItem, OneOnOne
from plans.access import get_plan_for_user
from plans.models import CareerPlan
from plans.sharing.models import Share


def _shares_of(plan: CareerPlan, user) -> list[Share]:
    """The shares ``user`` may hold a 1:1 on: the owner's accepted ones, or the mentor's own."""
    shares = (
        Share.objects.filter(plan=plan, user__isnull=False)
        .select_related("user")
        .order_by("accepted_at", "pk")
    )
    if not plan.is_owned_by(user):
        shares = shares.filter(user=user)
    return list(shares)


@login_required
def one_on_one_list_page(request: AuthenticatedHttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, plan_pk, queryset=CareerPlan.objects.select_related("owner"))
    one_on_ones = (
        OneOnOne.objects.visible_to(request.user)
        .filter(plan=plan)
        .select_related("share__user")
        .prefetch_related(
            Prefetch("action_items", queryset=ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES))
        )
    )
    context = {
        "plan": plan,
        "owner": plan.is_owned_by(request.user),
        "one_on_ones": list(one_on_ones),
        "can_start": bool(_shares_of(plan, request.user)),
        "now": timezone.now(),
        "time_zone": ReminderSettings.for_user(request.user).timezone,
    }
    return render(request, "goals/oneonones/list.html", context)


@login_required
def one_on_one_new_page(request: AuthenticatedHttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, plan_pk, queryset=CareerPlan.objects.select_related("owner"))
    shares = _shares_of(plan, request.user)
    time_zone = ReminderSettings.for_user(request.user).timezone
    form = OneOnOneForm(
        request.POST if request.method == "POST" else None,
        instance=OneOnOne(plan=plan),
        shares=shares,
        time_zone=time_zone,
    )
    if request.method == "POST" and shares and form.is_valid():
        one_on_one = services.one_on_one_create(
            one_on_one=form.save(commit=False), user=request.user, today=timezone.localdate()
        )
        messages.success(request, "1:1 scheduled, with talking points from the plan.")
        return redirect(one_on_one)
    context = {"plan": plan, "form": form, "shares": shares, "owner": plan.is_owned_by(request.user)}
    return render(request, "goals/oneonones/new.html", context)


def _page(request: AuthenticatedHttpRequest, one_on_one: OneOnOne, **forms) -> HttpResponse:
    """The 1:1's page (the GET, and a failed POST with its form's errors)."""
    previous = (
        OneOnOne.objects.filter(
            plan=one_on_one.plan_id, share=one_on_one.share_id, starts_at__lt=one_on_one.starts_at
        )
        .order_by("-starts_at", "-pk")
        .values("pk")[:1]
        if one_on_one.share_id
        else OneOnOne.objects.none().values("pk")
    )
    context = {
        "one_on_one": one_on_one,
        "plan": one_on_one.plan,
        "owner": one_on_one.is_owned_by(request.user),
        "time_zone": ReminderSettings.for_user(request.user).timezone,
        "talking_points": list(one_on_one.talking_points.select_related("author")),
        "notes": list(one_on_one.notes.select_related("author")),
        "action_items": list(one_on_one.action_items.select_related("author", "goal", "activity")),
        "carried": list(
            ActionItem.objects.filter(
                one_on_one__in=previous, status__in=ActionItem.OPEN_STATUSES
            ).select_related("author", "one_on_one")
        ),
        "point_form": forms.get("point_form") or TalkingPointForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "item_form": forms.get("item_form") or ActionItemForm(),
    }
    return render(request, "goals/oneonones/detail.html", context)


@login_required
def one_on_one_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_one_on_one_for_user(request, pk))


def _written_post(
    request: AuthenticatedHttpRequest, pk: int, form_class, key: str, done: str
) -> HttpResponse:
    one_on_one = get_one_on_one_for_user(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _page(request, one_on_one, **{key: form})
    row = form.save(commit=False)
    row.one_on_one, row.author, row.side = one_on_one, request.user, one_on_one.side_of(request.user)
    row.save()
    messages.success(request, done)
    return redirect(one_on_one)


@login_required
@require_POST
def talking_point_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _written_post(request, pk, TalkingPointForm, "point_form", "Talking point added.")


@login_required
@require_POST
def note_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _written_post(request, pk, NoteForm, "note_form", "Note added.")


@login_required
@require_POST
def action_item_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _written_post(request, pk, ActionItemForm, "item_form", "Action item added.")


def _back(request: AuthenticatedHttpRequest, item: ActionItem) -> HttpResponse:
    """Back to the 1:1 the button was on (an item carried over shows on the next 1:1 too)."""
    back = request.POST.get("from", "")
    target = item.one_on_one
    if back.isascii() and back.isdigit():
        found = OneOnOne.objects.visible_to(request.user).filter(pk=int(back)).first()
        target = found or target
    return redirect(target.get_absolute_url() + "#action-items")


def _decided(request: AuthenticatedHttpRequest, item: ActionItem, call) -> HttpResponse:
    try:
        item = call()
    except services.ActionItemRefused as refused:
        messages.error(request, str(refused))
    else:
        if item.status == ActionItem.Status.DONE:
            what = "goal" if item.goal_id else "activity"
            messages.success(request, f"“{item.text}” is on the plan as a {what}.")
        elif item.status == ActionItem.Status.PROPOSED:
            messages.success(request, f"Proposed “{item.text}”: it goes on the plan when its owner confirms.")
        elif item.status == ActionItem.Status.DECLINED:
            messages.info(request, f"Declined “{item.text}”: it stays in the 1:1, off the plan.")
    return _back(request, item)


@login_required
@require_POST
def action_item_convert_post(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = get_action_item_for_user(request, pk, item_pk)
    return _decided(request, item, lambda: services.action_item_convert(item=item, user=request.user))


@login_required
@require_POST
def action_item_confirm_post(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = get_action_item_for_user(request, pk, item_pk, owner_only=True)
    return _decided(request, item, lambda: services.action_item_confirm(item=item))


@login_required
@require_POST
def action_item_decline_post(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = get_action_item_for_user(request, pk, item_pk, owner_only=True)
    return _decided(request, item, lambda: services.action_item_decline(item=item))


urlpatterns = [
    path("plan/<int:plan_pk>/one-on-ones/", one_on_one_list_page, name="one_on_ones"),
    path("plan/<int:plan_pk>/one-on-ones/new/", one_on_one_new_page, name="one_on_one_new"),
    path("one-on-ones/<int:pk>/", one_on_one_page, name="one_on_one"),
    path("one-on-ones/<int:pk>/talking-points/", talking_point_post, name="talking_point_add"),
    path("one-on-ones/<int:pk>/notes/", note_post, name="one_on_one_note_add"),
    path("one-on-ones/<int:pk>/action-items/", action_item_post, name="action_item_add"),
    path(
        "one-on-ones/<int:pk>/action-items/<int:item_pk>/convert/",
        action_item_convert_post,
        name="action_item_convert",
    ),
    path(
        "one-on-ones/<int:pk>/action-items/<int:item_pk>/confirm/",
        action_item_confirm_post,
        name="action_item_confirm",
    ),
    path(
        "one-on-ones/<int:pk>/action-items/<int:item_pk>/decline/",
        action_item_decline_post,
        name="action_item_decline",
    ),
]
