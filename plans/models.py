"""A person's career plans: where they are, where they want to go, and the gap between.

Plans read the curated framework in ``skills``; nothing in ``skills`` knows about plans.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plans.paths import find_paths
from plans.readiness import REQUIREMENT_CHANGES_DAYS, Readiness, RequirementNotice, SkillGap, levels_counted
from skills.history import net_requirement_changes
from skills.models import (
    DATE_BOUNDS,
    PROFICIENCY_RANGE,
    Certification,
    Industry,
    Proficiency,
    Role,
    RoleSkill,
    Skill,
    add_months,
)


class CareerPlanQuerySet(models.QuerySet["CareerPlan"]):
    def owned_by(self, user) -> "CareerPlanQuerySet":
        return self.filter(owner=user)

    def visible_to(self, user) -> "CareerPlanQuerySet":
        """Plans the user owns, and plans shared with them (a mentor or manager)."""
        if not user.is_authenticated:
            return self.none()
        # A subquery on shares, not a join: no duplicate rows to DISTINCT away, and the planner
        # can use the primary key and owner indexes instead of scanning every plan.
        return self.filter(Q(owner=user) | Q(pk__in=Share.objects.filter(user=user).values("plan_id")))

    def shared_with(self, user) -> "CareerPlanQuerySet":
        """Plans someone else owns that they shared with the user (an accepted invitation)."""
        return self.filter(shares__user=user)

    def active(self) -> "CareerPlanQuerySet":
        return self.filter(status=CareerPlan.Status.ACTIVE)

    def with_gap_data(self) -> "CareerPlanQuerySet":
        """Everything skill_gaps() and readiness() read, and the assessments' skills, in fixed queries."""
        return self.select_related("current_role__track", "target_role__track").prefetch_related(
            models.Prefetch("target_role__requirements", queryset=RoleSkill.objects.select_related("skill")),
            models.Prefetch(
                "assessments",
                queryset=SkillAssessment.objects.select_related("skill").order_by("assessed_at", "pk"),
            ),
        )


class CareerPlan(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_plans")
    title = models.CharField(max_length=200)
    current_role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    target_role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    target_date = models.DateField(validators=DATE_BOUNDS, null=True, blank=True)
    industry = models.ForeignKey(
        Industry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Optional: roles, example goals and resources common in it come first.",
    )
    vision = models.TextField("vision", blank=True, help_text="Where you want to be, and why.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    is_primary = models.BooleanField("primary plan", default=False)
    # The owner's choices of the level that counts, by skill id (plans.ratings): read with the plan
    # row, so no page pays a query for them; written by level_choose and the import (ChosenLevel).
    chosen_levels = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "created_at", "chosen_levels"])
    objects = CareerPlanQuerySet.as_manager()
    _change_reason: str | None  # set before a save or delete: simple_history writes it on the record

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

    @staticmethod
    def suggested_title(role: Role) -> str:
        """The title the app writes for a plan towards ``role``: "Become a Product Manager"."""
        article = "an" if role.title[:1].lower() in "aeiou" else "a"
        return f"Become {article} {role.title}"

    def has_suggested_title(self) -> bool:
        """Whether the app wrote the title: it is the suggestion for the stored target role or an
        earlier one (from the history), so a rename follows the target. A title the person
        wrote themselves never matches and is never renamed."""
        # Either article: titles written before the app chose "an" say "Become a Associate …".
        role_title = self.title.removeprefix("Become an ").removeprefix("Become a ")
        if role_title == self.title:
            return False
        earlier = self.history.values("target_role_id") if self.pk else []
        return Role.objects.filter(Q(pk=self.target_role_id) | Q(pk__in=earlier), title=role_title).exists()

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    def is_owned_by(self, user) -> bool:
        """Whether `user` owns the plan (mentors it is shared with read it but don't own it)."""
        return self.owner_id == user.pk

    def comment_recipients(self, author) -> list:
        """Who hears of a new comment on the plan or on one of its goals: the owner when a mentor
        writes; every mentor with accepted access when the owner writes (a reply included); never
        the author."""
        if self.is_owned_by(author):
            shares = self.shares.filter(user__isnull=False).select_related("user")
            people = [share.user for share in shares if share.user is not None]  # the filter's, for mypy
        else:
            people = [self.owner]
        return [person for person in people if person.pk != author.pk]

    def latest_assessments(self) -> dict[int, "SkillAssessment"]:
        """The most recent self-assessment per skill id (reads the prefetched list when there is one)."""
        latest: dict[int, SkillAssessment] = {}
        for assessment in sorted(self.assessments.all(), key=lambda a: (a.assessed_at, a.pk)):
            latest[assessment.skill_id] = assessment
        return latest

    def counted_levels(self) -> dict[int, tuple[int, str]]:
        """The level that counts toward readiness and the gap, and where it comes from, per skill
        id: plans.readiness.levels_counted, the one rule (reads the prefetched assessments)."""
        return levels_counted(self.latest_assessments(), self.chosen_levels)

    def skill_gaps(self, role: Role | None = None) -> list["SkillGap"]:
        """Required vs counted proficiency (counted_levels) for each required skill, largest gap first.

        Skills not yet assessed come last, with ``current=None`` (unknown, not zero).
        """
        role = role or self.target_role
        counted = self.counted_levels()
        gaps = [
            SkillGap(requirement.skill, requirement.level, *counted.get(requirement.skill_id, (None, "")))
            for requirement in role.requirements.all()
        ]
        return sorted(gaps, key=lambda g: (g.current is None, -(g.gap or 0), g.skill.name))

    def readiness(self, gaps: list["SkillGap"] | None = None) -> "Readiness":
        return Readiness.from_gaps(self.skill_gaps() if gaps is None else gaps)

    def paths(self, limit: int = 3) -> list[list[Role]]:
        return find_paths(self.current_role, self.target_role, limit=limit)

    def path_skills(self) -> list[Skill]:
        """Every skill required by a role on the plan's routes (current and target included)."""
        role_ids = {self.current_role_id, self.target_role_id} | {
            r.pk for route in self.paths() for r in route
        }
        return list(
            Skill.objects.filter(requirements__role_id__in=role_ids).distinct().order_by("category", "name")
        )

    def requirement_changes(self, now: datetime | None = None) -> "RequirementNotice | None":
        """What an editor changed in the target and current roles' requirements since the plan was
        last changed (at most REQUIREMENT_CHANGES_DAYS back); None when nothing did. One query."""
        floor = (now or timezone.now()) - timedelta(days=REQUIREMENT_CHANGES_DAYS)
        since = max(self.updated_at, floor)
        roles = [self.target_role] + (
            [self.current_role] if self.current_role_id != self.target_role_id else []
        )
        changes = net_requirement_changes([role.pk for role in roles], since=since)
        by_role = [(role, [c for c in changes if c.role_id == role.pk]) for role in roles]
        by_role = [(role, role_changes) for role, role_changes in by_role if role_changes]
        return RequirementNotice(since, since == self.updated_at, by_role) if by_role else None


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


# An earned certification expiring within this many days "expires soon".
EXPIRY_WARNING_DAYS = 60


class PlanCertificationQuerySet(models.QuerySet["PlanCertification"]):
    def dated(self) -> "PlanCertificationQuerySet":
        """Certifications with a date ahead of the person: an earned one's expiry, a pursued one's target."""
        pursued = [PlanCertification.Status.PLANNED, PlanCertification.Status.IN_PROGRESS]
        return self.filter(
            Q(status=PlanCertification.Status.EARNED, expires_on__isnull=False)
            | Q(status__in=pursued, target_date__isnull=False)
        )

    def expiring(self, *, within: int, today: date) -> "PlanCertificationQuerySet":
        """Earned certifications still valid today that expire within `within` days."""
        return self.filter(
            status=PlanCertification.Status.EARNED,
            expires_on__gt=today,
            expires_on__lte=today + timedelta(days=within),
        )


# In the words the certification form and an import both show.
EXPIRY_AFTER_EARNED = "It has to expire after the day you earned it: pick a later date."


class PlanCertification(models.Model):
    """A certification the person plans, pursues or holds. "Expired" is computed, never stored."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        EARNED = "earned", "Earned"

    class EffectiveStatus(models.TextChoices):
        """The stored status as of a given day: an earned certification past its expiry is expired."""

        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        EARNED = "earned", "Earned"
        EXPIRED = "expired", "Expired"

        @property
        def is_expired(self) -> bool:
            return self == self.EXPIRED

        @property
        def was_earned(self) -> bool:
            return self in (self.EARNED, self.EXPIRED)

        @property
        def badge(self) -> str:
            """The Bootstrap badge class that shows this status."""
            return {
                "earned": "text-bg-success",
                "in_progress": "text-bg-info",
                "expired": "text-bg-danger",
            }.get(self.value, "text-bg-secondary")

    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="certifications")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    target_date = models.DateField(
        validators=DATE_BOUNDS, null=True, blank=True, help_text="When you aim to earn it."
    )
    earned_on = models.DateField(validators=DATE_BOUNDS, null=True, blank=True)
    expires_on = models.DateField(
        validators=DATE_BOUNDS,
        null=True,
        blank=True,
        help_text="Leave empty to compute it from the certification's validity.",
    )
    note = models.CharField(max_length=300, blank=True)

    objects = PlanCertificationQuerySet.as_manager()

    class Meta:
        ordering = ["target_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "certification"], name="plancertification_unique"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(earned_on__isnull=True)
                | Q(expires_on__gt=models.F("earned_on")),
                name="plancertification_expiry_after_earned",
                violation_error_message=EXPIRY_AFTER_EARNED,
            ),
        ]

    def __str__(self) -> str:
        return str(self.certification)

    def save(self, *args, **kwargs) -> None:
        if self.earned_on and not self.expires_on and self.certification.validity_months:
            self.expires_on = add_months(self.earned_on, self.certification.validity_months)
        super().save(*args, **kwargs)

    def effective_status(self, today: date | None = None) -> EffectiveStatus:
        today = today or timezone.localdate()
        if self.status == self.Status.EARNED and self.expires_on and self.expires_on <= today:
            return self.EffectiveStatus.EXPIRED
        return self.EffectiveStatus(self.status)

    def get_effective_status_display(self) -> str:
        return self.effective_status().label

    @property
    def next_date(self) -> date | None:
        """The date that matters next: when an earned certification expires, or when a pursued one is due."""
        return self.expires_on if self.status == self.Status.EARNED else self.target_date

    def expires_soon(self, within_days: int = EXPIRY_WARNING_DAYS) -> bool:
        today = timezone.localdate()
        return bool(
            self.effective_status(today) == self.EffectiveStatus.EARNED
            and self.expires_on
            and self.expires_on <= today + timedelta(days=within_days)
        )


class Activity(models.Model):
    """Learning, network and visibility work that closes the gap."""

    class Kind(models.TextChoices):
        # Part-time job, community and social post were added within version 1 of the export
        # (docs/export-format.md): a file written before them holds none of them.
        WORKSHOP = "workshop", "Workshop"
        WEBINAR = "webinar", "Webinar"
        CONFERENCE = "conference", "Conference"
        COURSE = "course", "Course"
        DEGREE = "degree", "Degree"
        BOOK = "book", "Book"
        INTERNSHIP = "internship", "Internship"
        PART_TIME_JOB = "part_time_job", "Part-time job"
        VOLUNTEERING = "volunteering", "Volunteering"
        MENTORED = "mentored", "Being mentored"
        MENTORING = "mentoring", "Mentoring others"
        NETWORKING_EVENT = "networking_event", "Networking event"
        ASSOCIATION = "association", "Professional association"
        COMMUNITY = "community", "Community or forum"
        TALK = "talk", "Talk or presentation"
        BLOG_POST = "blog_post", "Blog post or article"
        SOCIAL_POST = "social_post", "Social media post or chat"
        PROJECT = "project", "High-profile project"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DONE = "done", "Done"

    # What each kind counts towards on the plan page, and the form's groups of kinds: learning
    # taught | on the job; network in events and groups | one to one; visibility.
    CATEGORIES = {
        "learning": {Kind.WORKSHOP, Kind.WEBINAR, Kind.COURSE, Kind.DEGREE, Kind.BOOK}
        | {Kind.INTERNSHIP, Kind.PART_TIME_JOB},
        "network": {Kind.CONFERENCE, Kind.NETWORKING_EVENT, Kind.ASSOCIATION, Kind.COMMUNITY}
        | {Kind.MENTORED, Kind.MENTORING},
        "visibility": {Kind.TALK, Kind.BLOG_POST, Kind.SOCIAL_POST, Kind.PROJECT, Kind.VOLUNTEERING},
    }

    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    date = models.DateField(validators=DATE_BOUNDS)
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


# The sharing folder's models and the plan's events belong to this app: Django registers an app's
# models from this module, so it imports them (each is defined, and documented, in its module).
from plans.events import PlanEvent  # noqa: E402, F401
from plans.ratings.models import SkillRating  # noqa: E402, F401
from plans.sharing.models import Comment, Share  # noqa: E402, F401
