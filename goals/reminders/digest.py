"""What one reminder digest says: everything a person's plans need from them this period.

Built when the digest is sent (so it is current), from the goals the sweep found due and the
person's own active plans. Never one email per goal. It goes out when it has something to say
(Digest.reasons: a goal due, behind or near its deadline, a plan gone quiet, a certification
entering an expiry window, a change to a role's requirements; for a mentor who opted in, people
they mentor behind or gone quiet: goals.reminders.mentees), and is skipped otherwise; the rest
(recommended certifications, goals whose plan of attack was left for later) rides along.

A worker builds the digests of a whole set of deliveries at once (build_digests): a fixed number
of queries for the set, whatever its size, each person's sections then picked out in memory with
their own local date. Digest.render renders one with the email layer's templates.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.names import display_name
from base import emails
from base.emails import Rendered
from base.words import counted
from goals.models import Goal, Milestone, ReminderSettings, prefetch_measured_facts
from goals.oneonones.models import OneOnOne
from goals.progress.status import TrackStatus
from goals.reminders import plan_facts
from goals.reminders.mentees import MenteeLine, mentees_of
from goals.reminders.schedule import local_time
from goals.reminders.tokens import check_in_link, unsubscribe_url
from plans.models import CareerPlan, PlanCertification
from skills.history import RequirementChange
from skills.models import Certification, Role

# Deadlines and milestones this close are in the digest; certification expiries in these windows.
DEADLINE_AHEAD_DAYS = 7
# Goals in these statuses are "behind or at risk" (goals.standing.SLIPPING, the dashboard's rule).
SLIPPING = (TrackStatus.BEHIND, TrackStatus.AT_RISK)
# The digest names this many of them, nearest deadline first; the dashboard lists the rest.
SLIPPING_SHOWN = 5
# 1:1s starting within this many days are in the digest of both people (goals.oneonones).
ONE_ON_ONE_AHEAD_DAYS = 14


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
    # 1:1s the person takes part in (their plan's, or as the mentor of a live share), soonest first.
    one_on_ones: list[OneOnOne] = field(default_factory=list)
    # Opted in as a mentor (ReminderSettings.mentor_digest): a line per plan shared with them.
    mentees: list[MenteeLine] = field(default_factory=list)

    @property
    def only_mentees(self) -> bool:
        """Nothing of their own plans to say, only their people (and 1:1s): the email opens so."""
        own = (self.due, self.overdue, self.deadlines, self.milestones, self.slipping, self.expiring)
        more = (self.recommended, self.stalled, self.changes, self.later)
        return bool(self.mentees) and not any((*own, *more))

    @property
    def mentees_behind(self) -> list[MenteeLine]:
        return [line for line in self.mentees if line.behind or line.at_risk]

    @property
    def mentees_quiet(self) -> list[MenteeLine]:
        return [line for line in self.mentees if line.quiet]

    def reasons(self) -> list[str]:
        """Why this digest goes out, each in a few words ("two goals due for a check-in"); none when
        it has nothing to say and is not sent."""
        parts: list[tuple[list[Any], str, str]] = [
            (self.due, "goal due for a check-in", "goals due for a check-in"),
            (self.overdue, "goal past its deadline", "goals past their deadline"),
            (self.deadlines, "deadline this week", "deadlines this week"),
            (self.milestones, "milestone due", "milestones due"),
            (self.slipping, "goal behind or at risk", "goals behind or at risk"),
            (self.one_on_ones, "1:1 coming up", "1:1s coming up"),
            (
                self.mentees_behind,
                "person you mentor with goals behind or at risk",
                "people you mentor with goals behind or at risk",
            ),
            (self.mentees_quiet, "person you mentor gone quiet", "people you mentor gone quiet"),
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
        own = self.milestones or self.stalled or self.changes or self.expiry_news
        if (self.mentees_behind or self.mentees_quiet) and not own:
            return "The people you mentor"
        if self.one_on_ones and not own:
            return "A 1:1 coming up"
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
                (goal, settings.SITE_URL + reverse("goals:edit", args=[goal.pk]) + "#id_plan_of_attack")
                for goal in self.later
            ],
            "changes": [
                (plan, roles, settings.SITE_URL + reverse("plans:assess", args=[plan.pk]))
                for plan, roles in self.changes
            ],
            "expiring": [(held, plan_facts.expiry_window(held, self.today)) for held in self.expiring],
            "one_on_ones": [
                (one, one.other_side_name(self.user), settings.SITE_URL + one.get_absolute_url())
                for one in self.one_on_ones
            ],
            "unsubscribe_url": unsubscribe_url(self.user),
            "settings_url": settings.SITE_URL + reverse("goals:reminder_settings"),
            "dashboard_url": settings.SITE_URL + reverse("home"),
        }

    def render(self, *, now: datetime) -> tuple[Rendered, str]:
        """The email (the email layer's render() of templates/emails/reminder_digest.*) and the
        unsubscribe URL it carries."""
        context = {**self.context(now=now), "subject": self.subject()}
        return emails.render("reminder_digest", context), context["unsubscribe_url"]


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
    for plan in plan_facts.active_plans(owners):
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

    last_sent = plan_facts.last_digests(owners)
    one_on_ones_of = _one_on_ones_of(owners, now)
    changes_of = plan_facts.requirement_changes_since(plan_by_pk.values(), last_sent, now)
    mentors = [pk for pk in owners if prefs[pk].mentor_digest]
    mentees = mentees_of(mentors, todays=todays)

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
        within = today + timedelta(days=max(plan_facts.EXPIRY_WINDOWS))
        # PlanCertificationQuerySet.expiring's rule: still valid today, expiring within the window.
        digest.expiring = [pc for pc in earned if pc.expires_on and today < pc.expires_on <= within]
        last = last_sent.get(user.pk)
        digest.expiry_news = [pc for pc in digest.expiring if plan_facts.entered_window(pc, today, last)]
        digest.changes = [
            (plan, changes_of[plan.pk]) for plan in plans_of[user.pk] if changes_of.get(plan.pk)
        ]
        digest.recommended = plan_facts.recommended_certifications(plans, records, today)
        digest.stalled = plan_facts.stalled_plans(plans, today)
        digest.one_on_ones = one_on_ones_of[user.pk]
        digest.mentees = mentees.get(user.pk, [])
        digests.append(digest)
    return digests


def _one_on_ones_of(people: list[int], now: datetime) -> dict[int, list[OneOnOne]]:
    """The 1:1s starting within ONE_ON_ONE_AHEAD_DAYS that each person takes part in (one query)."""
    found: dict[int, list[OneOnOne]] = defaultdict(list)
    upcoming = (
        OneOnOne.objects.of_person(people)
        .between(now, now + timedelta(days=ONE_ON_ONE_AHEAD_DAYS))
        .select_related("plan__owner", "share__user")
        .order_by("starts_at", "pk")
    )
    for one in upcoming:
        mentor_id = one.mentor.pk if one.mentor else None
        for person in {one.plan.owner_id, mentor_id} & set(people):
            if person is not None:
                found[person].append(one)
    return found


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
