"""The people a person mentors: the active plans others shared with them (an accepted share that
was not revoked), and how ready each was some days ago, for the people page's trend.

Both mentoring pages (goals.mentoring's people page, this folder's skills heatmap) read the plans
here, so a revoked share (its row deleted) leaves both on the next request.
"""

import copy
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest

from base import versions
from plans.models import CareerPlan
from plans.page import page_etag, page_key
from plans.readiness import ChosenLevel, Readiness
from plans.sharing.models import Share

# The people page compares readiness now with readiness this many days ago.
TREND_DAYS = 30
# The moments the prefetched rows a plan's readiness reads carry (a self-assessment's; any later
# kind of row that changes which level counts names its own here), so readiness_as_of sees only the
# rows that existed then.
MOMENT_FIELDS = ("assessed_at",)


def mentored_plans(user) -> list[CareerPlan]:
    """The active plans someone else owns and shared with ``user``, with their owner and what
    skill_gaps() and readiness() read (CareerPlanQuerySet.with_gap_data), in a fixed number of
    queries. A share is accepted once it is bound to the person (plans.sharing.services.share_accept
    binds it and dates accepted_at together; an address leaving the account unbinds both), which is
    the rule CareerPlanQuerySet.visible_to reads too; revoking deletes it."""
    if not user.is_authenticated:
        return []
    shared = Share.objects.filter(user=user).values("plan_id")
    plans: QuerySet[CareerPlan] = (
        CareerPlan.objects.active()
        .filter(pk__in=shared)
        .exclude(owner=user)
        .with_gap_data()
        .select_related("owner")
        .order_by("pk")
    )
    return list(plans)


def mentors_anyone(user) -> bool:
    """Whether someone's active plan is shared with ``user`` (one query)."""
    shared = Share.objects.filter(user=user).values("plan_id")
    return CareerPlan.objects.active().filter(pk__in=shared).exclude(owner=user).exists()


def readiness_as_of(plan: CareerPlan, moment: datetime) -> Readiness:
    """The plan's readiness from the rows that existed at ``moment``, against today's requirements,
    worked out by CareerPlan.readiness() itself: on a copy of the plan whose prefetched rows
    (with_gap_data's) are cut to those dated by then, and whose chosen levels to those chosen by
    then. The rule of which level counts (CareerPlan.counted_levels) stays the plan's own. Reads
    no query when the plan came from mentored_plans()."""
    past: Any = copy.copy(plan)  # Django's prefetch cache is not in the model's type
    past._prefetched_objects_cache = {
        name: _as_of(rows, moment) for name, rows in past._prefetched_objects_cache.items()
    }
    # The levels the owner chose (a mentor's rating, an agreed level) count from when they chose
    # them; the plan keeps only its current choices, so a later one leaves the self-assessment.
    stored = plan.chosen_levels if isinstance(plan.chosen_levels, dict) else {}
    chosen = ChosenLevel.read_all(stored)
    past.chosen_levels = {
        key: entry
        for key, entry in stored.items()
        if str(key).isdigit() and int(key) in chosen and chosen[int(key)].chosen_at <= moment
    }
    return past.readiness()


def _as_of(rows: QuerySet, moment: datetime) -> QuerySet:
    kept = [row for row in rows if all(getattr(row, f, moment) <= moment for f in MOMENT_FIELDS)]
    if len(kept) == len(rows):
        return rows
    # The prefetched queryset's twin holding the kept rows; a shallow copy, as cloning its query
    # for each of 100 plans cost more than the rest of the trend (the rows are never fetched again).
    cut: Any = copy.copy(rows)
    cut._result_cache = kept
    cut._prefetch_done = True
    return cut


def mentoring_versions(request: HttpRequest) -> list[str]:
    """The version names of the plans shared with the person (one query per request): both pages
    show nothing else of theirs, so a body cached under these (with the ladder's and people's
    versions, plans.page.page_versions) is fresh until one of the plans, a share or a comment on
    it changes; a revoked share moves its plan's version and leaves the list."""
    memo: Any = request  # signed in: the views are login_required
    if not hasattr(memo, "_mentoring_versions"):
        shared = Share.objects.filter(user=memo.user).order_by("plan_id").values_list("plan_id", flat=True)
        memo._mentoring_versions = [versions.plan(pk) for pk in shared]
    return memo._mentoring_versions


def mentoring_etag(request: HttpRequest, **kwargs) -> str | None:
    """The ETag of a mentoring page: a repeated view answers 304 until what it shows changes."""
    if not request.user.is_authenticated:
        return None
    return page_etag(request, *mentoring_versions(request))


def mentoring_body_key(request: HttpRequest) -> str | None:
    """The key a mentoring page's body is cached under (plans.page.page_key); None before the
    browser holds its CSRF cookie, as on the dashboard."""
    if settings.CSRF_COOKIE_NAME not in request.COOKIES:
        return None
    return page_key(request, *mentoring_versions(request))
