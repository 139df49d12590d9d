from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_POST

from base.http import AuthenticatedHttpRequest
from base.params import parse_id
from plans import services
from plans.access import get_plan_for_user
from plans.forms import AssessmentForm, PlanForm
from plans.history import history_page
from plans.models import CareerPlan
from plans.page import plan_page_etag, render_plan_page
from plans.ratings.forms import LEVEL_CHOICES, LevelChoiceForm
from plans.ratings.opinions import skill_opinions
from skills.models import Proficiency, Role


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = CareerPlan.objects.visible_to(request.user).with_gap_data().select_related("owner")
    owned = [p for p in plans if p.is_owned_by(request.user)]
    return render(
        request,
        "plans/plan_list.html",
        {
            "active": [p for p in owned if not p.is_archived],
            "archived": [p for p in owned if p.is_archived],
            "shared": [p for p in plans if not p.is_owned_by(request.user)],
        },
    )


def _initial_from_query(request: AuthenticatedHttpRequest) -> tuple[dict, CareerPlan | None]:
    """The new-plan form's initial values from ``?current=&target=`` (a role page sends only the
    target), and the plan the current role was read from, if one was.

    Without a current role, the person's own plan says which role they hold: the primary plan, else
    the active one changed last. When that is the target itself (the role page is the person's own
    role), the form keeps it as the current role and asks for the target instead."""
    initial: dict[str, int | str] = {}
    current_pk, target_pk = parse_id(request.GET.get("current")), parse_id(request.GET.get("target"))
    roles = Role.objects.in_bulk([pk for pk in (current_pk, target_pk) if pk is not None])
    current, target = roles.get(current_pk), roles.get(target_pk)
    held_from = None
    if target and not current:
        held_from = (
            CareerPlan.objects.owned_by(request.user)
            .active()
            .select_related("current_role")
            .order_by("-is_primary", "-updated_at")
            .first()
        )
    if held_from and held_from.current_role_id == target_pk:
        return {"current_role": held_from.current_role_id}, held_from
    if current:
        initial["current_role"] = current.pk
    elif held_from:
        initial["current_role"] = held_from.current_role_id
    if target:
        initial["target_role"] = target.pk
        initial["title"] = CareerPlan.suggested_title(target)
    return initial, held_from


@login_required
def plan_new_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial, held_from = _initial_from_query(request)
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(plan=form.save(commit=False), owner=request.user)
        messages.success(request, "Plan created. Next: assess your skills to see the gap.")
        return redirect(plan)
    context = {"form": form, "creating": True, "held_from": held_from}
    return render(request, "plans/plan_form.html", context)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.plan_update(plan=form.save(commit=False), reason=form.cleaned_data.get("change_reason", ""))
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
def plan_make_primary_post(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True)
    try:
        services.plan_make_primary(plan=plan)
    except services.PlanArchived:
        messages.error(request, "Restore the plan before making it your primary plan.")
    else:
        messages.success(request, f"“{plan.title}” is now your primary plan.")
    return redirect(plan)


@login_required
@condition(etag_func=plan_page_etag)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan page; a repeated view answers 304 until something it shows changes."""
    response = render_plan_page(request, pk)
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
def plan_assess(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True, queryset=CareerPlan.objects.with_gap_data())
    form = assessment_form(request, plan)
    if request.method == "POST" and form.is_valid():
        changed = services.assessment_save(plan=plan, values=form.values())
        messages.success(request, f"Assessment saved ({changed} skill{'s' if changed != 1 else ''} changed).")
        return redirect(plan)
    return render_assess_page(request, plan, form)


def assessment_form(request: HttpRequest, plan: CareerPlan) -> AssessmentForm:
    counted = {requirement.skill_id for requirement in plan.target_role.requirements.all()}
    data = request.POST if request.method == "POST" else None
    return AssessmentForm(data, skills=plan.path_skills(), latest=plan.latest_assessments(), counted=counted)


def assessment_history(plan: CareerPlan) -> dict[str, list[dict]]:
    """For the growth chart: one series per assessed skill, {x: day, y: level} over time. Reads the
    assessments with_gap_data prefetched (with their skills): no query of its own."""
    series: dict[str, list[dict]] = {}
    for row in sorted(plan.assessments.all(), key=lambda a: (a.assessed_at, a.pk)):
        series.setdefault(row.skill.name, []).append(
            {"x": row.assessed_at.date().isoformat(), "y": row.level}
        )
    return series


def render_assess_page(
    request: HttpRequest, plan: CareerPlan, form: AssessmentForm, choice_form: LevelChoiceForm | None = None
) -> HttpResponse:
    """The assessment page; plans.ratings.views passes its invalid choice form back in. The plan
    comes with its gap data (with_gap_data)."""
    ratings = list(plan.ratings.select_related("share").order_by("created_at", "pk"))
    opinions = skill_opinions(plan, ratings)
    errors = [error for field in choice_form.errors.values() for error in field] if choice_form else []
    choice_skill_id = parse_id(choice_form.data.get("skill")) if choice_form else None
    context = {
        "plan": plan,
        "form": form,
        "scale": Proficiency.scale(),
        "history": assessment_history(plan),
        "opinions": opinions,
        "choice_errors": errors,
        "choice_skill_id": choice_skill_id,
        "choice_row_found": any(row.skill.pk == choice_skill_id for row in opinions),
        "level_choices": LEVEL_CHOICES[1:],
    }
    return render(request, "plans/assessment_form.html", context)


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything that happened to the plan, newest first, a page at a time (?page=2)."""
    plan = get_plan_for_user(request, pk)
    number = parse_id(request.GET.get("page", "1"))
    page = history_page(plan, number=number or 0, for_owner=plan.is_owned_by(request.user))
    if page is None:
        raise Http404("No such page of this plan's history.")
    context = {"plan": plan, "events": page.entries, "page": page, "owner": plan.is_owned_by(request.user)}
    return render(request, "plans/plan_history.html", context)
