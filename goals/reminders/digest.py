"""What one reminder digest says: everything a person's plans need from them this period.

Built when the digest is sent (so it is current), from the goals the sweep found due and the
person's own active plans. Never one email per goal. It goes out when it has something to say
(Digest.reasons: a goal due, behind or near its deadline, a plan gone quiet, a certification
entering an expiry window, a change to a role's requirements), and is skipped otherwise; the rest
(recommended certifications, goals whose plan of attack was left for later) rides along.

A worker builds the digests of a whole set of deliveries at once (build_digests): a fixed number
of queries for the set, whatever its size, each person's sections then picked out in memory with
their own local date. DigestRenderer renders each with the email layer's templates.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypedDict

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.db.models import Exists, Max, OuterRef, Prefetch, Subquery
from django.urls import reverse

from accounts.names import display_name
from base import emails
from base.emails import Rendered
from base.words import counted
from goals.models import CheckIn, Goal, Milestone, ReminderDelivery, ReminderSettings, prefetch_measured_facts
from goals.progress.status import TrackStatus
from goals.reminders.schedule import local_time
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.readiness import REQUIREMENT_CHANGES_DAYS
from skills.history import RequirementChange, requirement_changes
from skills.models import Certification, Role

# Deadlines and milestones this close are in the digest; certification expiries in these windows.
DEADLINE_AHEAD_DAYS = 7
EXPIRY_WINDOWS = (7, 30, 60)
# Goals in these statuses are "behind or at risk" (goals.standing.SLIPPING, the dashboard's rule).
SLIPPING = (TrackStatus.BEHIND, TrackStatus.AT_RISK)
# The digest names this many of them, nearest deadline first; the dashboard lists the rest.
SLIPPING_SHOWN = 5
CHECK_IN_LINK_SALT = "goals.check-in-link"
CHECK_IN_LINK_MAX_AGE = timedelta(days=14)
UNSUBSCRIBE_SALT = "goals.unsubscribe"
UNSUBSCRIBE_MAX_AGE = timedelta(days=180)


class CheckInLink(TypedDict):
    """What a check-in link carries: the goal's id and its owner's."""

    goal: int
    user: int


def _site(path: str) -> str:
    return settings.SITE_URL + path


def check_in_link(goal: Goal) -> str:
    """A signed, expiring link straight to the goal's check-in form (still behind sign-in)."""
    payload: CheckInLink = {"goal": goal.pk, "user": goal.plan.owner_id}
    token = signing.dumps(payload, salt=CHECK_IN_LINK_SALT, compress=True)
    return settings.SITE_URL + reverse("goals:check_in_link", args=[token])


def read_check_in_link(token: str) -> CheckInLink:
    """The link's payload; signing.BadSignature (SignatureExpired included) when it is forged or old."""
    return signing.loads(token, salt=CHECK_IN_LINK_SALT, max_age=CHECK_IN_LINK_MAX_AGE)


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int:
    return signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)


def unsubscribe_url(user) -> str:
    return settings.SITE_URL + reverse("goals:unsubscribe", args=[unsubscribe_token(user)])


def day_format(value: date, *, today: date, weekday: bool = False) -> str:
    """How an email names a day (the ``day`` filter of goals/templatetags/digest_dates.py): "3 Feb",
    with the year when it is not the current one ("3 Feb 2027", "1 Jan 2020"), and "Tuesday 3 Feb"
    with ``weekday``."""
    return ("l " if weekday else "") + ("j M" if value.year == today.year else "j M Y")


@dataclass
class Digest:
    user: User
    prefs: ReminderSettings
    today: date
    due: list[Goal] = field(default_factory=list)
    deadlines: list[Goal] = field(default_factory=list)
    overdue: list[Goal] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    expiring: list[PlanCertification] = field(default_factory=list)
    # Per plan, what its target role recommends: (certification, the plan's lapsed record of it or None).
    recommended: list[tuple[CareerPlan, list[tuple[Certification, PlanCertification | None]]]] = field(
        default_factory=list
    )
    stalled: list[tuple[CareerPlan, str, str]] = field(default_factory=list)
    # Active goals behind or at risk that are not listed above (due, overdue, due this week).
    slipping: list[Goal] = field(default_factory=list)
    # Of ``expiring``, those that entered a window (60, 30, 7 days) since their last digest.
    expiry_news: list[PlanCertification] = field(default_factory=list)
    # Per plan, the changes to its roles' requirements since the plan or their last digest changed.
    changes: list[tuple[CareerPlan, list[tuple[Role, list[RequirementChange]]]]] = field(default_factory=list)
    # Active goals whose plan of attack was left for later (Goal.needs_plan_of_attack).
    later: list[Goal] = field(default_factory=list)

    def reasons(self) -> list[str]:
        """Why this digest goes out, each in a few words ("two goals due for a check-in"); none when
        it has nothing to say and is not sent."""
        parts: list[tuple[list[Any], str, str]] = [
            (self.due, "goal due for a check-in", "goals due for a check-in"),
            (self.overdue, "goal past its deadline", "goals past their deadline"),
            (self.deadlines, "deadline this week", "deadlines this week"),
            (self.milestones, "milestone due", "milestones due"),
            (self.slipping, "goal behind or at risk", "goals behind or at risk"),
            (self.stalled, "plan gone quiet", "plans gone quiet"),
            (self.expiry_news, "certification about to expire", "certifications about to expire"),
            (
                self.changes,
                "plan whose roles' requirements changed",
                "plans whose roles' requirements changed",
            ),
        ]
        return [counted(len(rows), one, many) for rows, one, many in parts if rows]

    @property
    def is_empty(self) -> bool:
        """Nothing that calls for an email (reasons): the digest is skipped."""
        return not self.reasons()

    def subject(self) -> str:
        count = len(self.due)
        if count:
            return f"Time to check in: {count} goal{'s' if count != 1 else ''} on your career plan"
        if self.overdue or self.deadlines:
            return "Deadlines on your career plan"
        if self.slipping:
            return "Goals behind on your career plan"
        if self.expiry_news and not (self.milestones or self.stalled or self.changes):
            return "A certification on your career plan expires soon"
        return "Your career plan needs a next step"

    def context(self, *, now: datetime) -> dict:
        """The templates' context. Dates and numbers are formatted by the templates' filters
        (``date``, ``floatformat``, and ``day`` for the email's own way of naming a day)."""
        prefs = self.prefs
        return {
            "digest": self,
            "user": self.user,
            "today": self.today,
            "name": display_name(self.user),
            "sent_at": now,  # shown on the person's clock: the templates' |timezone:time_zone
            "time_zone": prefs.timezone,
            "slot": f"{prefs.get_hour_display()} on {prefs.get_weekday_display()}s",
            "due": [GoalLine.of(goal, self.today) for goal in self.due],
            "overdue": [GoalLine.of(goal, self.today) for goal in self.overdue],
            "deadlines": [GoalLine.of(goal, self.today) for goal in self.deadlines],
            "slipping": [GoalLine.of(goal, self.today) for goal in self.slipping[:SLIPPING_SHOWN]],
            "slipping_more": max(len(self.slipping) - SLIPPING_SHOWN, 0),
            # The goal's form, at its plan of attack.
            "later": [
                (goal, _site(reverse("goals:edit", args=[goal.pk])) + "#id_plan_of_attack")
                for goal in self.later
            ],
            "changes": [
                (plan, roles, _site(reverse("plans:assess", args=[plan.pk]))) for plan, roles in self.changes
            ],
            "expiring": [(held, expiry_window(held, self.today)) for held in self.expiring],
            "unsubscribe_url": unsubscribe_url(self.user),
            "settings_url": settings.SITE_URL + reverse("goals:reminder_settings"),
            "dashboard_url": settings.SITE_URL + reverse("home"),
        }


@dataclass(frozen=True, slots=True)
class GoalLine:
    """What the digest says of one goal, worked out once for both the text and the HTML part:
    progress and status read the goal's latest measurement, which is not free."""

    goal: Goal
    value: Decimal
    percent: int
    status: str
    days: int
    link: str

    @classmethod
    def of(cls, goal: Goal, today: date) -> "GoalLine":
        value = goal.current_value()
        progress = goal.progress(value)
        return cls(
            goal=goal,
            value=value,
            percent=goal.progress_percent(progress),
            status=goal.track_status(today, progress=progress).label,
            days=(goal.deadline - today).days,
            link=check_in_link(goal),
        )

    @property
    def when(self) -> str:
        """How soon the deadline is, for deadlines a week away at most: "today", "in 3 days"."""
        if self.days < 0:
            return "overdue"
        return {0: "today", 1: "tomorrow"}.get(self.days, f"in {self.days} days" if self.days <= 7 else "")


class DigestRenderer:
    """Renders a digest for goals.reminders.sending: the email layer's render() of templates/emails/
    reminder_digest.*."""

    def render(self, digest: Digest, *, now: datetime) -> tuple[Rendered, str]:
        """(the email, the unsubscribe URL it carries)."""
        context = {**digest.context(now=now), "subject": digest.subject()}
        return emails.render("reminder_digest", context), context["unsubscribe_url"]


def build_digest(*, user: User, goal_ids: list[int], now: datetime) -> Digest:
    """One person's digest (build_digests for one)."""
    return build_digests([(user, goal_ids)], now=now)[0]


def build_digests(requests: list[tuple[User, list[int]]], *, now: datetime) -> list[Digest]:
    """The digest of each (user, goal ids due) in ``requests``, in their order, from one query per
    kind of row for all of them: reminder settings (none when the users carry them, as
    select_related("user__reminder_settings") leaves them), active goals with their latest
    check-in, milestones, active plans with what the stalled check reads, the certifications
    their target roles recommend, and earned certifications; plus what prefetch_measured_facts
    reads when skill-level or certification goals are among the goals."""
    if not requests:
        return []
    users = list({user.pk: user for user, _ in requests}.values())
    prefs = _settings_of(users)
    todays = {user.pk: local_time(now, prefs[user.pk].timezone).date() for user in users}
    ahead = max(todays.values()) + timedelta(days=DEADLINE_AHEAD_DAYS)
    owners = list(todays)

    plans_of: dict[int, list[CareerPlan]] = defaultdict(list)
    for plan in _active_plans(owners):
        plans_of[plan.owner_id].append(plan)
    plan_by_pk = {plan.pk: plan for plans in plans_of.values() for plan in plans}

    # GoalQuerySet.active() of these owners (the active goals of their active plans): due, behind,
    # near their deadline or left without a plan of attack, any may be in the digest. Each reads
    # its plan from the ones above (one instance per plan, not one per goal).
    active = list(
        Goal.objects.filter(plan__in=list(plan_by_pk), status=Goal.Status.ACTIVE)
        .with_latest_check_in()
        .order_by("deadline", "pk")
    )
    for goal in active:
        goal.plan = plan_by_pk[goal.plan_id]
    prefetch_measured_facts(active)
    goals_of: dict[int, list[Goal]] = defaultdict(list)
    for goal in active:
        goals_of[goal.plan.owner_id].append(goal)

    # Milestones due within the week may belong to goals whose own deadline is further off.
    milestones_of: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in (
        Milestone.objects.filter(
            goal__plan__in=list(plan_by_pk),
            goal__status=Goal.Status.ACTIVE,
            done_at__isnull=True,
            due_date__lte=ahead,
        )
        .select_related("goal")
        .order_by("due_date", "pk")
    ):
        milestone.goal.plan = plan_by_pk[milestone.goal.plan_id]
        milestones_of[milestone.goal.plan.owner_id].append(milestone)

    # Every certification on the plans, whatever its status: recommendations leave out what a plan
    # has (_recommended_certifications), expiries read the earned ones.
    records_of: dict[int, list[PlanCertification]] = defaultdict(list)
    for record in (
        PlanCertification.objects.filter(plan__in=list(plan_by_pk))
        .select_related("certification")
        .order_by("expires_on", "pk")
    ):
        record.plan = plan_by_pk[record.plan_id]
        records_of[record.plan.owner_id].append(record)

    last_sent = _last_digests(owners)
    changes_of = _requirement_changes(plan_by_pk.values(), last_sent, now)

    digests = []
    for user, goal_ids in requests:
        today = todays[user.pk]
        digest = Digest(user=user, prefs=prefs[user.pk], today=today)
        due_ids = set(goal_ids)
        goals = goals_of[user.pk]
        digest.due = [g for g in goals if g.pk in due_ids]
        others = [g for g in goals if g.pk not in due_ids]
        digest.overdue = [g for g in others if g.deadline < today]
        soon = today + timedelta(days=DEADLINE_AHEAD_DAYS)
        digest.deadlines = [g for g in others if today <= g.deadline <= soon]
        digest.milestones = [m for m in milestones_of[user.pk] if m.due_date <= soon]
        listed = {g.pk for g in (*digest.due, *digest.overdue, *digest.deadlines)}
        digest.slipping = [
            g
            for g in goals
            if g.pk not in listed
            and g.reminder_cadence != Goal.Cadence.NEVER  # asked for no reminders: never the reason
            and g.track_status(today) in SLIPPING
        ]
        digest.later = [g for g in goals if g.needs_plan_of_attack]
        plans = plans_of[user.pk]
        records = records_of[user.pk]
        earned = [pc for pc in records if pc.status == PlanCertification.Status.EARNED]
        within = today + timedelta(days=max(EXPIRY_WINDOWS))
        # PlanCertificationQuerySet.expiring's rule: still valid today, expiring within the window.
        digest.expiring = [pc for pc in earned if pc.expires_on and today < pc.expires_on <= within]
        last = last_sent.get(user.pk)
        digest.expiry_news = [pc for pc in digest.expiring if _entered_window(pc, today, last)]
        digest.changes = [
            (plan, changes_of[plan.pk]) for plan in plans_of[user.pk] if changes_of.get(plan.pk)
        ]
        digest.recommended = _recommended_certifications(plans, records, today)
        digest.stalled = _stalled_plans(plans, today)
        digests.append(digest)
    return digests


def _settings_of(users: list) -> dict[int, ReminderSettings]:
    """Each user's settings (ReminderSettings.for_user): read from the user where select_related
    put them, else one query for the rest."""
    descriptor = User.reminder_settings  # type: ignore[attr-defined]  # the reverse one-to-one
    loaded = [user for user in users if descriptor.is_cached(user)]
    prefs = {user.pk: ReminderSettings.for_user(user) for user in loaded}
    missing = {user.pk: user for user in users if user.pk not in prefs}
    if missing:
        saved = {s.user_id: s for s in ReminderSettings.objects.filter(user__in=list(missing))}
        for pk, user in missing.items():
            prefs[pk] = saved.get(pk) or ReminderSettings(user=user)
    return prefs


def _active_plans(owners: list[int]) -> list[CareerPlan]:
    """The owners' active plans (CareerPlan's own ordering), with their target roles' recommended
    certifications and the latest check-in, assessment and activity that _stalled_plans reads."""
    return list(
        CareerPlan.objects.filter(owner__in=owners)
        .active()
        .select_related("target_role", "current_role")
        .prefetch_related(Prefetch("target_role__recommended_certifications", to_attr="recommended"))
        .annotate(
            last_check_in=_latest(CheckIn, "checked_on", "goal__plan"),
            last_assessment=_latest(SkillAssessment, "assessed_at", "plan"),
            last_activity=_latest(Activity, "date", "plan"),
            has_goals=Exists(Goal.objects.filter(plan=OuterRef("pk"))),
        )
        .order_by("-is_primary", "-created_at", "pk")
    )


def _last_digests(owners: list[int]) -> dict[int, tuple[date, datetime]]:
    """Each owner's last digest sent: (its period, when it left). One query."""
    rows = (
        ReminderDelivery.objects.filter(user__in=owners, status=ReminderDelivery.Status.SENT)
        .values("user")
        .annotate(period=Max("period"), sent_at=Max("sent_at"))
        .values_list("user", "period", "sent_at")
    )
    return {user: (period, sent_at) for user, period, sent_at in rows}


def _entered_window(held: PlanCertification, today: date, last: tuple[date, datetime] | None) -> bool:
    """Whether the certification's expiry entered a smaller window than it was in on the day of
    their last digest (any window, when it was in none, or there was none)."""
    if last is None:
        return True
    assert held.expires_on is not None  # an expiring certification has an expiry
    days_then = (held.expires_on - last[0]).days
    window_then = next((window for window in EXPIRY_WINDOWS if days_then <= window), None)
    return window_then is None or expiry_window(held, today) < window_then


def _requirement_changes(
    plans, last_sent: dict[int, tuple[date, datetime]], now: datetime
) -> dict[int, list[tuple[Role, list[RequirementChange]]]]:
    """Per plan, what changed in its target and current roles' requirements since the plan last
    changed, their last digest left, or REQUIREMENT_CHANGES_DAYS ago, whichever is latest (the plan
    page's notice, CareerPlan.requirement_changes, told once in the digest): each (role, skill)
    with its level before and after, when they differ. One query for every plan."""
    plans = list(plans)
    floor = now - timedelta(days=REQUIREMENT_CHANGES_DAYS)
    roles_of = {
        plan.pk: [plan.target_role]
        + ([plan.current_role] if plan.current_role_id != plan.target_role_id else [])
        for plan in plans
    }
    role_ids = {role.pk for roles in roles_of.values() for role in roles}
    changes = requirement_changes(role_ids, since=floor) if role_ids else []
    result = {}
    for plan in plans:
        last = last_sent.get(plan.owner_id)
        since = max(plan.updated_at, floor, *([last[1]] if last and last[1] else []))
        by_role = []
        for role in roles_of[plan.pk]:
            net: dict[int, RequirementChange] = {}
            for change in changes:  # oldest first
                if change.role_id != role.pk or change.at is None or change.at <= since:
                    continue
                first = net.get(change.skill_id)
                net[change.skill_id] = RequirementChange(
                    role.pk,
                    change.skill_id,
                    change.skill_name,
                    first.before if first else change.before,
                    change.after,
                    at=change.at,
                )
            told = sorted((c for c in net.values() if c.before != c.after), key=lambda c: c.skill_name)
            if told:
                by_role.append((role, told))
        if by_role:
            result[plan.pk] = by_role
    return result


def expiry_window(held: PlanCertification, today: date) -> int:
    """The smallest of EXPIRY_WINDOWS the expiry falls in (7, 30 or 60 days)."""
    assert held.expires_on is not None  # an expiring certification has an expiry
    days = (held.expires_on - today).days
    return next(window for window in EXPIRY_WINDOWS if days <= window)


def _recommended_certifications(
    plans: list[CareerPlan], records: list[PlanCertification], today: date
) -> list[tuple[CareerPlan, list[tuple[Certification, PlanCertification | None]]]]:
    """Per plan, what its target role recommends that the plan does not have: neither planned, in
    progress nor earned and current. One it earned that has lapsed is recommended again, as a
    renewal, with that record. ``records``: every certification on the plans."""
    on_plan = {(pc.plan_id, pc.certification_id): pc for pc in records}
    result = []
    for plan in plans:
        offered = []
        role: Any = plan.target_role  # with _active_plans' Prefetch(to_attr="recommended")
        for certification in role.recommended:
            record = on_plan.get((plan.pk, certification.pk))
            if record is None or record.effective_status(today).is_expired:
                offered.append((certification, record))
        if offered:
            result.append((plan, offered))
    return result


def _latest(model, date_field: str, plan_path: str) -> Subquery:
    rows = model.objects.filter(**{plan_path: OuterRef("pk")}).order_by(f"-{date_field}")
    return Subquery(rows.values(date_field)[:1])


def _stalled_plans(plans: list[CareerPlan], today: date) -> list[tuple[CareerPlan, str, str]]:
    """Plans with no check-in, assessment or activity for REMINDER_STALLED_DAYS: one next step each.
    ``plans`` carry _active_plans' annotations."""
    since = today - timedelta(days=settings.REMINDER_STALLED_DAYS)
    stalled = []
    for plan in plans:
        quiet: Any = plan  # with _active_plans' annotations
        dates = [
            quiet.last_check_in,
            quiet.last_activity,
            quiet.last_assessment and quiet.last_assessment.date(),
        ]
        if plan.created_at.date() > since or any(d and d > since for d in dates):
            continue
        stalled.append((plan, *_next_step(plan)))
    return stalled


def _next_step(plan: CareerPlan) -> tuple[str, str]:
    """(what to do, link) for a plan that has gone quiet: assess, then set goals, then check in."""
    quiet: Any = plan  # with _active_plans' annotations
    if quiet.last_assessment is None:
        step, path = (
            "Assess your skills to see the gap to your target role.",
            reverse("plans:assess", args=[plan.pk]),
        )
    elif not quiet.has_goals:
        step, path = "Draft next steps from your gap.", reverse("goals:draft", args=[plan.pk])
    else:
        step, path = "Record a check-in on one of your goals.", plan.get_absolute_url() + "#goals"
    return step, settings.SITE_URL + path
