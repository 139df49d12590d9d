"""Second-opinion ratings: the owner lets a mentor rate (on the share list), the mentor rates
the target role's skills (their page, linked from the plan page), the owner chooses which level
counts (on the assessment page, plans.views.render_assess_page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.names import display_name
from base.http import AuthenticatedHttpRequest
from base.params import parse_id
from plans.access import get_plan_for_user
from plans.models import CareerPlan
from plans.ratings import services
from plans.ratings.access import get_share_for_rater
from plans.ratings.forms import AGREED, LevelChoiceForm, RatingForm
from plans.ratings.models import SkillRating
from plans.views import assessment_form, render_assess_page
from skills.models import Proficiency


@login_required
@require_POST
def share_may_rate_post(request: AuthenticatedHttpRequest, pk: int, share_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True)
    share = get_object_or_404(plan.shares.select_related("user"), pk=share_pk)
    may_rate = request.POST.get("may_rate") == "1"
    services.share_set_may_rate(share=share, may_rate=may_rate)
    who = display_name(share.user) if share.user_id else share.email
    if may_rate:
        messages.success(
            request, f"{who} may rate your skills. Their ratings count only when you choose them."
        )
    else:
        messages.success(
            request, f"{who} may no longer rate your skills. Their earlier ratings stay with you."
        )
    return redirect("plans:share_list", pk=plan.pk)


@login_required
def rating_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A mentor the owner let rate rates the skills the target role requires; the owner is sent to
    their assessment page, where the ratings are."""
    plan, share = get_share_for_rater(request, pk)
    if share is None:
        return redirect("plans:assess", pk=plan.pk)
    requirements = sorted(plan.target_role.requirements.all(), key=lambda r: r.skill.name)
    skills = [requirement.skill for requirement in requirements]
    form = RatingForm(
        request.POST if request.method == "POST" else None,
        skills=skills,
        initial={"skill": parse_id(request.GET.get("skill"))},
    )
    if request.method == "POST" and form.is_valid():
        rating = services.rating_add(
            share=share,
            rater=request.user,
            skill=form.cleaned_data["skill"],
            level=form.cleaned_data["level"],
            note=form.cleaned_data["note"].strip(),
        )
        messages.success(
            request,
            f"You rated {rating.skill.name} at {rating.level} · {rating.get_level_display()}. "
            f"{display_name(plan.owner)} decides whether it counts.",
        )
        return redirect(reverse("plans:rate", args=[plan.pk]) + f"#rated-{rating.skill_id}")
    own = plan.latest_assessments()
    # Only what this mentor wrote through this share: revoking it hides them at once.
    mine: dict[int, SkillRating] = {}
    for rating in share.ratings.order_by("created_at", "pk"):
        mine[rating.skill_id] = rating
    rows = [(r, own.get(r.skill_id), mine.get(r.skill_id)) for r in requirements]
    context = {"plan": plan, "form": form, "rows": rows, "scale": Proficiency.scale()}
    return render(request, "plans/rating_page.html", context)


@login_required
@require_POST
def level_choose_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The owner chooses which level of a skill counts: their own, a rating, or an agreed one."""
    plan = get_plan_for_user(request, pk, write=True, queryset=CareerPlan.objects.with_gap_data())
    skills = [requirement.skill for requirement in plan.target_role.requirements.all()]
    ratings = list(plan.ratings.all())
    form = LevelChoiceForm(request.POST, skills=skills, ratings=ratings)
    if not form.is_valid():
        return render_assess_page(request, plan, assessment_form(request, plan), choice_form=form)
    data = form.cleaned_data
    skill = data["skill"]
    chosen = services.level_choose(
        plan=plan,
        skill=skill,
        rating=data["rating"],
        level=data["agreed_level"] if data["source"] == AGREED else None,
    )
    if chosen is None:
        messages.success(request, f"Your own assessment of {skill.name} counts.")
    else:
        label = Proficiency(chosen.level).label
        messages.success(request, f"{skill.name} now counts at {chosen.level} · {label}.")
    return redirect(reverse("plans:assess", args=[plan.pk]) + f"#opinion-{skill.pk}")
