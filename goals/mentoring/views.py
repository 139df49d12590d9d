"""The people page: everyone whose plan is shared with the signed-in person, most in need of
attention first (goals.mentoring.people)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.views.decorators.http import condition, require_safe

from goals.mentoring.people import PersonRow, people_rows
from plans.mentoring.forms import PeopleFilterForm
from plans.mentoring.people import TREND_DAYS, mentored_plans, mentoring_body_key, mentoring_etag
from plans.models import EXPIRY_WARNING_DAYS


class PeoplePage:
    """What the people page shows, each part read on first use: when the body comes from the
    cache (mentoring_body_key), none of it is."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.today = timezone.localdate()

    @cached_property
    def plans(self) -> list:
        return mentored_plans(self.request.user)

    @cached_property
    def everyone(self) -> int:
        return len(self.plans)

    @cached_property
    def form(self) -> PeopleFilterForm:
        return PeopleFilterForm(self.request.GET or None, plans=self.plans)

    @cached_property
    def rows(self) -> list[PersonRow]:
        return people_rows(self.form.filtered(self.plans), self.request.user, today=self.today)


@login_required
@require_safe
@condition(etag_func=mentoring_etag)
def people_page(request: HttpRequest) -> HttpResponse:
    page = PeoplePage(request)
    context = {
        "page": page,
        "today": page.today,
        "trend_days": TREND_DAYS,
        "expiry_days": EXPIRY_WARNING_DAYS,
        "query": request.GET.urlencode(),
        "body_key": mentoring_body_key(request),
    }
    response = render(request, "mentoring/people.html", context)
    patch_cache_control(response, private=True, no_cache=True)
    return response
