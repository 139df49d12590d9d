"""The signed-in home page: each active plan at a glance, the plans the person mentors, and the
sections other apps register for Page.DASHBOARD (goals adds what to check in on, and how the
goals of the plans they mentor are doing)."""

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.names import display_name
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


def shared_plan_cards(user) -> list[dict]:
    """The active plans shared with the person (they mentor them), each with its owner's name and
    readiness; the sections add what their goals say (``goals``)."""
    plans = CareerPlan.objects.shared_with(user).active().with_gap_data().select_related("owner")
    return [
        {"plan": plan, "owner_name": display_name(plan.owner), "readiness": plan.readiness()}
        for plan in plans
    ]


def dashboard_etag(request: HttpRequest) -> str | None:
    """The dashboard shows every plan the person owns or reads: its ETag moves with any of their
    versions (one query for the ids), as plans.page.page_etag explains."""
    if not request.user.is_authenticated:
        return None
    plan_ids = CareerPlan.objects.visible_to(request.user).order_by("pk").values_list("pk", flat=True)
    return page_etag(request, *(versions.plan(pk) for pk in plan_ids))


def dashboard_context(request: HttpRequest) -> dict:
    """The person's own plans; the plans they mentor (leading when they have no plan of their own);
    and what the sections add (goals: next steps per plan, the cards, each shared plan's goals)."""
    user = request.user
    cards = plan_cards(user)
    shared_cards = shared_plan_cards(user)
    sections = page_sections(Page.DASHBOARD, request)
    actions, shared_goals = {}, {}
    for section in sections:
        actions.update(section.get("next_actions", {}))
        shared_goals.update(section.get("shared_plan_goals", {}))
    for card in cards:
        card["next_action"] = card_next_action(card, actions)
    for card in shared_cards:
        card["goals"] = shared_goals.get(card["plan"].pk)
    return {
        "cards": cards,
        "shared_cards": shared_cards,
        "starter": None if cards else Role.objects.starter_pair(),
        "sections": [section for section in sections if section.get("template")],
        "today": timezone.localdate(),
    }


def card_next_action(card: dict, actions: dict[int, dict | None]) -> dict | None:
    """The plan card's one primary action, by the plan's state: assess first, then what the
    sections (goals: draft goals, check in) ask for; none when nothing is pressing."""
    plan, readiness = card["plan"], card["readiness"]
    if readiness.total and not readiness.assessed:
        return {"label": "Assess your skills", "url": reverse("plans:assess", args=[plan.pk])}
    return actions.get(plan.pk)
