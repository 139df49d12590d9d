"""A plan on paper for a 1:1 meeting: "Print / save as PDF" (issue 13).

A read page like the plan page: the owner and the mentors it is shared with see it, anyone else
gets 404. It reads the plan page's own figures (plans.page.PlanPage: the same gaps and readiness),
what other apps add for print (plans.sections, Page.PRINT: the goals), and a fixed number of
queries whatever the amount of data.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from plans.access import get_plan_for_user
from plans.models import Activity, CareerPlan
from plans.page import PlanPage, plan_page_queryset
from plans.readiness import SkillGap
from plans.sections import Page, page_sections

PRINT_GAPS = 5
PRINT_ACTIVITIES = 5
PRINT_COMMENTS = 3


def largest_gaps(gaps: list[SkillGap], limit: int = PRINT_GAPS) -> list[SkillGap]:
    """The open gaps, largest first (skill_gaps' order): met and unassessed skills are no gap."""
    return [gap for gap in gaps if gap.gap][:limit]


def recent_activities(activities: list[Activity], limit: int = PRINT_ACTIVITIES) -> list[Activity]:
    """The latest activities done, latest first (the plan's order): planned ones are not recent."""
    return [activity for activity in activities if activity.status == Activity.Status.DONE][:limit]


def comments_by_others(plan: CareerPlan, sections: list[dict], limit: int = PRINT_COMMENTS) -> list:
    """The newest comments by anyone but the owner, in the plan's thread and those the sections
    bring (the goals'), newest first."""
    on_plan = plan.comments.exclude(author_id=plan.owner_id).select_related("author")
    comments = [*on_plan.order_by("-created_at", "-pk")[:limit]]
    comments += [comment for section in sections for comment in section.get("comments", [])]
    return sorted(comments, key=lambda c: c.created_at, reverse=True)[:limit]


@login_required
@require_safe
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, queryset=plan_page_queryset())
    page = PlanPage(request, plan)
    sections = page_sections(Page.PRINT, request, page.loaded)
    gaps = largest_gaps(page.gaps)
    return render(
        request,
        "plans/plan_print.html",
        {
            "plan": plan,
            "today": page.today,
            "readiness": page.readiness,
            "gaps": gaps,
            "more_gaps": page.readiness.open_gaps - len(gaps),
            "certifications": list(page.loaded.certifications.all()),
            "activities": recent_activities(page.activities),
            "sections": sections,
            "comments": comments_by_others(plan, sections),
        },
    )


urlpatterns = [
    path("<int:pk>/print/", plan_print, name="print"),
]
