"""The signed-in home page: each active plan at a glance, the plans the person mentors, and the
sections other apps register for Page.DASHBOARD (goals adds what to check in on, and how the
goals of the plans they mentor are doing)."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property

from accounts.names import display_name
from plans.models import Activity, CareerPlan, PlanCertification
from plans.page import page_etag, page_key
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
    return page_etag(request, *_plan_versions(request))


class Dashboard:
    """What the dashboard shows, each part computed on first use: when the body comes from the
    cache (dashboard_key), none of it is read or rendered."""

    def __init__(self, request: HttpRequest) -> None:
        self.request, self.user = request, request.user

    @cached_property
    def sections(self) -> list[dict]:
        return page_sections(Page.DASHBOARD, self.request)

    def _merged(self, key: str) -> dict:
        merged: dict = {}
        for section in self.sections:
            merged.update(section.get(key, {}))
        return merged

    @cached_property
    def cards(self) -> list[dict]:
        cards = plan_cards(self.user)
        actions = self._merged("next_actions")
        for card in cards:
            card["next_action"] = card_next_action(card, actions)
        return cards

    @cached_property
    def shared_cards(self) -> list[dict]:
        cards = shared_plan_cards(self.user)
        goals = self._merged("shared_plan_goals")
        for card in cards:
            card["goals"] = goals.get(card["plan"].pk)
        return cards

    def context(self) -> dict:
        return {
            "cards": SimpleLazyObject(lambda: self.cards),
            "shared_cards": SimpleLazyObject(lambda: self.shared_cards),
            "starter": SimpleLazyObject(lambda: None if self.cards else Role.objects.starter_pair()),
            "sections": SimpleLazyObject(lambda: [s for s in self.sections if s.get("template")]),
            "today": timezone.localdate(),
        }


def dashboard_context(request: HttpRequest) -> dict:
    """The person's own plans; the plans they mentor (leading when they have no plan of their own);
    and what the sections add (goals: next steps per plan, the cards, each shared plan's goals).
    The body is cached under dashboard_key when the browser holds its CSRF cookie."""
    context = Dashboard(request).context()
    cacheable = settings.CSRF_COOKIE_NAME in request.COOKIES
    context["body_key"] = page_key(request, *_plan_versions(request)) if cacheable else None
    return context


def _plan_versions(request: HttpRequest) -> list[str]:
    """The version names of every plan the person owns or reads (one query per request)."""
    if not hasattr(request, "_dashboard_plan_versions"):
        plan_ids = CareerPlan.objects.visible_to(request.user).order_by("pk").values_list("pk", flat=True)
        request._dashboard_plan_versions = [versions.plan(pk) for pk in plan_ids]
    return request._dashboard_plan_versions


def card_next_action(card: dict, actions: dict[int, dict | None]) -> dict | None:
    """The plan card's one primary action, by the plan's state: assess first, then what the
    sections (goals: draft goals, check in) ask for; none when nothing is pressing."""
    plan, readiness = card["plan"], card["readiness"]
    if readiness.total and not readiness.assessed:
        return {"label": "Assess your skills", "url": reverse("plans:assess", args=[plan.pk])}
    return actions.get(plan.pk)
