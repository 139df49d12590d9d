"""Milestones and check-ins: measured progress, in place with htmx.

Every view fetches the goal through get_goal_for_user(write=True): the plan's owner may change
it, a mentor it is shared with gets 403, anyone else 404, an anonymous visitor the login page.
With htmx (request.htmx) a view answers with the partial to swap in, field errors included
(status 200, so htmx swaps it without extra configuration); without JavaScript it redirects
back to a safe ``next`` with a message, or shows the form again on a page of its own.

A check-in on a skill-level or certification goal also changes the plan (a self-assessment, an
earned certification) that the plan page shows elsewhere: htmx reloads that page whole.
Check-ins are corrected and deleted from the goal page's list; with htmx the progress panel
(chart, progress, status, list) is swapped whole.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateformat import format as format_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from base.http import AuthenticatedHttpRequest
from goals import services
from goals.access import get_goal_for_user
from goals.amounts import amount
from goals.models import CheckIn, Goal, prefetch_measured_facts
from goals.progress.forms import CheckInForm, MilestoneForm
from goals.sections import goal_progress_context, goal_row_context, goal_with_history, milestones_context

MILESTONES_ANCHOR = "#milestones"  # section ids on the goal page
PROGRESS_ANCHOR = "#progress"


def _goal_for_owner(request: AuthenticatedHttpRequest, pk: int) -> Goal:
    return get_goal_for_user(request, pk, write=True)


def _with_progress(goal: Goal) -> Goal:
    """The goal again, with the check-ins and milestones its partials show, read after the write."""
    return goal_with_history(Goal.objects.select_related("plan", "skill", "certification").filter(pk=goal.pk))


def _next_url(request: AuthenticatedHttpRequest, default: str) -> str:
    """Where to go back to: ``next`` when it is a URL on this site, else ``default``."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and safe else default


def _form_page(
    request: AuthenticatedHttpRequest, goal: Goal, form, *, what: str, action: str, default_next: str
) -> HttpResponse:
    """The form on a page of its own: the GET view, and a failed POST without JavaScript."""
    prefetch_measured_facts([goal])
    context = {
        "goal": goal,
        "form": form,
        "what": what,
        "action": action,
        "next": _next_url(request, default_next),
    }
    return render(request, "goals/progress_form.html", context)


# --- Check-ins ------------------------------------------------------------------------------


def _row_fragment(
    request: AuthenticatedHttpRequest,
    goal: Goal,
    *,
    form: CheckInForm | None = None,
    recorded: CheckIn | None = None,
) -> HttpResponse:
    """The plan page's row for the goal, as htmx swaps it in (hx-target the row, outerHTML)."""
    context = {
        **goal_row_context(_with_progress(goal), owner=True),
        "check_in_form": form,
        "recorded": recorded,
    }
    return render(request, "goals/includes/goal_row.html", context)


def _recorded_message(goal: Goal, check_in: CheckIn) -> str:
    message = f"Recorded {amount(check_in.value, goal.unit)} for “{goal.title}”."
    if goal.measures_skill_level:
        assert goal.skill is not None  # measures_skill_level says so
        message += f" It is your self-assessment of {goal.skill.name} on this plan."
    elif goal.measures_certification and check_in.value == goal.target:
        message += f" {goal.certification} is recorded as earned on your plan."
    if goal.is_active and goal.target_reached():
        message += " Target reached: mark the goal as completed when you are ready."
    return message


@login_required
@require_http_methods(["GET", "POST"])
def check_in_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    goal = _goal_for_owner(request, pk)
    form = CheckInForm(request.POST or None, goal=goal)
    if request.method == "POST" and form.is_valid():
        check_in = services.check_in_record(goal=goal, **form.check_in_kwargs())
        if request.htmx and (goal.measures_skill_level or goal.measures_certification):
            # The gap, readiness and certifications on the same page changed too.
            messages.success(request, _recorded_message(goal, check_in))
            return HttpResponseClientRefresh()
        if request.htmx:
            return _row_fragment(request, goal, recorded=check_in)
        messages.success(request, _recorded_message(goal, check_in))
        return redirect(_next_url(request, goal.get_absolute_url() + PROGRESS_ANCHOR))
    if request.method == "POST" and request.htmx:
        return _row_fragment(request, goal, form=form)
    default_next = goal.get_absolute_url() + PROGRESS_ANCHOR
    return _form_page(request, goal, form, what="check_in", action=request.path, default_next=default_next)


# --- Correcting and deleting check-ins (the goal page's list) --------------------------------


def _panel_fragment(
    request: AuthenticatedHttpRequest,
    goal: Goal,
    *,
    editing: CheckIn | None = None,
    form: CheckInForm | None = None,
) -> HttpResponse:
    """The goal page's progress panel, as htmx swaps it in (#goal-progress-<pk>, outerHTML)."""
    context = goal_progress_context(_with_progress(goal), owner=True, editing=editing, edit_form=form)
    return render(request, "goals/includes/goal_progress_panel.html", {**context, "fragment": True})


def _check_in_of(goal: Goal, check_in_pk: int) -> CheckIn:
    return get_object_or_404(goal.check_ins.select_related("assessment"), pk=check_in_pk)


@login_required
@require_http_methods(["GET", "POST"])
def check_in_edit(request: AuthenticatedHttpRequest, pk: int, check_in_pk: int) -> HttpResponse:
    """Correct a check-in's value, note or date; the chart, progress and status follow."""
    goal = _goal_for_owner(request, pk)
    check_in = _check_in_of(goal, check_in_pk)
    form = CheckInForm(request.POST or None, goal=goal, check_in=check_in, auto_id="check-in-edit-%s")
    if request.method == "POST" and form.is_valid():
        services.check_in_update(check_in=form.corrected_check_in())
        if request.htmx:
            return _panel_fragment(request, goal)
        value, day = amount(check_in.value, goal.unit), format_date(check_in.checked_on, "j M Y")
        messages.success(request, f"Corrected the check-in: {value} on {day}.")
        return redirect(_next_url(request, goal.get_absolute_url() + PROGRESS_ANCHOR))
    if request.htmx:
        return _panel_fragment(request, goal, editing=check_in, form=form)
    back = goal.get_absolute_url() + PROGRESS_ANCHOR
    return _form_page(request, goal, form, what="check_in_edit", action=request.path, default_next=back)


def _deleted_message(goal: Goal, check_in: CheckIn) -> str:
    message = f"Deleted the check-in of {format_date(check_in.checked_on, 'j M Y')}."
    if goal.measures_skill_level and check_in.assessment_id:
        assert goal.skill is not None  # measures_skill_level says so
        message += f" Its self-assessment of {goal.skill.name} is gone too."
    elif goal.measures_certification and goal.certification_earned():
        message += f" {goal.certification} stays earned on your plan: change it there if that was a mistake."
    return message


@login_required
@require_POST
def check_in_delete_post(request: AuthenticatedHttpRequest, pk: int, check_in_pk: int) -> HttpResponse:
    """Delete a check-in (and the self-assessment it recorded); the chart, progress and status follow."""
    goal = _goal_for_owner(request, pk)
    check_in = _check_in_of(goal, check_in_pk)
    services.check_in_delete(check_in=check_in)
    if request.htmx:
        return _panel_fragment(request, goal)
    messages.success(request, _deleted_message(goal, check_in))
    return redirect(_next_url(request, goal.get_absolute_url() + PROGRESS_ANCHOR))


# --- Milestones -----------------------------------------------------------------------------


def _milestones_fragment(
    request: AuthenticatedHttpRequest, goal: Goal, *, form: MilestoneForm | None = None
) -> HttpResponse:
    return render(request, "goals/includes/milestones.html", milestones_context(goal, owner=True, form=form))


def _back_to_milestones(request: AuthenticatedHttpRequest, goal: Goal, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(_next_url(request, goal.get_absolute_url() + MILESTONES_ANCHOR))


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    goal = _goal_for_owner(request, pk)
    form = MilestoneForm(request.POST or None, goal=goal)
    if request.method == "POST" and form.is_valid():
        milestone = services.milestone_add(milestone=form.save(commit=False))
        if request.htmx:
            return _milestones_fragment(request, goal)
        return _back_to_milestones(request, goal, f"Added the milestone “{milestone.title}”.")
    if request.method == "POST" and request.htmx:
        return _milestones_fragment(request, goal, form=form)
    default_next = goal.get_absolute_url() + MILESTONES_ANCHOR
    return _form_page(request, goal, form, what="milestone", action=request.path, default_next=default_next)


@login_required
@require_POST
def milestone_toggle(request: AuthenticatedHttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    """Mark done (done=1) or not done (done=0); without ``done``, flip it.

    The form sends the state it wants, so a double-click does not undo itself.
    """
    goal = _goal_for_owner(request, pk)
    milestone = get_object_or_404(goal.milestones, pk=milestone_pk)
    done = request.POST.get("done", "0" if milestone.is_done else "1") == "1"
    services.milestone_set_done(milestone=milestone, done=done)
    if request.htmx:
        return _milestones_fragment(request, goal)
    state = "done" if done else "not done"
    return _back_to_milestones(request, goal, f"Marked “{milestone.title}” as {state}.")


@login_required
@require_POST
def milestone_delete(request: AuthenticatedHttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    goal = _goal_for_owner(request, pk)
    milestone = get_object_or_404(goal.milestones, pk=milestone_pk)
    services.milestone_delete(milestone=milestone)
    if request.htmx:
        return _milestones_fragment(request, goal)
    return _back_to_milestones(request, goal, f"Removed the milestone “{milestone.title}”.")
