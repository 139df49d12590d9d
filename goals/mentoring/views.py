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
from plans.mentoring.people import TREND_DAYS, mentoring_body_key, mentoring_etag
from plans.mentoring.views import MentoringPage
from plans.models import EXPIRY_WARNING_DAYS


class PeoplePage(MentoringPage):
    form_class = PeopleFilterForm

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request)
        self.today = timezone.localdate()

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
