"""The signed-in home page: what needs the person first (Attention), each active plan at a glance,
the plans the person mentors, and the sections other apps register for Page.DASHBOARD (goals adds
what to check in on, its part of what needs attention, and how the goals of the plans they mentor
are doing)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.conf import settings
from django.db.models import Count, Prefetch, Window
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property

from accounts.names import display_name
from base import versions
from plans.models import Activity, CareerPlan, PlanCertification
from plans.page import page_etag, page_key
from plans.sections import Page, page_sections
from plans.sharing.models import Comment
from skills.models import Role

UPCOMING_CERTIFICATIONS = 3
RECENT_ACTIVITIES = 3
# What needs attention lists at most this many of each kind; a count says how many in all.
ATTENTION_ROWS = 5
# A comment someone else wrote on the person's plan or one of its goals is new on their dashboard
# for this many days: today and the days before it (docs/decisions.md, Dashboard).
NEW_COMMENT_DAYS = 14


@dataclass(frozen=True)
class DashboardPlans:
    """The active plans the dashboard shows: the person's own, and those shared with them."""

    own: list[CareerPlan]
    shared: list[CareerPlan]


def dashboard_plans(user) -> DashboardPlans:
    """Both kinds in one query (and one per kind of row they carry): what skill_gaps() and
    readiness() read, the owner (a shared card names them), and for the person's own plans the
    dated certifications and the RECENT_ACTIVITIES latest activities their cards show."""
    today = timezone.localdate()
    recent = Activity.objects.filter(plan__owner=user, date__lte=today).order_by("-date", "-pk")
    plans = (
        CareerPlan.objects.visible_to(user)
        .active()
        .with_gap_data()
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "certifications",
                queryset=PlanCertification.objects.filter(plan__owner=user)
                .dated()
                .select_related("certification"),
                to_attr="dated_certifications",
            ),
            Prefetch("activities", queryset=recent[:RECENT_ACTIVITIES], to_attr="recent_activities"),
        )
    )
    own: list[CareerPlan] = []
    shared: list[CareerPlan] = []
    for plan in plans:
        (own if plan.owner_id == user.pk else shared).append(plan)
    return DashboardPlans(own=own, shared=shared)


@dataclass(frozen=True)
class NewComment:
    """A comment someone else wrote on the person's plan or on one of its goals."""

    author: Any  # a User; None once they deleted their account
    body: str
    created_at: datetime
    thing: str  # what it is on: "plan" or "goal"
    title: str  # the plan's or the goal's title
    url: str  # the comment in its thread


@dataclass
class Attention:
    """What on the person's own active plans needs them, the dashboard's lead: goals behind or at
    risk and overdue milestones (goals adds these), certifications expiring within
    EXPIRY_WARNING_DAYS, and new comments by others (NEW_COMMENT_DAYS). Each list holds at most
    ATTENTION_ROWS, most pressing first; each total counts them all."""

    goals: list = field(default_factory=list)  # goals.models.Goal, behind before at risk
    goals_total: int = 0
    milestones: list = field(default_factory=list)  # goals.models.Milestone, oldest due date first
    milestones_total: int = 0
    certifications: list[PlanCertification] = field(default_factory=list)  # soonest expiry first
    certifications_total: int = 0
    comments: list[NewComment] = field(default_factory=list)  # newest first
    comments_total: int = 0

    @property
    def any(self) -> bool:
        return bool(
            self.goals_total or self.milestones_total or self.certifications_total or self.comments_total
        )

    @property
    def more(self) -> dict[str, int]:
        """How many of each kind the lists leave out."""
        return {
            "goals": self.goals_total - len(self.goals),
            "milestones": self.milestones_total - len(self.milestones),
            "certifications": self.certifications_total - len(self.certifications),
            "comments": self.comments_total - len(self.comments),
        }

    @classmethod
    def combined(cls, parts: Iterable["Attention"]) -> "Attention":
        """One Attention from the parts apps add (only comments come from more than one)."""
        parts = list(parts)
        comments = sorted((c for p in parts for c in p.comments), key=lambda c: c.created_at, reverse=True)
        return cls(
            goals=[g for p in parts for g in p.goals][:ATTENTION_ROWS],
            goals_total=sum(p.goals_total for p in parts),
            milestones=[m for p in parts for m in p.milestones][:ATTENTION_ROWS],
            milestones_total=sum(p.milestones_total for p in parts),
            certifications=[c for p in parts for c in p.certifications][:ATTENTION_ROWS],
            certifications_total=sum(p.certifications_total for p in parts),
            comments=comments[:ATTENTION_ROWS],
            comments_total=sum(p.comments_total for p in parts),
        )


def new_comments_since(today: date) -> datetime:
    """The moment comments count as new from: the start of the day NEW_COMMENT_DAYS - 1 days ago,
    on the site's clock (whole days, so the page's cache, keyed by the day, never outlives it)."""
    return timezone.make_aware(datetime.combine(today - timedelta(days=NEW_COMMENT_DAYS - 1), time.min))


def plan_attention(plans: list[CareerPlan], user, today: date) -> Attention:
    """The plans' part of Attention (``plans``: the person's own, from dashboard_plans): their
    certifications expiring soon (PlanCertification.expires_soon, read from the prefetch) and the
    newest comments others wrote in the plans' threads (one query, counted by a window)."""
    if not plans:
        return Attention()
    expiring = [pc for plan in plans for pc in cast(Any, plan).dated_certifications if pc.expires_soon()]
    expiring.sort(key=lambda pc: (pc.expires_on, pc.pk))
    by_pk = {plan.pk: plan for plan in plans}
    comments = list(
        Comment.objects.filter(plan__in=plans, created_at__gte=new_comments_since(today))
        .exclude(author=user)
        .select_related("author")
        .annotate(total=Window(Count("pk")))
        .order_by("-created_at", "-pk")[:ATTENTION_ROWS]
    )
    return Attention(
        certifications=expiring[:ATTENTION_ROWS],
        certifications_total=len(expiring),
        comments=[
            NewComment(
                author=comment.author,
                body=comment.body,
                created_at=comment.created_at,
                thing="plan",
                title=by_pk[comment.plan_id].title,
                url=f"{by_pk[comment.plan_id].get_absolute_url()}#comment-{comment.pk}",
            )
            for comment in comments
        ],
        comments_total=comments[0].total if comments else 0,
    )


def plan_cards(plans: list[CareerPlan]) -> list[dict]:
    """Each of the person's active plans with readiness, its next certification dates and what
    already happened (``plans`` from dashboard_plans)."""
    today = timezone.localdate()
    return [
        {
            "plan": plan,
            "readiness": plan.readiness(),
            "upcoming": _upcoming_certifications(plan, today),
            "recent": cast(Any, plan).recent_activities,  # dashboard_plans' prefetch
        }
        for plan in plans
    ]


def _upcoming_certifications(plan: CareerPlan, today) -> list[PlanCertification]:
    dated: list[PlanCertification] = cast(Any, plan).dated_certifications  # dashboard_plans' prefetch
    current = [c for c in dated if not c.effective_status(today).is_expired]
    return sorted(current, key=lambda c: cast(date, c.next_date))[:UPCOMING_CERTIFICATIONS]  # dated: has one


def shared_plan_cards(plans: list[CareerPlan]) -> list[dict]:
    """The active plans shared with the person (they mentor them), each with its owner's name and
    readiness; the sections add what their goals say (``goals``)."""
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
    def plans(self) -> DashboardPlans:
        return dashboard_plans(self.user)

    @cached_property
    def sections(self) -> list[dict]:
        return page_sections(Page.DASHBOARD, self.request, self.plans)

    def _merged(self, key: str) -> dict:
        merged: dict = {}
        for section in self.sections:
            merged.update(section.get(key, {}))
        return merged

    @cached_property
    def attention(self) -> Attention:
        """What needs the person on their own plans: the plans' part and the sections' ("attention")."""
        parts = [plan_attention(self.plans.own, self.user, timezone.localdate())]
        parts += [section["attention"] for section in self.sections if "attention" in section]
        return Attention.combined(parts)

    @cached_property
    def cards(self) -> list[dict]:
        cards = plan_cards(self.plans.own)
        actions = self._merged("next_actions")
        for card in cards:
            card["next_action"] = card_next_action(card, actions)
        return cards

    @cached_property
    def shared_cards(self) -> list[dict]:
        cards = shared_plan_cards(self.plans.shared)
        goals = self._merged("shared_plan_goals")
        for card in cards:
            card["goals"] = goals.get(card["plan"].pk)
        return cards

    def context(self) -> dict:
        return {
            "attention": SimpleLazyObject(lambda: self.attention),
            "cards": SimpleLazyObject(lambda: self.cards),
            "shared_cards": SimpleLazyObject(lambda: self.shared_cards),
            "starter": SimpleLazyObject(lambda: None if self.cards else Role.objects.starter_pair()),
            "sections": SimpleLazyObject(lambda: [s for s in self.sections if s.get("template")]),
            "today": timezone.localdate(),
            "new_comment_days": NEW_COMMENT_DAYS,
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
    memo: Any = request  # the request carries the list from the first call
    if not hasattr(memo, "_dashboard_plan_versions"):
        plan_ids = CareerPlan.objects.visible_to(request.user).order_by("pk").values_list("pk", flat=True)
        memo._dashboard_plan_versions = [versions.plan(pk) for pk in plan_ids]
    return memo._dashboard_plan_versions


def card_next_action(card: dict, actions: dict[int, dict | None]) -> dict | None:
    """The plan card's one primary action, by the plan's state: assess first, then what the
    sections (goals: draft goals, check in) ask for; none when nothing is pressing."""
    plan, readiness = card["plan"], card["readiness"]
    if readiness.total and not readiness.assessed:
        return {"label": "Assess your skills", "url": reverse("plans:assess", args=[plan.pk])}
    return actions.get(plan.pk)
