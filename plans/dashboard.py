"""The signed-in home page: each active plan at a glance, plans shared with the person, and the
sections other apps register for Page.DASHBOARD (goals adds what to check in on)."""

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from plans.models import Activity, CareerPlan, PlanCertification
from plans.page import page_etag
from plans.sections import Page, page_sections
from skills import versions
from skills.models import Role

UPCOMING_CERTIFICATIONS = 3
RECENT_ACTIVITIES = 3


def plan_cards(user) -> list[dict]:
    """Each active plan with readiness, its next certification dates and what already happened."""
    today = timezone.localdate()
    plans = (
        CareerPlan.objects.owned_by(user)
        .active()
        .with_gap_data()
        .prefetch_related(
            Prefetch(
                "certifications",
                queryset=PlanCertification.objects.dated().select_related("certification"),
            ),
            Prefetch("activities", queryset=Activity.objects.order_by("-date", "-pk")),
        )
    )
    return [
        {
            "plan": plan,
            "readiness": plan.readiness(),
            "upcoming": _upcoming_certifications(plan, today),
            "recent": [a for a in plan.activities.all() if a.date <= today][:RECENT_ACTIVITIES],
        }
        for plan in plans
    ]


def _upcoming_certifications(plan: CareerPlan, today) -> list[PlanCertification]:
    current = [c for c in plan.certifications.all() if not c.effective_status(today).is_expired]
    return sorted(current, key=lambda c: c.next_date)[:UPCOMING_CERTIFICATIONS]


def dashboard_etag(request: HttpRequest) -> str | None:
    """The dashboard shows every plan the person owns or reads: its ETag moves with any of their
    versions (one query for the ids), as plans.page.page_etag explains."""
    if not request.user.is_authenticated:
        return None
    plan_ids = CareerPlan.objects.visible_to(request.user).order_by("pk").values_list("pk", flat=True)
    return page_etag(request, *(versions.plan(pk) for pk in plan_ids))


def dashboard_context(request: HttpRequest) -> dict:
    user = request.user
    cards = plan_cards(user)
    sections = page_sections(Page.DASHBOARD, request)
    actions = {}
    for section in sections:
        actions.update(section.get("next_actions", {}))
    for card in cards:
        card["next_action"] = card_next_action(card, actions)
    return {
        "cards": cards,
        "shared_plans": list(CareerPlan.objects.shared_with(user).select_related("owner", "target_role")),
        "starter": None if cards else Role.objects.starter_pair(),
        "sections": sections,
        "today": timezone.localdate(),
    }


def card_next_action(card: dict, actions: dict[int, dict | None]) -> dict | None:
    """The plan card's one primary action, by the plan's state: assess first, then what the
    sections (goals: draft goals, check in) ask for; none when nothing is pressing."""
    plan, readiness = card["plan"], card["readiness"]
    if readiness.total and not readiness.assessed:
        return {"label": "Assess your skills", "url": reverse("plans:assess", args=[plan.pk])}
    return actions.get(plan.pk)
