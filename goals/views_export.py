"""Downloads of what a person owns (goals.export): everything, from the account page, and one
plan, from its page. The owner's alone: a mentor who reads the plan gets 403."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from goals.export import dump, export_person, export_plan
from plans.access import get_plan_for_user


def _download(document: dict, filename: str) -> HttpResponse:
    response = HttpResponse(dump(document), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def export_everything(request: HttpRequest) -> HttpResponse:
    return _download(export_person(request.user), f"careerpath-{timezone.localdate().isoformat()}.json")


@login_required
@require_safe
def export_one_plan(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, plan_pk, write=True)
    name = slugify(plan.title)[:60] or "plan"
    return _download(export_plan(plan), f"careerpath-{name}-{timezone.localdate().isoformat()}.json")


urlpatterns = [
    path("export/", export_everything, name="export"),
    path("plan/<int:plan_pk>/export/", export_one_plan, name="plan_export"),
]
