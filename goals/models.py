"""SMART goals with milestones and measured progress, and what reminders need to know.

goals may use plans and skills; neither of them imports goals.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from goals.progress.status import ON_TRACK_TOLERANCE, TrackStatus
from plans.models import CareerPlan, PlanCertification, SkillAssessment
from plans.sharing.models import Share
from skills.models import (
    DATE_BOUNDS,
    TOP_PROFICIENCY,
    Certification,
    GoalTemplate,
    Horizon,
    Proficiency,
    Role,
    Skill,
    add_days,
)

# What a goal measures, read from its unit (compared case-insensitively) and what it is tied to:
# see Goal.measures_skill_level, Goal.measures_certification, Goal.measures_percent.
LEVEL_UNIT = "level"
CERTIFICATION_UNIT = "certification"
PERCENT_UNITS = frozenset({"%", "percent", "per cent", "percentage"})


class GoalQuerySet(models.QuerySet["Goal"]):
    def for_owner(self, user) -> "GoalQuerySet":
        return self.filter(plan__owner=user)

    def visible_to(self, user) -> "GoalQuerySet":
        """Goals on plans the user may read (CareerPlanQuerySet.visible_to's rule)."""
        if not user.is_authenticated:
            return self.none()
        shared = Share.objects.filter(user=user).values("plan_id")
        return self.filter(Q(plan__owner=user) | Q(plan_id__in=shared))

    def active(self) -> "GoalQuerySet":
        """Active goals on active (not archived) plans: the ones a person is working on."""
        return self.filter(status=Goal.Status.ACTIVE, plan__status=CareerPlan.Status.ACTIVE)

    def deadline_within(self, *, days: int, today: date) -> "GoalQuerySet":
        """Goals due within `days` of today, including those whose deadline has already passed."""
        return self.filter(deadline__lte=today + timedelta(days=days))

    def with_latest_check_in(self) -> "GoalQuerySet":
        """Each goal's latest check-in read by subqueries instead of loading every check-in:
        Goal.latest_check_in() builds it from these three columns."""
        latest = CheckIn.objects.filter(goal=OuterRef("pk")).order_by("-checked_on", "-pk")
        return self.annotate(
            latest_check_in_pk=Subquery(latest.values("pk")[:1]),
            latest_check_in_value=Subquery(latest.values("value")[:1]),
            latest_check_in_on=Subquery(latest.values("checked_on")[:1]),
        )

    def due_for_check_in(self, today: date) -> "GoalQuerySet":
        """Goals with no check-in within their cadence (counted from the start before the first one).

        The dashboard's rule, independent of next_reminder_at, which the reminder sweep moves on.
        """
        latest = CheckIn.objects.filter(goal=OuterRef("pk")).order_by("-checked_on").values("checked_on")[:1]
        overdue = Q()
        for cadence, days in Goal.CADENCE_DAYS.items():
            overdue |= Q(reminder_cadence=cadence, last_progress_on__lte=today - timedelta(days=days))
        return self.annotate(last_progress_on=Coalesce(Subquery(latest), "start_date")).filter(overdue)

    def due_for_reminder(self, now: datetime) -> "GoalQuerySet":
        """Active goals whose reminder time has passed: an index range scan on next_reminder_at."""
        return self.filter(status=Goal.Status.ACTIVE, next_reminder_at__lte=now)


# The goal's rules across two fields, in the words the form and an import both show.
DEADLINE_AFTER_START = "The deadline has to be after the start date."
TARGET_NOT_BASELINE = "The target is the same as the baseline: set where you want to be, above or below it."


class Goal(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        PAUSED = "paused", "Paused"
        ABANDONED = "abandoned", "Abandoned"

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", "Every week"
        FORTNIGHTLY = "fortnightly", "Every two weeks"
        MONTHLY = "monthly", "Every month"
        NEVER = "never", "No reminders"

    CADENCE_DAYS: dict[str, int] = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14, Cadence.MONTHLY: 30}

    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="goals")
    # Specific
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Measurable
    metric = models.CharField(max_length=120, help_text="What you will count or measure.")
    unit = models.CharField(max_length=40, help_text="e.g. courses, %, interviews, level.")
    baseline = models.DecimalField(max_digits=12, decimal_places=2, help_text="Where you are today.")
    target = models.DecimalField(max_digits=12, decimal_places=2, help_text="Where you want to be.")
    # Achievable
    plan_of_attack = models.TextField("how you will do it", blank=True)
    # The explicit "I'll work out how later" a goal without a plan of attack needs (GoalForm); a
    # default in the database too, for rows written in SQL (bench/reminders.py).
    attack_later = models.BooleanField("I'll work out how later", default=False, db_default=False)
    effort = models.CharField(max_length=120, blank=True, help_text="e.g. 3 hours a week.")
    # Relevant
    skill = models.ForeignKey(Skill, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    certification = models.ForeignKey(
        Certification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.ForeignKey(Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    relevance = models.TextField("why it matters", blank=True)
    # Time-bound
    start_date = models.DateField(validators=DATE_BOUNDS, default=timezone.localdate)
    deadline = models.DateField(validators=DATE_BOUNDS)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    reminder_cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.WEEKLY)
    next_reminder_at = models.DateTimeField(null=True, blank=True, help_text="UTC.")
    template = models.ForeignKey(
        GoalTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(
        default=timezone.now, editable=False
    )  # an import sets the exported time
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = GoalQuerySet.as_manager()
    # Set on the goals a row or the goal page shows (goals.sections: with_next_milestones and
    # goal_with_history): the first milestone not done, and the open ones they were read from.
    next_milestone: "Milestone | None"
    open_milestones: list["Milestone"]

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            # The reminder sweep's range scan touches only goals that can be due.
            models.Index(
                fields=["next_reminder_at"], name="goal_due_reminder_idx", condition=Q(status="active")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("start_date")),
                name="goal_deadline_after_start",
                violation_error_message=DEADLINE_AFTER_START,
            ),
            models.CheckConstraint(
                condition=~Q(target=models.F("baseline")),
                name="goal_target_not_baseline",
                violation_error_message=TARGET_NOT_BASELINE,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:detail", args=[self.pk])

    @property
    def horizon(self) -> str:
        return Horizon.between(self.start_date, self.deadline)

    def is_owned_by(self, user) -> bool:
        return self.plan.is_owned_by(user)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def needs_plan_of_attack(self) -> bool:
        """No plan of attack written yet: left to work out later (attack_later), which the SMART
        advice and the digest follow up until one is written."""
        return not self.plan_of_attack.strip()

    def next_check_in_on(self) -> date | None:
        """When a check-in falls due: one cadence interval after the latest (or after the start).

        The same rule as GoalQuerySet.due_for_check_in, for goals already in memory.
        """
        days = self.CADENCE_DAYS.get(self.reminder_cadence)
        if days is None or not self.is_active:
            return None
        latest = self.latest_check_in()
        return add_days(latest.checked_on if latest else self.start_date, days)

    # --- What the goal measures: one truth per fact (docs/decisions.md, Goals) ---

    def _unit_is(self, *units: str) -> bool:
        return self.unit.strip().lower() in units

    @property
    def measures_skill_level(self) -> bool:
        """A self-assessed skill level: tied to a skill, unit "level". Its value is the plan's latest
        self-assessment of that skill, and a check-in on it records one."""
        return self.skill_id is not None and self._unit_is(LEVEL_UNIT)

    @property
    def measures_certification(self) -> bool:
        """Whether a certification is earned: tied to a certification, unit "certification". Its value
        is the plan's record of it (the target while earned and not expired, else the baseline)."""
        return self.certification_id is not None and self._unit_is(CERTIFICATION_UNIT)

    @property
    def measures_percent(self) -> bool:
        return self._unit_is(*PERCENT_UNITS)

    def value_range(self) -> tuple[Decimal | None, Decimal | None]:
        """The lowest and highest value a check-in may take (None: unbounded): a level 1–5, a
        certification its baseline or target, a percentage 0–100; never below 0 when the baseline
        and the target are both 0 or more."""
        if self.measures_skill_level:
            return Decimal(Proficiency.AWARENESS), Decimal(TOP_PROFICIENCY)
        if self.measures_certification:
            return min(self.baseline, self.target), max(self.baseline, self.target)
        if self.measures_percent:
            return Decimal(0), Decimal(100)
        return (Decimal(0) if self.baseline >= 0 and self.target >= 0 else None), None

    def latest_self_assessment(self) -> SkillAssessment | None:
        """The plan's latest self-assessment of the goal's skill (reads the plan's prefetched list)."""
        if self.skill_id is None:
            return None
        return self.plan.latest_assessments().get(self.skill_id)

    def certification_record(self) -> PlanCertification | None:
        """The plan's record of the goal's certification (reads the plan's prefetched list)."""
        records = self.plan.certifications.all()
        return next((pc for pc in records if pc.certification_id == self.certification_id), None)

    def certification_earned(self, today: date | None = None) -> bool:
        """Whether the plan holds the goal's certification today: earned and not expired."""
        record = self.certification_record()
        earned = PlanCertification.EffectiveStatus.EARNED
        return record is not None and record.effective_status(today) == earned

    def latest_check_in(self) -> "CheckIn | None":
        """From prefetched check-ins, else from GoalQuerySet.with_latest_check_in's columns, else a query."""
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        if "check_ins" not in prefetched and hasattr(self, "latest_check_in_pk"):
            if self.latest_check_in_pk is None:
                return None
            columns: Any = self  # with_latest_check_in's annotations, which the model does not declare
            return CheckIn(
                pk=self.latest_check_in_pk,
                goal=self,
                value=columns.latest_check_in_value,
                checked_on=columns.latest_check_in_on,
            )
        check_ins = sorted(self.check_ins.all(), key=lambda c: (c.checked_on, c.pk))
        return check_ins[-1] if check_ins else None

    def current_value(self) -> Decimal:
        """The latest measurement, the baseline until there is one. A skill-level goal reads the
        skill's self-assessment and a certification goal the plan's certification, so the goal and
        the plan never disagree; any other goal reads its latest check-in."""
        if self.measures_skill_level:
            assessment = self.latest_self_assessment()
            return Decimal(assessment.level) if assessment else self.baseline
        if self.measures_certification:
            return self.target if self.certification_earned() else self.baseline
        latest = self.latest_check_in()
        return latest.value if latest else self.baseline

    def measurements(self) -> list[tuple[date, Decimal]]:
        """What the progress chart plots, oldest first: for a skill-level goal the skill's
        self-assessments since the start (its check-ins are among them), else the check-ins."""
        if not self.measures_skill_level:
            return [(c.checked_on, c.value) for c in self.check_ins.all()]
        rows = sorted(self.plan.assessments.all(), key=lambda a: (a.assessed_at, a.pk))
        days = ((timezone.localtime(a.assessed_at).date(), a) for a in rows if a.skill_id == self.skill_id)
        return [(day, Decimal(a.level)) for day, a in days if day >= self.start_date]

    def progress(self, value: Decimal | None = None) -> float:
        """(latest − baseline) / (target − baseline): works for falling metrics too. Unclamped."""
        value = self.current_value() if value is None else value
        return float((value - self.baseline) / (self.target - self.baseline))

    def progress_percent(self, progress: float | None = None) -> int:
        """Progress clamped to 0–100 for display; ``progress``: self.progress(), when known."""
        progress = self.progress() if progress is None else progress
        return round(100 * min(max(progress, 0.0), 1.0))

    def expected_progress(self, today: date | None = None) -> float:
        """Where a straight line from start to deadline says progress should be today."""
        today = today or timezone.localdate()
        total = (self.deadline - self.start_date).days
        elapsed = (today - self.start_date).days
        return min(max(elapsed / total, 0.0), 1.0) if total > 0 else 1.0

    def target_reached(self) -> bool:
        return self.progress() >= 1.0

    def track_status(self, today: date | None = None, *, progress: float | None = None) -> TrackStatus:
        """On track / at risk / behind against linear expected progress; done when reached.
        ``progress``: self.progress(), when known."""
        progress = self.progress() if progress is None else progress
        if progress >= 1.0:  # target_reached
            return TrackStatus.DONE
        shortfall = self.expected_progress(today) - progress
        if shortfall <= ON_TRACK_TOLERANCE:
            return TrackStatus.ON_TRACK
        if shortfall <= 2 * ON_TRACK_TOLERANCE:
            return TrackStatus.AT_RISK
        return TrackStatus.BEHIND

    def get_track_status_display(self) -> str:
        return self.track_status().label

    def schedule_next_reminder(
        self,
        now: datetime | None = None,
        *,
        reminder_settings: "ReminderSettings | None" = None,
        keep_due: bool = False,
    ) -> None:
        """Set next_reminder_at (UTC) to the owner's next reminder slot; None when the goal can't be reminded.

        The slot is the last one on their weekday and local hour within one cadence interval from
        now (goals.reminders.schedule.next_reminder_slot), so a check-in pushes the next nudge about a full
        interval away; while they are paused, the first slot once the pause ends. None when the
        goal is not active, its cadence is "never", or the owner unsubscribed.

        ``keep_due`` (their reminder settings changed): the new slot, but no later than the time
        already due, so changing the hour never postpones a monthly nudge by a month.
        ``reminder_settings`` spares the owner's lookup. Does not save: callers save with the rest
        of their change.
        """
        now = now or timezone.now()
        days = self.CADENCE_DAYS.get(self.reminder_cadence)
        if self.status != self.Status.ACTIVE or days is None:
            self.next_reminder_at = None
            return
        prefs = reminder_settings or ReminderSettings.for_user(self.plan.owner)
        if not prefs.receives_reminders:
            self.next_reminder_at = None
            return
        end = now + timedelta(days=days)
        if keep_due and self.next_reminder_at is not None and now < self.next_reminder_at < end:
            end = self.next_reminder_at
        slot = prefs.slot(after=end - timedelta(days=days), interval_days=days)
        if slot <= now:  # none of their slots falls between now and the time already due
            slot = prefs.slot(after=now, interval_days=0)
        self.next_reminder_at = slot


def prefetch_measured_facts(goals: list[Goal]) -> list[Goal]:
    """Load what skill-level and certification goals read, their plans' self-assessments and
    certifications: one query each, only when such a goal is in the list, none for plans that
    already hold them (the plan page prefetches both)."""
    prefetch_related_objects([g for g in goals if g.measures_skill_level], "plan__assessments")
    prefetch_related_objects([g for g in goals if g.measures_certification], "plan__certifications")
    return goals


class GoalComment(models.Model):
    """One comment in a goal's thread (the plan's own thread is plans.Comment). The owner and the
    mentors the plan is shared with write them; the other side is emailed (goals.services)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    # Null once the author deleted their account: the comment stays in the thread, by "a former
    # member" (accounts.names.display_name).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(
        default=timezone.now, editable=False
    )  # an import sets the exported time

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["goal", "created_at"])]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.goal}"


# The feature folders' models belong to this app: Django registers an app's models from this
# module, so it imports them (each is defined, and documented, in its folder).
from goals.calendar.models import CalendarFeed  # noqa: E402, F401
from goals.oneonones.models import ActionItem, OneOnOne, OneOnOneNote, TalkingPoint  # noqa: E402, F401
from goals.portability.models import PendingImport  # noqa: E402, F401
from goals.progress.models import CheckIn, Milestone  # noqa: E402, F401
from goals.reminders.models import ReminderDelivery, ReminderSettings  # noqa: E402, F401
