"""The plan page: one context builder for the page and the views that re-render it with errors."""

import hashlib
from datetime import date, timedelta

from django.conf import settings
from django.contrib.messages import get_messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from plans.access import get_plan_for_user, is_owner
from plans.forms_sharing import CommentForm
from plans.models import Activity, CareerPlan, PlanCertification, Readiness, SkillGap
from plans.paths import describe_routes
from plans.sections import Page, page_sections
from skills import versions
from skills.models import Skill

RECENT_ACTIVITIES = 10


def plan_page_queryset():
    return (
        CareerPlan.objects.with_gap_data()
        .select_related("owner")
        .prefetch_related(
            Prefetch("certifications", queryset=PlanCertification.objects.select_related("certification")),
            Prefetch(
                "activities",
                queryset=Activity.objects.prefetch_related(
                    Prefetch("skills", queryset=Skill.objects.only("name"))
                ),
            ),
        )
    )


def gap_chart_data(gaps: list[SkillGap]) -> dict:
    return {
        "labels": [g.skill.name for g in gaps],
        "required": [g.required for g in gaps],
        "current": [g.current for g in gaps],
    }


def activity_summary(activities, today: date) -> list[tuple[str, int]]:
    """Done activities of the last twelve months, counted by category."""
    since = today - timedelta(days=365)
    counts = dict.fromkeys(Activity.CATEGORIES, 0)
    for activity in activities:
        if activity.status == Activity.Status.DONE and since <= activity.date <= today:
            counts[activity.category] += 1
    return list(counts.items())


def sharing_context(request: HttpRequest, plan: CareerPlan, comment_form: CommentForm | None = None) -> dict:
    """What the plan page shows of sharing: the invitations (owner only) and the comments.

    Two queries at most, whatever the number of shares and comments.
    """
    return {
        "shares": list(plan.shares.select_related("user")) if is_owner(request, plan) else [],
        "comments": list(plan.comments.select_related("author")),
        "comment_form": comment_form or CommentForm(),
    }


def next_action(plan: CareerPlan, readiness: Readiness, sections: list[dict], *, owner: bool) -> dict | None:
    """The one primary action the plan's state calls for: assess first, then what the sections
    (goals: draft, check in, catch up) ask for. None for readers, or when nothing is pressing."""
    if not owner:
        return None
    if readiness.total and not readiness.assessed:
        return {
            "label": "Assess your skills",
            "url": reverse("plans:assess", args=[plan.pk]),
            "reason": f"{plan.target_role.title} requires {readiness.total} skills: rate yours to see the gap.",
        }
    return next((s["next_action"] for s in sections if s.get("next_action")), None)


def plan_page_context(
    request: HttpRequest, plan: CareerPlan, comment_form: CommentForm | None = None
) -> dict:
    gaps = plan.skill_gaps()
    today = timezone.localdate()
    activities = plan.activities.all()
    owner = is_owner(request, plan)
    readiness = plan.readiness(gaps)
    sections = page_sections(Page.PLAN, request, plan)
    return {
        "plan": plan,
        "owner": owner,
        "gaps": gaps,
        "readiness": readiness,
        "next_action": next_action(plan, readiness, sections, owner=owner),
        "goals_summary": next((s["summary"] for s in sections if "summary" in s), None),
        "show_all_gaps": request.GET.get("gaps") == "all",
        "requirement_changes": plan.requirement_changes(),
        "routes": describe_routes(plan.paths()),
        "chart": gap_chart_data(gaps),
        "certifications": plan.certifications.all(),
        "activities": list(activities)[:RECENT_ACTIVITIES],
        "activity_count": len(activities),
        "activity_summary": activity_summary(activities, today),
        "today": today,
        **sharing_context(request, plan, comment_form),
        "sections": sections,
    }


def page_etag(request: HttpRequest, *names: str) -> str | None:
    """An ETag for a signed-in person's page from the versions of what it shows (skills.versions),
    the day (statuses move with the date), the query string and the person's session and CSRF
    cookie (a cached copy's forms must still post). None, so no 304, while messages wait to show."""
    if not request.user.is_authenticated or len(get_messages(request)):
        return None
    parts = [versions.current(name) for name in (*names, versions.LADDER, versions.PEOPLE)]
    parts += [
        str(request.user.pk), timezone.localdate().isoformat(), request.GET.urlencode(),
        request.session.session_key or "", request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
    ]  # fmt: skip
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def plan_page_etag(request: HttpRequest, pk: int, **kwargs) -> str | None:
    return page_etag(request, versions.plan(pk))


def render_plan_page(request: HttpRequest, pk: int, comment_form: CommentForm | None = None) -> HttpResponse:
    """The plan page for anyone who may read it; comment_add passes its invalid form back in."""
    plan = get_plan_for_user(request, pk, queryset=plan_page_queryset())
    return render(request, "plans/plan_detail.html", plan_page_context(request, plan, comment_form))
