"""What one reminder digest says: everything a person's plans need from them this period.

Built when the digest is sent (so it is current), from the goals the sweep found due and the
person's own active plans. Never one email per goal.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse

from goals.models import CheckIn, Goal, Milestone, ReminderSettings, prefetch_measured_facts
from goals.schedule import local_time
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment

# Deadlines and milestones this close are in the digest; certification expiries in these windows.
DEADLINE_AHEAD_DAYS = 7
EXPIRY_WINDOWS = (7, 30, 60)
CHECK_IN_LINK_SALT = "goals.check-in-link"
CHECK_IN_LINK_MAX_AGE = timedelta(days=14)
UNSUBSCRIBE_SALT = "goals.unsubscribe"
UNSUBSCRIBE_MAX_AGE = timedelta(days=180)


def check_in_link(goal: Goal) -> str:
    """A signed, expiring link straight to the goal's check-in form (still behind sign-in)."""
    token = signing.dumps(
        {"goal": goal.pk, "user": goal.plan.owner_id}, salt=CHECK_IN_LINK_SALT, compress=True
    )
    return settings.SITE_URL + reverse("goals:check_in_link", args=[token])


def read_check_in_link(token: str) -> dict:
    """The link's payload; signing.BadSignature (SignatureExpired included) when it is forged or old."""
    return signing.loads(token, salt=CHECK_IN_LINK_SALT, max_age=CHECK_IN_LINK_MAX_AGE)


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int:
    return signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)


def unsubscribe_url(user) -> str:
    return settings.SITE_URL + reverse("goals:unsubscribe", args=[unsubscribe_token(user)])


@dataclass
class Digest:
    user: object
    prefs: ReminderSettings
    today: date
    due: list[Goal] = field(default_factory=list)
    deadlines: list[Goal] = field(default_factory=list)
    overdue: list[Goal] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    expiring: list[PlanCertification] = field(default_factory=list)
    recommended: list[tuple[CareerPlan, list]] = field(default_factory=list)
    stalled: list[tuple[CareerPlan, str, str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        parts = (self.due, self.deadlines, self.overdue, self.milestones, self.expiring, self.stalled)
        return not any(parts)

    def subject(self) -> str:
        count = len(self.due)
        if count:
            return f"Time to check in: {count} goal{'s' if count != 1 else ''} on your career plan"
        if self.overdue or self.deadlines:
            return "Deadlines on your career plan"
        return "Your career plan needs a next step"

    def context(self, *, now: datetime) -> dict:
        return {
            "digest": self,
            "user": self.user,
            "sent_at": local_time(now, self.prefs.timezone),
            "time_zone": self.prefs.timezone,
            "check_in_links": {
                goal.pk: check_in_link(goal) for goal in self.due + self.overdue + self.deadlines
            },
            "settings_url": settings.SITE_URL + reverse("goals:reminder_settings"),
            "unsubscribe_url": unsubscribe_url(self.user),
            "dashboard_url": settings.SITE_URL + reverse("home"),
        }


def build_digest(*, user, goal_ids: list[int], now: datetime) -> Digest:
    prefs = ReminderSettings.for_user(user)
    today = local_time(now, prefs.timezone).date()
    digest = Digest(user=user, prefs=prefs, today=today)
    active = prefetch_measured_facts(
        list(
            Goal.objects.for_owner(user)
            .active()
            .select_related("plan")
            .prefetch_related("check_ins")
            .order_by("deadline")
        )
    )
    digest.due = [g for g in active if g.pk in goal_ids]
    others = [g for g in active if g.pk not in goal_ids]
    digest.overdue = [g for g in others if g.deadline < today]
    digest.deadlines = [
        g for g in others if today <= g.deadline <= today + timedelta(days=DEADLINE_AHEAD_DAYS)
    ]
    digest.milestones = list(
        Milestone.objects.filter(
            goal__in=active, done_at__isnull=True, due_date__lte=today + timedelta(days=DEADLINE_AHEAD_DAYS)
        )
        .select_related("goal")
        .order_by("due_date")
    )
    plans = list(CareerPlan.objects.owned_by(user).active().select_related("target_role"))
    digest.expiring = list(
        PlanCertification.objects.filter(plan__in=plans)
        .expiring(within=max(EXPIRY_WINDOWS), today=today)
        .select_related("certification", "plan")
        .order_by("expires_on")
    )
    digest.recommended = _recommended_certifications(plans, today)
    digest.stalled = _stalled_plans(plans, today)
    return digest


def expiry_window(held: PlanCertification, today: date) -> int:
    """The smallest of EXPIRY_WINDOWS the expiry falls in (7, 30 or 60 days)."""
    days = (held.expires_on - today).days
    return next(window for window in EXPIRY_WINDOWS if days <= window)


def _recommended_certifications(plans: list[CareerPlan], today: date) -> list[tuple[CareerPlan, list]]:
    """Per plan, what its target role recommends that the person does not hold (lapsed counts as not held)."""
    held = {
        (pc.plan_id, pc.certification_id)
        for pc in PlanCertification.objects.filter(plan__in=plans, status=PlanCertification.Status.EARNED)
        if not pc.effective_status(today).is_expired
    }
    result = []
    for plan in plans:
        missing = [
            c for c in plan.target_role.recommended_certifications.all() if (plan.pk, c.pk) not in held
        ]
        if missing:
            result.append((plan, missing))
    return result


def _latest(model, date_field: str, plan_path: str) -> Subquery:
    rows = model.objects.filter(**{plan_path: OuterRef("pk")}).order_by(f"-{date_field}")
    return Subquery(rows.values(date_field)[:1])


def _stalled_plans(plans: list[CareerPlan], today: date) -> list[tuple[CareerPlan, str, str]]:
    """Plans with no check-in, assessment or activity for REMINDER_STALLED_DAYS: one next step each."""
    since = today - timedelta(days=settings.REMINDER_STALLED_DAYS)
    stalled = []
    for plan in CareerPlan.objects.filter(pk__in=[p.pk for p in plans]).annotate(
        last_check_in=_latest(CheckIn, "checked_on", "goal__plan"),
        last_assessment=_latest(SkillAssessment, "assessed_at", "plan"),
        last_activity=_latest(Activity, "date", "plan"),
        has_goals=Exists(Goal.objects.filter(plan=OuterRef("pk"))),
    ):
        dates = [plan.last_check_in, plan.last_activity, plan.last_assessment and plan.last_assessment.date()]
        if plan.created_at.date() > since or any(d and d > since for d in dates):
            continue
        stalled.append((plan, *_next_step(plan)))
    return stalled


def _next_step(plan: CareerPlan) -> tuple[str, str]:
    """(what to do, link) for a plan that has gone quiet: assess, then set goals, then check in."""
    if plan.last_assessment is None:
        step, path = (
            "Assess your skills to see the gap to your target role.",
            reverse("plans:assess", args=[plan.pk]),
        )
    elif not plan.has_goals:
        step, path = "Draft goals from your gap.", reverse("goals:draft", args=[plan.pk])
    else:
        step, path = "Record a check-in on one of your goals.", plan.get_absolute_url() + "#goals"
    return step, settings.SITE_URL + path
