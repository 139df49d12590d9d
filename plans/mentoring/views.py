"""The skills heatmap across the people a person mentors, on the page and as CSV."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from plans.mentoring.forms import HeatmapForm
from plans.mentoring.heatmap import Heatmap
from plans.mentoring.people import mentored_plans


def _heatmap(request: HttpRequest) -> tuple[Heatmap, HeatmapForm, int]:
    plans = mentored_plans(request.user)
    form = HeatmapForm(request.GET or None, plans=plans)
    return Heatmap.of(form.filtered(plans), show=form.shown), form, len(plans)


@login_required
@require_safe
def skills_page(request: HttpRequest) -> HttpResponse:
    heatmap, form, everyone = _heatmap(request)
    query = request.GET.urlencode()
    return render(
        request,
        "mentoring/skills.html",
        {"heatmap": heatmap, "form": form, "everyone": everyone, "query": query},
    )


@login_required
@require_safe
def skills_csv(request: HttpRequest) -> HttpResponse:
    heatmap, _, _ = _heatmap(request)
    response = HttpResponse(heatmap.csv(), content_type="text/csv; charset=utf-8")
    name = f"skills-{heatmap.show.value}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
