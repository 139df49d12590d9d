"""A person's career plans: where they are, where they want to go, and the gap between.

Plans read the curated framework in ``skills``; nothing in ``skills`` knows about plans.
"""

import calendar
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plans.paths import find_paths
from skills.models import PROFICIENCY_RANGE, Certification, Proficiency, Role, RoleSkill, Skill


class CareerPlanQuerySet(models.QuerySet):
    def owned_by(self, user) -> "CareerPlanQuerySet":
        return self.filter(owner=user)

    def visible_to(self, user) -> "CareerPlanQuerySet":
        """Plans the user owns, and plans shared with them (a mentor or manager)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(owner=user) | Q(shares__user=user)).distinct()

    def active(self) -> "CareerPlanQuerySet":
        return self.filter(status=CareerPlan.Status.ACTIVE)

    def with_gap_data(self) -> "CareerPlanQuerySet":
        """Everything skill_gaps() and readiness() read, in a fixed number of queries."""
        return self.select_related("current_role__track", "target_role__track").prefetch_related(
            models.Prefetch("target_role__requirements", queryset=RoleSkill.objects.select_related("skill")),
            models.Prefetch("assessments", queryset=SkillAssessment.objects.order_by("assessed_at", "pk")),
        )


class CareerPlan(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_plans")
    title = models.CharField(max_length=200)
    current_role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    target_role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    target_date = models.DateField(null=True, blank=True)
    vision = models.TextField("vision", blank=True, help_text="Where you want to be, and why.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    is_primary = models.BooleanField("primary plan", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])
    objects = CareerPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_primary=True), name="careerplan_one_primary_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    def latest_assessments(self) -> dict[int, "SkillAssessment"]:
        """The most recent self-assessment per skill id (reads the prefetched list when there is one)."""
        latest: dict[int, SkillAssessment] = {}
        for assessment in sorted(self.assessments.all(), key=lambda a: (a.assessed_at, a.pk)):
            latest[assessment.skill_id] = assessment
        return latest

    def skill_gaps(self, role: Role | None = None) -> list["SkillGap"]:
        """Required vs assessed proficiency for each skill the role requires, largest gap first.

        Skills not yet assessed come last, with ``current=None`` (unknown, not zero).
        """
        role = role or self.target_role
        latest = self.latest_assessments()
        gaps = [
            SkillGap(
                skill=requirement.skill,
                required=requirement.level,
                current=latest[requirement.skill_id].level if requirement.skill_id in latest else None,
            )
            for requirement in role.requirements.all()
        ]
        return sorted(gaps, key=lambda g: (g.current is None, -(g.gap or 0), g.skill.name))

    def readiness(self, gaps: list["SkillGap"] | None = None) -> "Readiness":
        return Readiness.from_gaps(self.skill_gaps() if gaps is None else gaps)

    def paths(self, limit: int = 3) -> list[list[Role]]:
        return find_paths(self.current_role, self.target_role, limit=limit)


@dataclass(frozen=True)
class SkillGap:
    skill: Skill
    required: int
    current: int | None

    @property
    def assessed(self) -> bool:
        return self.current is not None

    @property
    def gap(self) -> int | None:
        """How many levels short; 0 when met or exceeded; None when not assessed."""
        return None if self.current is None else max(self.required - self.current, 0)

    @property
    def required_label(self) -> str:
        return Proficiency(self.required).label

    @property
    def current_label(self) -> str:
        return Proficiency(self.current).label if self.current else "Not assessed"


@dataclass(frozen=True)
class Readiness:
    """How ready a person is for a role, from the skills they have assessed.

    percent: levels met (capped at the requirement, so strength in one skill cannot hide
    a gap in another) over levels required, across assessed skills only; None until at
    least one required skill is assessed.
    """

    percent: int | None
    assessed: int
    total: int
    open_gaps: int = 0
    unassessed: list[Skill] = field(default_factory=list)

    @classmethod
    def from_gaps(cls, gaps: list[SkillGap]) -> "Readiness":
        assessed = [g for g in gaps if g.assessed]
        required = sum(g.required for g in assessed)
        met = sum(min(g.current, g.required) for g in assessed)
        percent = round(100 * met / required) if required else None
        return cls(
            percent=percent,
            assessed=len(assessed),
            total=len(gaps),
            open_gaps=sum(1 for g in assessed if g.gap),
            unassessed=[g.skill for g in gaps if not g.assessed],
        )


class SkillAssessment(models.Model):
    """One self-assessment of one skill; each save adds rows, so growth can be charted."""

    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="assessments")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Proficiency.choices)
    note = models.CharField(max_length=300, blank=True)
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessed_at", "pk"]
        indexes = [models.Index(fields=["plan", "skill", "assessed_at"])]
        constraints = [models.CheckConstraint(condition=PROFICIENCY_RANGE, name="assessment_level_in_range")]

    def __str__(self) -> str:
        return f"{self.skill}: {self.get_level_display()}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class PlanCertification(models.Model):
    """A certification the person plans, pursues or holds. "Expired" is computed, never stored."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        EARNED = "earned", "Earned"

    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="certifications")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    target_date = models.DateField(null=True, blank=True, help_text="When you aim to earn it.")
    earned_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(
        null=True, blank=True, help_text="Leave empty to compute it from the certification's validity."
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["target_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "certification"], name="plancertification_unique"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(earned_on__isnull=True)
                | Q(expires_on__gt=models.F("earned_on")),
                name="plancertification_expiry_after_earned",
            ),
        ]

    def __str__(self) -> str:
        return str(self.certification)

    def save(self, *args, **kwargs) -> None:
        if self.earned_on and not self.expires_on and self.certification.validity_months:
            self.expires_on = add_months(self.earned_on, self.certification.validity_months)
        super().save(*args, **kwargs)

    def effective_status(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if self.status == self.Status.EARNED and self.expires_on and self.expires_on <= today:
            return "expired"
        return self.status

    def get_effective_status_display(self) -> str:
        status = self.effective_status()
        return "Expired" if status == "expired" else self.Status(status).label

    def expires_soon(self, within_days: int = 60) -> bool:
        today = timezone.localdate()
        return bool(
            self.effective_status(today) == self.Status.EARNED
            and self.expires_on
            and self.expires_on <= today + timedelta(days=within_days)
        )


class Activity(models.Model):
    """Learning, network and visibility work that closes the gap."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", "Workshop"
        WEBINAR = "webinar", "Webinar"
        CONFERENCE = "conference", "Conference"
        COURSE = "course", "Course"
        DEGREE = "degree", "Degree"
        BOOK = "book", "Book"
        INTERNSHIP = "internship", "Internship"
        VOLUNTEERING = "volunteering", "Volunteering"
        MENTORED = "mentored", "Being mentored"
        MENTORING = "mentoring", "Mentoring others"
        NETWORKING_EVENT = "networking_event", "Networking event"
        ASSOCIATION = "association", "Professional association"
        TALK = "talk", "Talk or presentation"
        BLOG_POST = "blog_post", "Blog post or article"
        PROJECT = "project", "High-profile project"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DONE = "done", "Done"

    CATEGORIES = {
        "learning": {Kind.WORKSHOP, Kind.WEBINAR, Kind.COURSE, Kind.DEGREE, Kind.BOOK, Kind.INTERNSHIP},
        "network": {Kind.CONFERENCE, Kind.NETWORKING_EVENT, Kind.ASSOCIATION, Kind.MENTORED, Kind.MENTORING},
        "visibility": {Kind.TALK, Kind.BLOG_POST, Kind.PROJECT, Kind.VOLUNTEERING},
    }

    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    date = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED)
    link = models.URLField(blank=True)
    note = models.TextField(blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="+", help_text="Skills this builds.")

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.title

    @property
    def category(self) -> str:
        return next(name for name, kinds in self.CATEGORIES.items() if self.kind in kinds)


class Share(models.Model):
    """Read access (and comments) for a mentor or manager the owner invited by email."""

    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="shares")
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="plan_shares"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    message = models.TextField(
        "personal message", blank=True, help_text="Sent with the invitation (and a resend)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # Case-insensitive: Mentor@x and mentor@x are one person (the form says so; this holds under races).
            models.UniqueConstraint("plan", Lower("email"), name="share_unique_email_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} shared with {self.email}"


class Comment(models.Model):
    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.plan}"
