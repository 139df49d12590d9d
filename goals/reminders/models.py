"""When a person's reminders go out, and the digests the sweep wrote for them."""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from base.models import SendQuerySet
from goals.models import Goal
from goals.reminders.schedule import (
    EARLIEST_HOUR,
    LATEST_HOUR,
    local_time,
    next_reminder_slot,
    time_zone_names,
)
from skills.models import DATE_BOUNDS


def validate_timezone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            "“%(value)s” is not a time zone we know: pick one from the list.", params={"value": value}
        )


# What the settings form and an import say of an hour outside the day.
HOUR_AT_NIGHT = (
    f"Pick a time between {EARLIEST_HOUR:02d}:00 and {LATEST_HOUR:02d}:00: we never send reminders at night."
)


class ReminderSettings(models.Model):
    """When one person's reminders go out: their time zone, weekday and local hour; paused or unsubscribed."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(EARLIEST_HOUR, LATEST_HOUR + 1)]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    timezone = models.CharField(
        "time zone",
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="e.g. Europe/Berlin.",
    )
    hour = models.PositiveSmallIntegerField(
        choices=HOUR_CHOICES,
        default=9,
        help_text="In your time zone.",
        error_messages={"invalid_choice": HOUR_AT_NIGHT},
    )
    weekday = models.PositiveSmallIntegerField("day", choices=Weekday.choices, default=Weekday.MONDAY)
    default_cadence = models.CharField(
        max_length=12,
        choices=Goal.Cadence.choices,
        default=Goal.Cadence.WEEKLY,
        help_text="How often a new goal reminds you; each goal can change it.",
    )
    paused_until = models.DateField(
        validators=DATE_BOUNDS, null=True, blank=True, help_text="No reminders before this date."
    )
    # Opted in: their digest also says which of the people they mentor are behind or gone quiet
    # (goals.reminders.mentees), and they get one even without a plan of their own.
    mentor_digest = models.BooleanField(
        "about the people I mentor",
        default=False,
        db_default=False,
        help_text="Add who is behind and who has gone quiet among the people sharing a plan with you.",
    )
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # The last time they turned reminders back on: unsubscribe links signed before it are over.
    resubscribed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(hour__gte=EARLIEST_HOUR, hour__lte=LATEST_HOUR),
                name="reminder_hour_daytime",
                violation_error_message=HOUR_AT_NIGHT,
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="reminder_weekday_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder settings of {self.user}"

    @classmethod
    def for_user(cls, user) -> "ReminderSettings":
        """Their saved settings, or the defaults unsaved: reading never writes a row."""
        try:
            return user.reminder_settings
        except cls.DoesNotExist:
            return cls(user=user)

    @property
    def receives_reminders(self) -> bool:
        """False once they unsubscribed; a pause only moves the next reminder."""
        return self.unsubscribed_at is None

    def unsubscribe_link_ended(self, signed_at: datetime) -> bool:
        """Whether an unsubscribe link signed at ``signed_at`` ended because they resubscribed
        since. Links carry whole seconds; no digest is signed while they are unsubscribed, so a
        link of the very second they resubscribed is one sent after it."""
        if self.resubscribed_at is None:
            return False
        return signed_at < self.resubscribed_at.replace(microsecond=0)

    def local_today(self) -> date:
        return local_time(timezone.now(), self.timezone).date()

    def is_paused(self, today: date | None = None) -> bool:
        """Paused on ``today`` (their local date): reminders resume on paused_until."""
        today = today or self.local_today()
        return self.paused_until is not None and today < self.paused_until

    @property
    def nudge_days(self) -> int | None:
        """Days between their nudges (ReminderNudge): their default cadence, the one new goals start
        with; None when they chose no reminders there, or unsubscribed."""
        return Goal.CADENCE_DAYS.get(self.default_cadence) if self.receives_reminders else None

    def first_nudge(self, now: datetime) -> datetime | None:
        """Their first slot after ``now`` (ReminderNudge.next_at), None without nudges."""
        return None if self.nudge_days is None else self.slot(after=now, interval_days=0)

    def slot(self, *, after: datetime, interval_days: int) -> datetime:
        """Their reminder slot for this window; the rule is goals.schedule.next_reminder_slot's."""
        return next_reminder_slot(
            after=after,
            interval_days=interval_days,
            tz=self.timezone,
            hour=self.hour,
            weekday=self.weekday,
            not_before=self.paused_until,
        )


class ReminderNudge(models.Model):
    """When a person next gets a digest whether or not a goal of theirs is due: at their slot,
    every default-cadence interval, the sweep claims it as it claims goals and writes their
    delivery; the digest then says what their plans need, or is skipped when nothing.

    One row per person who made a plan (goals.reminders.signals; migration 0016 for plans made
    before): the sweep finds everyone by one index range scan, settings saved or not.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_nudge"
    )
    next_at = models.DateTimeField(null=True, blank=True, help_text="UTC; none without nudges.")

    class Meta:
        indexes = [
            models.Index(fields=["next_at"], name="nudge_due_idx", condition=Q(next_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"Next nudge of {self.user}"

    @staticmethod
    def start(user) -> None:
        """Their row, at their first slot, unless they have one (one INSERT … ON CONFLICT DO NOTHING)."""
        first = ReminderSettings.for_user(user).first_nudge(timezone.now())
        ReminderNudge.objects.bulk_create([ReminderNudge(user=user, next_at=first)], ignore_conflicts=True)

    @staticmethod
    def reschedule(prefs: ReminderSettings, now: datetime) -> None:
        """Their settings changed: the next nudge is the first slot of the new ones."""
        ReminderNudge.objects.filter(user_id=prefs.user_id).update(next_at=prefs.first_nudge(now))


class ReminderDelivery(models.Model):
    """One reminder digest for one person and period: written by the sweep, sent by a worker.

    The unique (user, period) constraint makes a second sweep, or a second beat, a no-op; the
    status guards the send (base.models.SendQuerySet: pending → sending → sent), so a
    redelivered task never sends a digest twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_deliveries"
    )
    period = models.DateField(help_text="The person's local date of the reminder.")
    goal_ids = models.JSONField(default=list, help_text="The goals due for a check-in.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    subject = models.CharField(max_length=300, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = SendQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "reminder deliveries"
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="reminderdelivery_one_per_period"),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="delivery_unsent_idx",
                condition=Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.user} on {self.period}"
