"""Plans the token's person may read: their own, and the ones shared with them."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from api.pagination import PageParams, page
from api.problems import Problem
from api.schemas import PlanDetail, PlanPage
from plans.access import get_plan_for_user
from plans.models import Activity, CareerPlan, PlanCertification
from skills.models import Role

router = Router(tags=["Plans"])
ERRORS: dict[int, type] = {401: Problem, 404: Problem, 422: Problem, 429: Problem}


def role_ref(role: Role) -> dict[str, Any]:
    return {"slug": role.slug, "title": role.title, "level": role.level, "track": role.track.slug}


def plan_out(request: HttpRequest, plan: CareerPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "title": plan.title,
        "status": plan.status,
        "is_primary": plan.is_primary,
        "owned": plan.is_owned_by(request.user),
        "current_role": role_ref(plan.current_role),
        "target_role": role_ref(plan.target_role),
        "target_date": plan.target_date,
        "vision": plan.vision,
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
        "url": request.build_absolute_uri(plan.get_absolute_url()),
    }


@router.get("/plans", response={200: PlanPage, **ERRORS}, url_name="plans")
def plans(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    visible = CareerPlan.objects.visible_to(request.user).select_related(
        "current_role__track", "target_role__track"
    )
    items, next_cursor = page(visible, cursor=params.cursor, limit=params.limit)
    return {"items": [plan_out(request, p) for p in items], "next_cursor": next_cursor}


@router.get("/plans/{int:plan_id}", response={200: PlanDetail, **ERRORS}, url_name="plan")
def plan_detail(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    """The plan with its readiness for the target role, the gap per required skill (largest
    first, unassessed last) and the shortest routes through the ladder."""
    plan = get_plan_for_user(request, plan_id, queryset=CareerPlan.objects.with_gap_data())
    gaps = plan.skill_gaps()
    readiness = plan.readiness(gaps)
    return {
        **plan_out(request, plan),
        "readiness": {
            "percent": readiness.percent,
            "assessed": readiness.assessed,
            "total": readiness.total,
            "open_gaps": readiness.open_gaps,
        },
        "gaps": [
            {
                "skill": g.skill.slug,
                "skill_name": g.skill.name,
                "required": g.required,
                "current": g.current,
                "gap": g.gap,
            }
            for g in gaps
        ],
        "routes": [[role_ref(role) for role in route] for route in plan.paths()],
    }


class PlanCertificationOut(Schema):
    id: int
    certification: str  # slug
    name: str
    status: str  # planned, in progress, earned or expired (today's, from the dates)
    target_date: date | None
    earned_on: date | None
    expires_on: date | None
    note: str


class ActivityOut(Schema):
    id: int
    kind: str
    title: str
    date: date
    status: str
    link: str
    note: str
    skills: list[str]  # slugs


@router.get(
    "/plans/{int:plan_id}/certifications",
    response={200: list[PlanCertificationOut], **ERRORS},
    url_name="plan_certifications",
)
def plan_certifications(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    """The certifications the plan pursues or holds (a plan has a handful: the list is whole)."""
    plan = get_plan_for_user(request, plan_id)
    return [certification_out(r) for r in plan.certifications.select_related("certification").order_by("pk")]


def certification_out(record: PlanCertification) -> dict[str, Any]:
    fields = ("id", "target_date", "earned_on", "expires_on", "note")
    return {
        **{f: getattr(record, f) for f in fields},
        "certification": record.certification.slug,
        "name": record.certification.name,
        "status": record.effective_status().value,
    }


@router.get(
    "/plans/{int:plan_id}/activities", response={200: list[ActivityOut], **ERRORS}, url_name="plan_activities"
)
def plan_activities(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    """The plan's learning and networking activities, by date."""
    plan = get_plan_for_user(request, plan_id)
    return [activity_out(a) for a in plan.activities.prefetch_related("skills").order_by("date", "pk")]


def activity_out(activity: Activity) -> dict[str, Any]:
    fields = ("id", "kind", "title", "date", "status", "link", "note")
    return {**{f: getattr(activity, f) for f in fields}, "skills": [s.slug for s in activity.skills.all()]}
