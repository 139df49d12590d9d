"""The people page: everyone whose plan is shared with the signed-in person, most in need of
attention first (goals.mentoring.people)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from goals.mentoring.people import people_rows
from plans.mentoring.forms import PeopleFilterForm
from plans.mentoring.people import TREND_DAYS, mentored_plans
from plans.models import EXPIRY_WARNING_DAYS


@login_required
@require_safe
def people_page(request: HttpRequest) -> HttpResponse:
    plans = mentored_plans(request.user)
    form = PeopleFilterForm(request.GET or None, plans=plans)
    today = timezone.localdate()
    return render(
        request,
        "mentoring/people.html",
        {
            "rows": people_rows(form.filtered(plans), request.user, today=today),
            "form": form,
            "everyone": len(plans),
            "today": today,
            "trend_days": TREND_DAYS,
            "expiry_days": EXPIRY_WARNING_DAYS,
            "query": request.GET.urlencode(),
        },
    )
