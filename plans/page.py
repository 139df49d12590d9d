"""The plan page: one context builder for the page and the views that re-render it with errors."""

import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property

from base import versions
from plans.access import get_plan_for_user, is_owner
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.paths import routes_between
from plans.readiness import Readiness, SkillGap
from plans.sections import Page, page_sections
from plans.sharing.forms import CommentForm
from skills.models import LearningResource, Role, RoleSkill, Skill

# The plan page's section ids: links and redirects back to a section end in one of these.
GOALS_ANCHOR = "#goals"
CERTIFICATIONS_ANCHOR = "#certifications"
ACTIVITIES_ANCHOR = "#activities"

RECENT_ACTIVITIES = 10
RESOURCES_TIMEOUT = 24 * 60 * 60  # the key carries the ladder's version: this only frees memory


PLAN_PAGE_PREFETCHES = (
    Prefetch("target_role__requirements", queryset=RoleSkill.objects.select_related("skill")),
    Prefetch("assessments", queryset=SkillAssessment.objects.order_by("assessed_at", "pk")),
    Prefetch("certifications", queryset=PlanCertification.objects.select_related("certification")),
    Prefetch(
        "activities",
        queryset=Activity.objects.prefetch_related(Prefetch("skills", queryset=Skill.objects.only("name"))),
    ),
)


def plan_page_queryset():
    """The plan and its roles: enough to check access and to key the cache; the rest is read
    only when the page body is rendered (PlanPage.loaded)."""
    return CareerPlan.objects.select_related("owner", "current_role__track", "target_role__track", "industry")


def gap_chart_data(gaps: list[SkillGap]) -> dict:
    return {
        "labels": [g.skill.name for g in gaps],
        "required": [g.required for g in gaps],
        "current": [g.current for g in gaps],
    }


def role_resources(role: Role) -> dict[int, list[LearningResource]]:
    """The learning resources of the skills ``role`` requires, up to the level it requires of each,
    by skill id and lowest level first. Cached under the ladder's version, as routes are: they change
    only when the ladder does, so a plan page rebuilt after a check-in reads them from the cache."""
    key = f"role-resources:{versions.current(versions.LADDER)}:{role.pk}"
    by_skill = cache.get(key)
    if by_skill is None:
        levels = {requirement.skill_id: requirement.level for requirement in role.requirements.all()}
        by_skill = {}
        for resource in LearningResource.objects.within(levels).order_by("level", "title", "pk"):
            by_skill.setdefault(resource.skill_id, []).append(resource)
        cache.set(key, by_skill, RESOURCES_TIMEOUT)
    return by_skill


def industry_resource_ids(industry_id: int) -> set[int]:
    """The ids of the learning resources tagged with an industry, read once per ladder version: a
    plan that names the industry lists them first under its gaps."""
    key = f"industry-resources:{versions.current(versions.LADDER)}:{industry_id}"
    ids = cache.get(key)
    if ids is None:
        ids = set(LearningResource.objects.filter(industries=industry_id).values_list("pk", flat=True))
        cache.set(key, ids, RESOURCES_TIMEOUT)
    return ids


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


class PlanPage:
    """What the plan page shows, each part computed on first use: when the page body comes from
    the cache (plan_page_key), none of it is read from the database or rendered."""

    def __init__(self, request: HttpRequest, plan: CareerPlan, comment_form: CommentForm | None = None):
        self.request, self.plan, self.comment_form = request, plan, comment_form
        self.owner = is_owner(request, plan)
        self.today = timezone.localdate()

    @cached_property
    def loaded(self) -> CareerPlan:
        prefetch_related_objects([self.plan], *PLAN_PAGE_PREFETCHES)
        return self.plan

    @cached_property
    def gaps(self) -> list[SkillGap]:
        return self.loaded.skill_gaps()

    @cached_property
    def gap_rows(self) -> list[tuple[SkillGap, list[LearningResource]]]:
        """Each gap with the learning resources that help close it (SkillGap.helpful): one query
        for the target role's resources on the first view after a ladder change, none after."""
        resources = role_resources(self.loaded.target_role) if any(g.is_open for g in self.gaps) else {}
        first = self.industry_resources if resources else set()
        return [
            # Stable: the plan's industry's resources lead, each part still lowest level first.
            (gap, sorted(gap.helpful(resources.get(gap.skill.pk, [])), key=lambda r: r.pk not in first))
            for gap in self.gaps
        ]

    @cached_property
    def industry_resources(self) -> set[int]:
        return industry_resource_ids(self.plan.industry_id) if self.plan.industry_id else set()

    @cached_property
    def readiness(self) -> Readiness:
        return self.loaded.readiness(self.gaps)

    @cached_property
    def sections(self) -> list[dict]:
        return page_sections(Page.PLAN, self.request, self.loaded)

    @cached_property
    def requirement_changes(self):
        return self.plan.requirement_changes()

    @cached_property
    def chart(self) -> dict:
        return gap_chart_data(self.gaps)

    @cached_property
    def several_plans(self) -> bool:
        """Whether the owner has other active plans, so "Primary" tells this one apart. Creating,
        archiving or deleting a plan moves all its owner's plans' versions (plans.signals)."""
        return CareerPlan.objects.owned_by(self.plan.owner_id).active().exclude(pk=self.plan.pk).exists()

    @cached_property
    def can_rate(self) -> bool:
        """Whether the reader is a mentor the owner let rate their skills (plans.ratings); letting
        them, or not, moves the plan's version (plans.ratings.services)."""
        reader = self.request.user.pk or 0  # the page is login_required: always a pk
        return self.plan.shares.filter(user_id=reader, may_rate=True).exists()

    @cached_property
    def activities(self) -> list[Activity]:
        return list(self.loaded.activities.all())

    def context(self) -> dict:
        lazy = lambda compute: SimpleLazyObject(compute)  # noqa: E731
        return {
            "plan": self.plan,
            "owner": self.owner,
            "today": self.today,
            "gaps": lazy(lambda: self.gaps),
            "gap_rows": lazy(lambda: self.gap_rows),
            "industry_resources": lazy(lambda: self.industry_resources),
            "readiness": lazy(lambda: self.readiness),
            "next_action": lazy(
                lambda: next_action(self.plan, self.readiness, self.sections, owner=self.owner)
            ),
            "goals_summary": lazy(
                lambda: next((s["summary"] for s in self.sections if "summary" in s), None)
            ),
            "several_plans": lazy(lambda: self.owner and self.several_plans),
            "can_rate": lazy(lambda: not self.owner and self.can_rate),
            "show_all_gaps": self.request.GET.get("gaps") == "all",
            "requirement_changes": lazy(lambda: self.requirement_changes),
            "routes": lazy(lambda: routes_between(self.plan.current_role, self.plan.target_role)),
            "page": self,  # json_script needs the real dict: {{ page.chart }}
            "certifications": lazy(lambda: list(self.loaded.certifications.all())),
            "activities": lazy(lambda: self.activities[:RECENT_ACTIVITIES]),
            "activity_count": lazy(lambda: len(self.activities)),
            "activity_summary": lazy(lambda: activity_summary(self.activities, self.today)),
            "sections": lazy(lambda: self.sections),
            **lazy_dict(
                lambda: sharing_context(self.request, self.plan, self.comment_form),
                ("shares", "comments", "comment_form"),
            ),
        }


def lazy_dict(compute: Callable[[], dict[str, Any]], keys: tuple[str, ...]) -> dict:
    """Several context values from one computation, run on the first use of any of them."""
    result: Any = SimpleLazyObject(compute)  # the dict, computed when first read

    def value(key: str) -> SimpleLazyObject:
        return SimpleLazyObject(lambda: result[key])

    return {key: value(key) for key in keys}


def plan_page_context(
    request: HttpRequest, plan: CareerPlan, comment_form: CommentForm | None = None
) -> dict:
    return PlanPage(request, plan, comment_form).context()


def page_versions(request: HttpRequest, names: tuple[str, ...]) -> list[str]:
    """The tokens of what a page shows: ``names``, the ladder and people's names."""
    names = (*names, versions.LADDER, versions.PEOPLE)
    tokens = versions.current_many(names)
    return [tokens[name] for name in names]


def page_etag(request: HttpRequest, *names: str) -> str | None:
    """An ETag for a signed-in person's page from the versions of what it shows (base.versions),
    the day (statuses move with the date), the query string and the person's session and CSRF
    cookie (a cached copy's forms must still post). None, so no 304, while messages wait to show."""
    if not request.user.is_authenticated or len(get_messages(request)):
        return None
    parts = [request.path, *page_versions(request, names)]
    parts += [str(request.user.pk), timezone.localdate().isoformat(), request.GET.urlencode()]
    parts += [request.session.session_key or "", request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def plan_page_etag(request: HttpRequest, pk: int, **kwargs) -> str | None:
    return page_etag(request, versions.plan(pk))


def page_key(request: HttpRequest, *names: str) -> str:
    """The cache key of a page body: the page (its path), the versions of what it shows, the person,
    the day, the query string and the CSRF cookie (the body's forms carry tokens for it)."""
    parts = [request.path, *page_versions(request, names)]
    parts += [str(request.user.pk), timezone.localdate().isoformat(), request.GET.urlencode()]
    parts += [request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def render_plan_page(request: HttpRequest, pk: int, comment_form: CommentForm | None = None) -> HttpResponse:
    """The plan page for anyone who may read it; comment_add passes its invalid form back in
    (that body, with its errors, is never cached)."""
    plan = get_plan_for_user(request, pk, queryset=plan_page_queryset())
    context = plan_page_context(request, plan, comment_form)
    # No cached body for an invalid comment form, nor before the browser holds a CSRF cookie (the
    # body's forms would carry tokens for a secret only this response sets).
    cacheable = comment_form is None and settings.CSRF_COOKIE_NAME in request.COOKIES
    context["body_key"] = page_key(request, versions.plan(pk)) if cacheable else None
    return render(request, "plans/plan_detail.html", context)
