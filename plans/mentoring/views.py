"""The skills heatmap across the people a person mentors, on the page and as CSV."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.views.decorators.http import condition, require_safe

from plans.mentoring.forms import HeatmapForm, PeopleFilterForm
from plans.mentoring.heatmap import Heatmap
from plans.mentoring.people import mentored_plans, mentoring_body_key, mentoring_etag


class MentoringPage:
    """What a mentoring page shows, each part read on first use: when the body comes from the
    cache (mentoring_body_key), none of it is. A page names its filter form."""

    form_class: type[PeopleFilterForm] | type[HeatmapForm]

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def plans(self) -> list:
        return mentored_plans(self.request.user)

    @cached_property
    def everyone(self) -> int:
        return len(self.plans)

    @cached_property
    def form(self):
        return self.form_class(self.request.GET or None, plans=self.plans)


class HeatmapPage(MentoringPage):
    form_class = HeatmapForm

    @cached_property
    def heatmap(self) -> Heatmap:
        return Heatmap.of(self.form.filtered(self.plans), show=self.form.shown)


@login_required
@require_safe
@condition(etag_func=mentoring_etag)
def skills_page(request: HttpRequest) -> HttpResponse:
    context = {"page": HeatmapPage(request), "query": request.GET.urlencode()}
    context["body_key"] = mentoring_body_key(request)
    response = render(request, "mentoring/skills.html", context)
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_safe
def skills_csv(request: HttpRequest) -> HttpResponse:
    heatmap = HeatmapPage(request).heatmap
    response = HttpResponse(heatmap.csv(), content_type="text/csv; charset=utf-8")
    name = f"skills-{heatmap.show.value}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
