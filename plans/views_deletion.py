"""Deleting a plan: a page that says what goes with it and who loses access, and the POST that
deletes it. The owner's alone (plans.access): a mentor gets 403, anyone else 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from plans import services
from plans.access import get_plan_for_user
from plans.deletion import plan_contents, plan_mentors, plan_pending_invitations


@login_required
def plan_delete_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True)
    if request.method == "POST":
        services.plan_delete(plan=plan)
        messages.success(request, f"Deleted the plan “{plan.title}” and everything in it.")
        return redirect("plans:list")
    context = {
        "plan": plan,
        "contents": plan_contents(plan),
        "mentors": plan_mentors(plan),
        "pending_invitations": plan_pending_invitations(plan),
    }
    return render(request, "plans/plan_confirm_delete.html", context)


urlpatterns = [
    path("<int:pk>/delete/", plan_delete_page, name="delete"),
]
