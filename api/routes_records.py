"""Writing a plan's activities and certifications through the API: the plan page's ActivityForm and
PlanCertificationForm (every rule a field error) and plans.services, as the pages do. Skills and
certifications are named by slug, as the API answers them. Only the plan's owner writes (a
mentor's token 403, anyone else's 404)."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status

from api.auth import require_write
from api.problems import InvalidFields, Problem
from api.routes_plans import (  # one router per path: GET and POST share it
    ActivityOut,
    PlanCertificationOut,
    activity_out,
    certification_out,
    router,
)
from plans import services
from plans.access import get_plan_for_owner
from plans.forms_records import ActivityForm, PlanCertificationForm
from plans.models import Activity, PlanCertification
from skills.models import Certification, Skill

WRITE_ERRORS: dict[int, type] = {401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}


class ActivityIn(Schema):
    kind: str = Field(description="One of the activity kinds: course, book, conference, talk, …")
    title: str
    date: date
    status: str = Field(
        Activity.Status.PLANNED.value, description="planned, or done (dated today or earlier)"
    )
    link: str = ""
    note: str = ""
    skills: list[str] = Field([], description="Slugs of skills the plan's current or target role requires.")


def form_errors(form: Any, renamed: dict[str, str] | None = None) -> InvalidFields:
    named = renamed or {}
    return InvalidFields({named.get(f, f): [str(m) for m in ms] for f, ms in form.errors.items()})


def _skill_ids(slugs: list[str]) -> list[str]:
    """The skills' ids as the form's checkboxes send them; an unknown slug is a field error."""
    found = dict(Skill.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise InvalidFields({"skills": [f"No skill has the slug “{unknown[0][:60]}”."]})
    return [str(found[s]) for s in slugs]


def _activity_saved(form: ActivityForm) -> dict[str, Any]:
    if not form.is_valid():
        raise form_errors(form)
    activity = services.activity_save(activity=form.save(commit=False), skills=form.cleaned_data["skills"])
    return activity_out(activity)


def _activity_data(payload: ActivityIn) -> dict[str, Any]:
    data: dict[str, Any] = payload.model_dump()
    data["date"] = payload.date.isoformat()
    data["skills"] = _skill_ids(payload.skills)
    return data


@router.post(
    "/plans/{int:plan_id}/activities", response={201: ActivityOut, **WRITE_ERRORS}, url_name="plan_activities"
)
def activity_create(request: HttpRequest, plan_id: int, payload: ActivityIn) -> Status:
    """Log a learning, network or visibility activity on the plan, with the activity form's checks
    (a done one is dated today or earlier; its skills are the plan's roles')."""
    require_write(request)
    plan = get_plan_for_owner(request, plan_id)
    return Status(201, _activity_saved(ActivityForm(_activity_data(payload), plan=plan)))


@router.put(
    "/plans/{int:plan_id}/activities/{int:activity_id}",
    response={200: ActivityOut, **WRITE_ERRORS},
    url_name="plan_activity",
)
def activity_update(
    request: HttpRequest, plan_id: int, activity_id: int, payload: ActivityIn
) -> dict[str, Any]:
    """Replace the activity's fields, with the activity form's checks."""
    require_write(request)
    plan = get_plan_for_owner(request, plan_id)
    activity = get_object_or_404(plan.activities, pk=activity_id)
    return _activity_saved(ActivityForm(_activity_data(payload), instance=activity, plan=plan))


@router.delete(
    "/plans/{int:plan_id}/activities/{int:activity_id}",
    response={204: None, **WRITE_ERRORS},
    url_name="plan_activity",
)
def activity_remove(request: HttpRequest, plan_id: int, activity_id: int) -> HttpResponse:
    """Delete the activity; the plan's history says so."""
    require_write(request)
    plan = get_plan_for_owner(request, plan_id)
    services.activity_delete(activity=get_object_or_404(plan.activities, pk=activity_id))
    return HttpResponse(status=204)


class PlanCertificationChange(Schema):
    status: str = Field(description="planned, in_progress or earned")
    target_date: date | None = Field(
        None, description="For a planned or in-progress one: when you aim to earn it."
    )
    earned_on: date | None = Field(None, description="For an earned one (required then): today or earlier.")
    expires_on: date | None = Field(
        None, description="For an earned one; left out, worked out from how long the certification is valid."
    )
    note: str = ""


class PlanCertificationIn(PlanCertificationChange):
    certification: str = Field(
        description="The catalogue certification's slug (GET /api/v1/ladder/certifications)."
    )


def _certification_data(payload: PlanCertificationChange) -> dict[str, str]:
    data = {k: "" if v is None else str(v) for k, v in payload.model_dump().items()}
    if isinstance(payload, PlanCertificationIn):
        pk = Certification.objects.filter(slug=payload.certification).values_list("pk", flat=True).first()
        if pk is None:
            raise InvalidFields(
                {"certification": [f"No certification has the slug “{payload.certification[:60]}”."]}
            )
        data["certification"] = str(pk)
    return data


def _certification_saved(form: PlanCertificationForm) -> dict[str, Any]:
    if not form.is_valid():
        raise form_errors(form)
    try:
        # Two requests adding the same one pass clean() both; the unique constraint catches the second.
        with transaction.atomic():
            record = services.certification_save(record=form.save(commit=False))
    except IntegrityError:
        raise InvalidFields({"certification": ["That certification is already on this plan."]}) from None
    return certification_out(record)


@router.post(
    "/plans/{int:plan_id}/certifications",
    response={201: PlanCertificationOut, **WRITE_ERRORS},
    url_name="plan_certifications",
)
def certification_create(request: HttpRequest, plan_id: int, payload: PlanCertificationIn) -> Status:
    """Add a certification to the plan, planned, in progress or earned, with the certification
    form's checks (one of each on a plan; an earned one has a past earned date)."""
    require_write(request)
    plan = get_plan_for_owner(request, plan_id)
    return Status(201, _certification_saved(PlanCertificationForm(_certification_data(payload), plan=plan)))


def _record(request: HttpRequest, plan_id: int, certification_id: int) -> PlanCertification:
    plan = get_plan_for_owner(request, plan_id)
    return get_object_or_404(plan.certifications.select_related("certification"), pk=certification_id)


@router.put(
    "/plans/{int:plan_id}/certifications/{int:certification_id}",
    response={200: PlanCertificationOut, **WRITE_ERRORS},
    url_name="plan_certification",
)
def certification_update(
    request: HttpRequest, plan_id: int, certification_id: int, payload: PlanCertificationChange
) -> dict[str, Any]:
    """Replace its status, dates and note (the certification itself stays; its id is the list's)."""
    require_write(request)
    record = _record(request, plan_id, certification_id)
    form = PlanCertificationForm(_certification_data(payload), instance=record, plan=record.plan)
    return _certification_saved(form)


@router.delete(
    "/plans/{int:plan_id}/certifications/{int:certification_id}",
    response={204: None, **WRITE_ERRORS},
    url_name="plan_certification",
)
def certification_remove(request: HttpRequest, plan_id: int, certification_id: int) -> HttpResponse:
    """Take the certification off the plan; the plan's history says so."""
    require_write(request)
    services.certification_delete(record=_record(request, plan_id, certification_id))
    return HttpResponse(status=204)
