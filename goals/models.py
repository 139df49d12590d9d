"""SMART goals with milestones and measured progress, and what reminders need to know.

goals may use plans and skills; neither of them imports goals.
"""

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from plans.models import CareerPlan, add_months
from skills.models import Certification, GoalTemplate, Horizon, Role, Skill

# Progress within this many points of the ideal line is "on track"; within twice, "at risk".
ON_TRACK_TOLERANCE = 0.10


class GoalQuerySet(models.QuerySet):
    def for_owner(self, user) -> "GoalQuerySet":
        return self.filter(plan__owner=user)

    def visible_to(self, user) -> "GoalQuerySet":
        return self.filter(plan__in=CareerPlan.objects.visible_to(user))

    def due_for_reminder(self, now: datetime) -> "GoalQuerySet":
        """Active goals whose reminder time has passed: an index range scan on next_reminder_at."""
        return self.filter(status=Goal.Status.ACTIVE, next_reminder_at__lte=now)


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

    CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14, Cadence.MONTHLY: 30}

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
    effort = models.CharField(max_length=120, blank=True, help_text="e.g. 3 hours a week.")
    # Relevant
    skill = models.ForeignKey(Skill, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    certification = models.ForeignKey(
        Certification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.ForeignKey(Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    relevance = models.TextField("why it matters", blank=True)
    # Time-bound
    start_date = models.DateField(default=timezone.localdate)
    deadline = models.DateField()

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    reminder_cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.WEEKLY)
    next_reminder_at = models.DateTimeField(null=True, blank=True, help_text="UTC.")
    template = models.ForeignKey(
        GoalTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = GoalQuerySet.as_manager()

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
                condition=Q(deadline__gt=models.F("start_date")), name="goal_deadline_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(target=models.F("baseline")), name="goal_target_not_baseline"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:detail", args=[self.pk])

    @property
    def horizon(self) -> str:
        """Short-term when the deadline is at most 12 months after the start."""
        return Horizon.SHORT if self.deadline <= add_months(self.start_date, 12) else Horizon.LONG

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def latest_check_in(self) -> "CheckIn | None":
        check_ins = sorted(self.check_ins.all(), key=lambda c: (c.checked_on, c.pk))
        return check_ins[-1] if check_ins else None

    def current_value(self) -> Decimal:
        latest = self.latest_check_in()
        return latest.value if latest else self.baseline

    def progress(self, value: Decimal | None = None) -> float:
        """(latest − baseline) / (target − baseline): works for falling metrics too. Unclamped."""
        value = self.current_value() if value is None else value
        return float((value - self.baseline) / (self.target - self.baseline))

    def progress_percent(self) -> int:
        """Progress clamped to 0–100 for display."""
        return round(100 * min(max(self.progress(), 0.0), 1.0))

    def expected_progress(self, today: date | None = None) -> float:
        """Where a straight line from start to deadline says progress should be today."""
        today = today or timezone.localdate()
        total = (self.deadline - self.start_date).days
        elapsed = (today - self.start_date).days
        return min(max(elapsed / total, 0.0), 1.0) if total > 0 else 1.0

    def target_reached(self) -> bool:
        return self.progress() >= 1.0

    def track_status(self, today: date | None = None) -> str:
        """on_track / at_risk / behind against linear expected progress; done when reached."""
        if self.target_reached():
            return "done"
        shortfall = self.expected_progress(today) - self.progress()
        if shortfall <= ON_TRACK_TOLERANCE:
            return "on_track"
        if shortfall <= 2 * ON_TRACK_TOLERANCE:
            return "at_risk"
        return "behind"

    def get_track_status_display(self) -> str:
        return {"done": "Target reached", "on_track": "On track", "at_risk": "At risk", "behind": "Behind"}[
            self.track_status()
        ]

    def schedule_next_reminder(self, now: datetime | None = None) -> None:
        """Set next_reminder_at (UTC) from the cadence; None when the goal can't be reminded.

        Counted from now, so a check-in pushes the next nudge a full interval away.
        Does not save: callers save with the rest of their change.
        """
        now = now or timezone.now()
        days = self.CADENCE_DAYS.get(self.reminder_cadence)
        if self.status != self.Status.ACTIVE or days is None:
            self.next_reminder_at = None
        else:
            self.next_reminder_at = now + timedelta(days=days)


class Milestone(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class CheckIn(models.Model):
    """One measurement of a goal's metric: the progress history."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    checked_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checked_on", "pk"]
        indexes = [models.Index(fields=["goal", "checked_on"])]

    def __str__(self) -> str:
        return f"{self.goal}: {self.value} on {self.checked_on}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private iCalendar feed; regenerating the token cuts off old subscriptions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("goals:calendar_feed", args=[self.token])

    def regenerate(self) -> None:
        self.token = new_feed_token()
        self.save(update_fields=["token"])
