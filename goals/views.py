"""Goal creation, SMART validation, editing, status; starting from templates, the gap, certifications.

Goals are fetched through goals.access.get_goal_for_user and plans through
plans.access.get_plan_for_user: the owner may change them, a mentor the plan is shared
with reads (403 on writes), anyone else gets 404.
"""

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from base import versions
from base.http import AuthenticatedHttpRequest
from base.params import parse_id
from base.words import counted, listed
from goals import services
from goals.access import get_goal_for_user, is_goal_owner
from goals.drafting import (
    draft_from_gap,
    initial_from_certification,
    initial_from_skill,
    initial_from_template,
)
from goals.examples import template_groups
from goals.forms import DraftGoalsForm, GoalCommentForm, GoalForm
from goals.models import CheckIn, Goal, Milestone, ReminderSettings, prefetch_measured_facts
from goals.reminders.schedule import local_time
from goals.sections import all_goals_context
from goals.smart import smart_advice
from plans.access import get_plan_for_owner, get_plan_for_user
from plans.models import CareerPlan, PlanCertification
from plans.page import ACTIVITIES_ANCHOR, CERTIFICATIONS_ANCHOR, GOALS_ANCHOR, page_key
from skills.models import Certification, GoalTemplate, Horizon, Skill


def _goal_queryset():
    """The goal page's, with its check-ins and milestones: what the edit form reads."""
    return _goal_page_queryset().prefetch_related(
        Prefetch("check_ins", queryset=CheckIn.objects.order_by("checked_on", "pk")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
    )


def _pk_param(request: HttpRequest, name: str) -> int | None:
    return parse_id(request.GET.get(name))


def _starting_point(request: HttpRequest, plan: CareerPlan) -> tuple[dict, str]:
    """Initial data from ?template=, ?skill= or ?certification=, and a line saying where it came from."""
    today = timezone.localdate()
    if (pk := _pk_param(request, "template")) is not None:
        template = GoalTemplate.objects.filter(pk=pk).first()
        if template:
            return initial_from_template(template, today), f"Started from the example “{template.title}”."
    if (pk := _pk_param(request, "skill")) is not None:
        skill = Skill.objects.filter(pk=pk).first()
        initial = initial_from_skill(plan, skill, today) if skill else None
        if skill and initial:  # (initial only with a skill)
            return initial, f"Drafted from your gap in {skill.name}."
        if skill:
            messages.warning(
                request, f"{plan.target_role.title} doesn't require {skill.name}: start from scratch."
            )
    if (pk := _pk_param(request, "certification")) is not None:
        certification = Certification.objects.filter(pk=pk).first()
        if certification:
            return initial_from_certification(plan, certification, today), f"Drafted for {certification}."
    return {}, ""


def _announce_saved(request: HttpRequest, goal: Goal, verb: str) -> None:
    """The goal page it returns to shows what would make the goal SMARTer: said there, once."""
    messages.success(request, f"Goal {verb}: “{goal.title}”.")


@login_required
def goal_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_plan_for_owner(request, plan_pk)
    initial, source = _starting_point(request, plan) if request.method == "GET" else ({}, "")
    form = GoalForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        goal = services.goal_save(goal=form.save(commit=False))
        _announce_saved(request, goal, "added")
        return redirect(goal)
    context = {"form": form, "plan": plan, "source": source, "template_groups": template_groups(plan)}
    if initial.get("skill") and not initial.get("template"):  # "Make this a goal", from the gap
        context["existing"] = (
            plan.goals.filter(skill_id=initial["skill"], status__in=[Goal.Status.ACTIVE, Goal.Status.PAUSED])
            .order_by("created_at")
            .first()
        )
    return render(request, "goals/goal_form.html", context)


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_user(request, pk, write=True, queryset=_goal_queryset())
    form = GoalForm(request.POST or None, instance=goal, plan=goal.plan)
    if request.method == "POST" and form.is_valid():
        goal = services.goal_save(goal=form.save(commit=False))
        _announce_saved(request, goal, "saved")
        return redirect(goal)
    return render(request, "goals/goal_form.html", {"form": form, "plan": goal.plan, "goal": goal})


def _certification_record(goal: Goal) -> PlanCertification | None:
    return PlanCertification.objects.filter(plan=goal.plan, certification=goal.certification_id).first()


@login_required
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_goal_page(request, pk)


def render_goal_page(
    request: HttpRequest, pk: int, comment_form: GoalCommentForm | None = None
) -> HttpResponse:
    """The goal page for anyone who may read it; goal_comment_add passes its invalid form back in
    (that body, with its errors, is never cached). The body is cached under the plan's version."""
    goal = get_goal_for_user(request, pk, queryset=_goal_page_queryset())
    context = goal_page_context(request, goal, comment_form)
    cacheable = comment_form is None and settings.CSRF_COOKIE_NAME in request.COOKIES
    context["body_key"] = page_key(request, versions.plan(goal.plan_id)) if cacheable else None
    return render(request, "goals/goal_detail.html", context)


def _goal_page_queryset():
    """The goal, its plan and what it names: enough for access and the cache key; its history is
    read only when the body is rendered (goal_page_context)."""
    return Goal.objects.select_related(
        "plan__owner",
        "plan__current_role__track",
        "plan__target_role__track",
        "skill",
        "certification",
        "role",
    )


def goal_page_context(request: HttpRequest, goal: Goal, comment_form: GoalCommentForm | None = None) -> dict:
    """Everything but the goal's name and plan is computed on first use, so a cached body costs nothing."""
    owner = is_goal_owner(request, goal)

    def loaded() -> Goal:
        prefetch_related_objects(
            [goal],
            Prefetch("check_ins", queryset=CheckIn.objects.order_by("checked_on", "pk")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
        )
        return prefetch_measured_facts([goal])[0]

    full = cast(Goal, SimpleLazyObject(loaded))  # a proxy: the goal, loaded when first read
    lazy = SimpleLazyObject
    return {
        "goal": full,
        "title": goal.title,
        "plan": goal.plan,
        "owner": owner,
        "horizon_label": lazy(lambda: Horizon(full.horizon).label),
        "advice": lazy(
            lambda: (
                smart_advice(full)
                if owner and full.status in (Goal.Status.ACTIVE, Goal.Status.PAUSED)
                else []
            )
        ),
        # The body's buttons: read (a query at most) only when the body is rendered.
        "offer_completion": lazy(lambda: owner and full.is_active and full.target_reached()),
        "offer_certification": lazy(lambda: owner and _offer_certification(goal)),
        # A dict behind the lazy proxy: the template reads real datetimes out of it (C code such as
        # zoneinfo's must never be handed the proxy itself).
        "reminder": SimpleLazyObject(lambda: _next_reminder(goal) if owner else {}),
        "statuses": Goal.Status,
        "comments": lazy(lambda: list(goal.comments.select_related("author"))),
        "comment_form": comment_form or GoalCommentForm(),
    }


def _offer_certification(goal: Goal) -> bool:
    """A completed goal about a certification the plan doesn't hold yet offers to mark it earned."""
    if goal.status != Goal.Status.COMPLETED or not goal.certification_id:
        return False
    record = _certification_record(goal)
    return record is None or record.effective_status() != PlanCertification.EffectiveStatus.EARNED


@login_required
@require_POST
def goal_comment_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Readers (the owner and mentors with access) may comment; anyone else gets 404.
    goal = get_goal_for_user(request, pk, queryset=Goal.objects.select_related("plan__owner"))
    form = GoalCommentForm(request.POST)
    if not form.is_valid():
        return render_goal_page(request, pk, comment_form=form)
    services.goal_comment_add(goal=goal, author=request.user, body=form.cleaned_data["body"])
    messages.success(request, "Comment posted.")
    return redirect(goal.get_absolute_url() + "#comments")


def _next_reminder(goal: Goal) -> dict:
    """When the goal's next reminder goes out, on the owner's wall clock."""
    if goal.next_reminder_at is None:
        return {}
    prefs = ReminderSettings.for_user(goal.plan.owner)
    return {"next_reminder": local_time(goal.next_reminder_at, prefs.timezone), "time_zone": prefs.timezone}


STATUS_MESSAGES: dict[str, str] = {
    Goal.Status.COMPLETED: "Goal completed. Well done!",
    Goal.Status.PAUSED: "Goal paused: no reminders until you resume it.",
    Goal.Status.ABANDONED: "Goal abandoned. It stays in your plan's record.",
    Goal.Status.ACTIVE: "Goal active again: reminders are back on.",
}


@login_required
@require_POST
def goal_status(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_user(request, pk, write=True)
    status = request.POST.get("status", "")
    if status not in Goal.Status.values:
        messages.error(request, "That is not a status a goal can have.")
        return redirect(goal)
    if status != goal.status:
        services.goal_set_status(goal=goal, status=status)
        messages.success(request, STATUS_MESSAGES[status])
        if status == Goal.Status.COMPLETED and goal.measures_certification:
            messages.info(request, f"{goal.certification} is recorded as earned on your plan.")
    return redirect(goal)


@login_required
@require_POST
def goal_certification_earned(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the certification a goal served as earned today, adding it to the plan if needed."""
    goal = get_goal_for_user(request, pk, write=True, queryset=Goal.objects.select_related("certification"))
    if goal.certification is None:
        raise Http404("This goal is not tied to a certification.")
    services.certification_mark_earned(goal=goal, earned_on=timezone.localdate())
    messages.success(request, f"{goal.certification} marked as earned today.")
    return redirect(goal.plan.get_absolute_url() + CERTIFICATIONS_ANCHOR)


@login_required
def draft_goals(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """One review screen for what the gap calls for (goals.drafting.draft_from_gap): the person keeps
    what they tick, added to the plan in one transaction."""
    plan = get_plan_for_user(
        request,
        plan_pk,
        write=True,
        queryset=CareerPlan.objects.with_gap_data().select_related("target_role"),
    )
    today = timezone.localdate()
    proposal = draft_from_gap(plan, today)
    # An empty POST (nothing ticked) must still bind, so it can say what is missing.
    form = DraftGoalsForm(request.POST if request.method == "POST" else None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        kept = form.kept()
        added = services.drafts_keep(
            plan=plan,
            goals=[draft.to_goal(plan, today) for draft in kept.goals],
            activities=[(draft.to_activity(plan), [draft.skill]) for draft in kept.activities],
            certifications=[draft.to_record(plan) for draft in kept.certifications],
        )
        messages.success(request, added_sentence(added))
        anchor = next(
            (a for a, rows in ((GOALS_ANCHOR, added.goals), (ACTIVITIES_ANCHOR, added.activities)) if rows),
            CERTIFICATIONS_ANCHOR,
        )
        return redirect(plan.get_absolute_url() + anchor)
    return render(request, "goals/draft_goals.html", {"plan": plan, "form": form, "proposal": proposal})


def added_sentence(added: services.DraftsAdded) -> str:
    """ "Added 2 goals, 3 activities and 1 certification to your plan." """
    parts = [
        counted(len(rows), one, many, spelled=False)
        for one, many, rows in (
            ("goal", "goals", added.goals),
            ("activity", "activities", added.activities),
            ("certification", "certifications", added.certifications),
        )
        if rows
    ]
    if not parts:
        return "Nothing added: all of it is on your plan already."
    return f"Added {listed(parts)} to your plan."


@login_required
def plan_goals(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """All of a plan's goals, for its owner and the mentors it is shared with."""
    plan = get_plan_for_user(request, plan_pk, queryset=CareerPlan.objects.select_related("owner"))
    return render(request, "goals/plan_goals_page.html", all_goals_context(request, plan))


urlpatterns = [
    path("plan/<int:plan_pk>/", plan_goals, name="plan_goals"),
    path("plan/<int:plan_pk>/new/", goal_create, name="create"),
    path("plan/<int:plan_pk>/draft/", draft_goals, name="draft"),
    path("<int:pk>/", goal_detail, name="detail"),
    path("<int:pk>/edit/", goal_edit, name="edit"),
    path("<int:pk>/comments/", goal_comment_post, name="comment_add"),
    path("<int:pk>/status/", goal_status, name="status"),
    path("<int:pk>/certification-earned/", goal_certification_earned, name="certification_earned"),
]
