from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from plans import services
from plans.access import get_plan_for_user, is_owner
from plans.forms import PROFICIENCY_SCALE, AssessmentForm, PlanForm
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.paths import describe_routes
from plans.sections import plan_sections
from skills.models import Role, Skill


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = CareerPlan.objects.visible_to(request.user).with_gap_data().select_related("owner")
    owned = [p for p in plans if p.owner_id == request.user.pk]
    return render(
        request,
        "plans/plan_list.html",
        {
            "active": [p for p in owned if not p.is_archived],
            "archived": [p for p in owned if p.is_archived],
            "shared": [p for p in plans if p.owner_id != request.user.pk],
        },
    )


def _initial_from_query(request: HttpRequest) -> dict:
    initial = {}
    roles = Role.objects.in_bulk(
        [int(v) for v in (request.GET.get("current"), request.GET.get("target")) if v and v.isdigit()]
    )
    current = roles.get(int(request.GET["current"])) if request.GET.get("current", "").isdigit() else None
    target = roles.get(int(request.GET["target"])) if request.GET.get("target", "").isdigit() else None
    if current:
        initial["current_role"] = current.pk
    if target:
        initial["target_role"] = target.pk
        initial["title"] = f"Become a {target.title}"
    return initial


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, initial=_initial_from_query(request))
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(owner=request.user, form=form)
        messages.success(request, "Plan created. Next: assess your skills to see the gap.")
        return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form, "creating": True})


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.plan_update(form=form, reason=form.cleaned_data.get("change_reason", ""))
        messages.success(request, "Plan saved.")
        return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan, "creating": False})


@login_required
@require_POST
def plan_archive(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True)
    archive = request.POST.get("archive", "1") == "1"
    services.plan_set_archived(plan=plan, archived=archive)
    messages.success(request, f"“{plan.title}” {'archived' if archive else 'restored'}.")
    return redirect("plans:list" if archive else plan.get_absolute_url())


@login_required
@require_POST
def plan_make_primary(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True)
    if plan.is_archived:
        messages.error(request, "Restore the plan before making it your primary plan.")
    else:
        services.plan_make_primary(plan=plan)
        messages.success(request, f"“{plan.title}” is now your primary plan.")
    return redirect(plan)


def _plan_detail_queryset():
    return (
        CareerPlan.objects.with_gap_data()
        .select_related("owner")
        .prefetch_related(
            Prefetch("certifications", queryset=PlanCertification.objects.select_related("certification")),
            Prefetch(
                "activities",
                queryset=Activity.objects.prefetch_related(
                    Prefetch("skills", queryset=Skill.objects.only("name"))
                ),
            ),
        )
    )


def gap_chart_data(gaps) -> dict:
    return {
        "labels": [g.skill.name for g in gaps],
        "required": [g.required for g in gaps],
        "current": [g.current for g in gaps],
    }


def activity_summary(activities, today) -> list[tuple[str, int]]:
    """Done activities of the last twelve months, counted by category."""
    since = today - timedelta(days=365)
    counts = dict.fromkeys(Activity.CATEGORIES, 0)
    for activity in activities:
        if activity.status == Activity.Status.DONE and since <= activity.date <= today:
            counts[activity.category] += 1
    return list(counts.items())


@login_required
def plan_detail(request: HttpRequest, pk: int, comment_form=None) -> HttpResponse:
    """The plan page; comment_add re-renders it with its invalid comment form."""
    plan = get_plan_for_user(request, pk, queryset=_plan_detail_queryset())
    gaps = plan.skill_gaps()
    routes = plan.paths()
    today = timezone.localdate()
    context = {
        "plan": plan,
        "owner": is_owner(request, plan),
        "gaps": gaps,
        "readiness": plan.readiness(gaps),
        "routes": describe_routes(routes),
        "chart": gap_chart_data(gaps),
        "certifications": plan.certifications.all(),
        "activities": list(plan.activities.all())[:10],
        "activity_count": len(plan.activities.all()),
        "activity_summary": activity_summary(plan.activities.all(), today),
        "today": today,
    }
    context.update(_extra_sections(request, plan, comment_form))
    context["sections"] = plan_sections(request, plan)
    return render(request, "plans/plan_detail.html", context)


def _extra_sections(request: HttpRequest, plan: CareerPlan, comment_form=None) -> dict:
    """Context for the sharing and comments sections (plans/views_sharing.py)."""
    from plans.views_sharing import sharing_context

    return sharing_context(request, plan, comment_form)


def path_skills(plan: CareerPlan) -> list[Skill]:
    """Every skill required by a role on the plan's routes (current and target included)."""
    role_ids = {plan.current_role_id, plan.target_role_id} | {r.pk for route in plan.paths() for r in route}
    return list(
        Skill.objects.filter(requirements__role_id__in=role_ids).distinct().order_by("category", "name")
    )


@login_required
def plan_assess(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True, queryset=CareerPlan.objects.with_gap_data())
    skills = path_skills(plan)
    latest = plan.latest_assessments()
    form = AssessmentForm(request.POST or None, skills=skills, latest=latest)
    if request.method == "POST" and form.is_valid():
        changed = services.assessment_save(plan=plan, values=form.values())
        messages.success(request, f"Assessment saved ({changed} skill{'s' if changed != 1 else ''} changed).")
        return redirect(plan)
    history = _assessment_history(plan)
    return render(
        request,
        "plans/assessment_form.html",
        {"plan": plan, "form": form, "scale": PROFICIENCY_SCALE, "history": history},
    )


def _assessment_history(plan: CareerPlan) -> dict:
    """Chart data: one line per assessed skill, level over time."""
    series: dict[str, list[dict]] = {}
    rows = SkillAssessment.objects.filter(plan=plan).select_related("skill").order_by("assessed_at", "pk")
    for row in rows:
        series.setdefault(row.skill.name, []).append(
            {"x": row.assessed_at.date().isoformat(), "y": row.level}
        )
    return series


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    return render(request, "plans/plan_history.html", {"plan": plan, "events": revision_timeline(plan)})


def revision_timeline(plan: CareerPlan) -> list[dict]:
    """The plan's dated revisions, newest first, each with what changed in words."""
    records = list(plan.history.select_related("history_user").order_by("history_date", "history_id"))
    role_ids = {r.current_role_id for r in records} | {r.target_role_id for r in records}
    roles = Role.objects.in_bulk(role_ids)
    labels = {"current_role": "Current role", "target_role": "Target role", "title": "Title",
              "target_date": "Target date", "vision": "Vision", "status": "Status", "is_primary": "Primary"}  # fmt: skip

    def show(field: str, value):
        if field in ("current_role", "target_role"):
            return str(roles.get(value, "—"))
        if field == "vision":
            return "updated"
        return value if value not in (None, "") else "—"

    events = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [
                {
                    "field": labels.get(c.field, c.field),
                    "old": show(c.field, c.old),
                    "new": show(c.field, c.new),
                }
                for c in delta.changes
                if c.field in labels
            ]
        events.append(
            {
                "date": record.history_date,
                "reason": record.history_change_reason,
                "created": previous is None,
                "changes": changes,
                "by": record.history_user,
            }  # fmt: skip
        )
        previous = record
    return [e for e in reversed(events) if e["created"] or e["changes"]]


def dashboard_context(user) -> dict:
    """The signed-in home page: each active plan with readiness, certification dates, recent activity."""
    today = timezone.localdate()
    plans = list(
        CareerPlan.objects.owned_by(user)
        .active()
        .with_gap_data()
        .prefetch_related(
            Prefetch("certifications", queryset=PlanCertification.objects.select_related("certification")),
            Prefetch("activities", queryset=Activity.objects.order_by("-date", "-pk")),
        )
    )
    cards = []
    for plan in plans:
        certifications = [c for c in plan.certifications.all() if c.effective_status(today) != "expired"]
        upcoming = sorted(
            (
                (c.expires_on if c.status == PlanCertification.Status.EARNED else c.target_date, c)
                for c in certifications
                if (c.expires_on if c.status == PlanCertification.Status.EARNED else c.target_date)
            ),
            key=lambda pair: pair[0],
        )
        cards.append(
            {
                "plan": plan,
                "readiness": plan.readiness(),
                "upcoming": upcoming[:3],
                "recent": [a for a in plan.activities.all() if a.date <= today][:3],
            }  # fmt: skip
        )
    shared = CareerPlan.objects.filter(shares__user=user).select_related("owner", "target_role")
    starter = _starter_roles()
    return {"cards": cards, "shared_plans": list(shared), "starter": starter}


def _starter_roles() -> dict:
    """A pre-filled first plan: the product management ladder's Associate PM → Product Manager."""
    roles = {
        r.slug: r
        for r in Role.objects.filter(
            track__slug="product-management", slug__in=["associate-product-manager", "product-manager"]
        )
    }
    current, target = roles.get("associate-product-manager"), roles.get("product-manager")
    return {"current": current, "target": target} if current and target else {}
