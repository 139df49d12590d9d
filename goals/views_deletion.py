"""Deleting a goal: a page that says what goes with it, and the POST that deletes it. The plan's
owner alone (goals.access): a mentor gets 403, anyone else 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from base.words import counted, listed
from goals import services
from goals.access import get_goal_for_user
from goals.models import Goal


def goal_contents(goal: Goal) -> str:
    """In words: "its three check-ins, one milestone and two comments"; "" when it has none."""
    parts = [
        counted(n, one, many)
        for n, one, many in [
            (goal.check_ins.count(), "check-in", "check-ins"),
            (goal.milestones.count(), "milestone", "milestones"),
            (goal.comments.count(), "comment", "comments"),
        ]
        if n
    ]
    return f"its {listed(parts)}" if parts else ""


@login_required
def goal_delete_page(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_user(request, pk, write=True)
    plan = goal.plan
    if request.method == "POST":
        services.goal_delete(goal=goal)
        messages.success(request, f"Deleted the goal “{goal.title}”.")
        return redirect(plan.get_absolute_url() + "#goals")
    context = {"goal": goal, "plan": plan, "contents": goal_contents(goal)}
    return render(request, "goals/goal_confirm_delete.html", context)


urlpatterns = [
    path("<int:pk>/delete/", goal_delete_page, name="delete"),
]
