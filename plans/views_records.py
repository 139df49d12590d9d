"""Certifications pursued and activities logged on a plan.

Every view fetches the plan through get_plan_for_user(write=True): the owner may change it,
a mentor it is shared with gets 403, anyone else 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from plans import services
from plans.access import get_plan_for_owner, get_plan_for_user
from plans.forms_records import ActivityForm, PlanCertificationForm
from plans.models import Activity, CareerPlan
from plans.page import ACTIVITIES_ANCHOR, CERTIFICATIONS_ANCHOR


def _back_to(plan: CareerPlan, anchor: str):
    return redirect(plan.get_absolute_url() + anchor)


# --- Certifications -------------------------------------------------------------------------


@login_required
def certification_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_owner(request, pk)
    form = PlanCertificationForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            # A double-submitted form passes clean() twice; the unique constraint catches the second.
            with transaction.atomic():
                record = services.certification_save(record=form.save(commit=False))
        except IntegrityError:
            form.add_error("certification", "That certification is already on this plan.")
        else:
            messages.success(request, f"Added {record.certification} to your plan.")
            return _back_to(plan, CERTIFICATIONS_ANCHOR)
    return render(request, "plans/certification_form.html", {"plan": plan, "form": form})


@login_required
def certification_edit(request: HttpRequest, pk: int, cert_pk: int) -> HttpResponse:
    plan = get_plan_for_owner(request, pk)
    record = get_object_or_404(plan.certifications.select_related("certification"), pk=cert_pk)
    form = PlanCertificationForm(request.POST or None, instance=record, plan=plan)
    if request.method == "POST" and form.is_valid():
        services.certification_save(record=form.save(commit=False))
        messages.success(request, f"Saved {record.certification}.")
        return _back_to(plan, CERTIFICATIONS_ANCHOR)
    return render(request, "plans/certification_form.html", {"plan": plan, "form": form, "record": record})


@login_required
@require_http_methods(["GET", "POST"])
def certification_delete(request: HttpRequest, pk: int, cert_pk: int) -> HttpResponse:
    plan = get_plan_for_owner(request, pk)
    record = get_object_or_404(plan.certifications.select_related("certification"), pk=cert_pk)
    if request.method == "POST":
        services.certification_delete(record=record)
        messages.success(request, f"Removed {record.certification} from your plan.")
        return _back_to(plan, CERTIFICATIONS_ANCHOR)
    return render(
        request,
        "plans/confirm_delete.html",
        {
            "plan": plan,
            "what": "certification",
            "name": str(record.certification),
            "cancel_url": plan.get_absolute_url() + CERTIFICATIONS_ANCHOR,
        },
    )


# --- Activities -----------------------------------------------------------------------------


def _activity_initial(request: HttpRequest) -> dict:
    initial: dict[str, object] = {"date": timezone.localdate()}
    if request.GET.get("kind") in Activity.Kind.values:
        initial["kind"] = request.GET["kind"]
    return initial


@login_required
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_owner(request, pk)
    form = ActivityForm(request.POST or None, plan=plan, initial=_activity_initial(request))
    if request.method == "POST" and form.is_valid():
        activity = services.activity_save(
            activity=form.save(commit=False), skills=form.cleaned_data["skills"]
        )
        messages.success(request, f"Logged “{activity.title}”.")
        return _back_to(plan, ACTIVITIES_ANCHOR)
    return render(request, "plans/activity_form.html", {"plan": plan, "form": form})


@login_required
def activity_edit(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    plan = get_plan_for_owner(request, pk)
    activity = get_object_or_404(plan.activities, pk=activity_pk)
    form = ActivityForm(request.POST or None, instance=activity, plan=plan)
    if request.method == "POST" and form.is_valid():
        services.activity_save(activity=form.save(commit=False), skills=form.cleaned_data["skills"])
        messages.success(request, f"Saved “{activity.title}”.")
        return _back_to(plan, ACTIVITIES_ANCHOR)
    return render(request, "plans/activity_form.html", {"plan": plan, "form": form, "activity": activity})


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    plan = get_plan_for_owner(request, pk)
    activity = get_object_or_404(plan.activities, pk=activity_pk)
    if request.method == "POST":
        services.activity_delete(activity=activity)
        messages.success(request, f"Deleted “{activity.title}”.")
        return _back_to(plan, ACTIVITIES_ANCHOR)
    return render(
        request,
        "plans/confirm_delete.html",
        {
            "plan": plan,
            "what": "activity",
            "name": activity.title,
            "cancel_url": plan.get_absolute_url() + ACTIVITIES_ANCHOR,
        },
    )


@login_required
def activity_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every activity on the plan, newest first: the plan page shows the latest ten."""
    plan = get_plan_for_user(request, pk)
    activities = plan.activities.prefetch_related("skills")
    context = {"plan": plan, "activities": activities, "owner": plan.is_owned_by(request.user)}
    return render(request, "plans/activity_list.html", context)


urlpatterns = [
    path("<int:pk>/activities/", activity_list, name="activity_list"),
    path("<int:pk>/certifications/add/", certification_add, name="certification_add"),
    path("<int:pk>/certifications/<int:cert_pk>/edit/", certification_edit, name="certification_edit"),
    path("<int:pk>/certifications/<int:cert_pk>/delete/", certification_delete, name="certification_delete"),
    path("<int:pk>/activities/add/", activity_add, name="activity_add"),
    path("<int:pk>/activities/<int:activity_pk>/edit/", activity_edit, name="activity_edit"),
    path("<int:pk>/activities/<int:activity_pk>/delete/", activity_delete, name="activity_delete"),
]
