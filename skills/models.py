"""The career framework admins curate and everyone reads.

Career progression is a graph: roles on a track (ladder) with a level for ordering,
and transitions between them. Skills carry one proficiency scale (1–5) shared by
role requirements here and self-assessments in ``plans``.
"""

import calendar
from datetime import MAXYEAR, MINYEAR, date, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from skills.sources import Sourced, source_constraints

MAX_LEVEL = 20
# A learning resource's typical hours: from one hour to a long programme (a part-time degree is more).
MAX_RESOURCE_HOURS = 2000
# A goal whose deadline is at most this many months after its start is short-term.
SHORT_TERM_MONTHS = 12
# How long a goal runs when nothing says otherwise (templates, drafts, certification goals).
DEFAULT_GOAL_MONTHS = 6


class Proficiency(models.IntegerChoices):
    AWARENESS = 1, "Awareness"
    WORKING = 2, "Working knowledge"
    PRACTITIONER = 3, "Practitioner"
    ADVANCED = 4, "Advanced"
    EXPERT = 5, "Expert"

    @property
    def description(self) -> str:
        return PROFICIENCY_DESCRIPTIONS[self.value]

    @classmethod
    def scale(cls) -> list[tuple[int, str, str]]:
        """(level, label, description) for every step, lowest first: the scale shown beside forms."""
        return [(p.value, p.label, p.description) for p in cls]


PROFICIENCY_DESCRIPTIONS = {
    1: "Knows the concepts and the vocabulary; needs guidance to apply them.",
    2: "Applies it to routine work with some help; knows where to look things up.",
    3: "Applies it independently on their own product area and gets reliable results.",
    4: "Handles complex, ambiguous cases; coaches others and improves how the team does it.",
    5: "Sets the direction for the organisation; recognised beyond it as a reference.",
}
PROFICIENCY_RANGE: Q = Q(level__gte=Proficiency.AWARENESS) & Q(level__lte=Proficiency.EXPERT)
TOP_PROFICIENCY = max(Proficiency)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb) and
    to the calendar's ends (a date stored before the bounds below must not take a page down)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not MINYEAR <= year <= MAXYEAR:
        return date.max if year > MAXYEAR else date.min
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_days(day: date, days: int) -> date:
    """``day + timedelta(days)``, clamped to the calendar's ends instead of overflowing."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


# Every date a person enters lies between these (the forms' date pickers say so too): far enough
# for any career, near enough that date arithmetic never leaves the calendar.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2200, 12, 31)
DATE_BOUNDS_MESSAGE = f"Enter a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}."
DATE_BOUNDS = [
    MinValueValidator(EARLIEST_DATE, message=DATE_BOUNDS_MESSAGE),
    MaxValueValidator(LATEST_DATE, message=DATE_BOUNDS_MESSAGE),
]


class Horizon(models.TextChoices):
    SHORT = "short", f"Short-term (up to {SHORT_TERM_MONTHS} months)"
    LONG = "long", f"Long-term (beyond {SHORT_TERM_MONTHS} months)"

    @classmethod
    def for_months(cls, months: int) -> "Horizon":
        return cls.SHORT if months <= SHORT_TERM_MONTHS else cls.LONG

    @classmethod
    def between(cls, start: date, end: date) -> "Horizon":
        """Short-term when `end` is at most SHORT_TERM_MONTHS after `start` (to the day)."""
        return cls.SHORT if end <= add_months(start, SHORT_TERM_MONTHS) else cls.LONG


class Track(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("skills:track_detail", args=[self.slug])


class Industry(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "industries"

    def __str__(self) -> str:
        return self.name


class RoleQuerySet(models.QuerySet["Role"]):
    def starter_pair(self) -> dict[str, "Role | None"] | None:
        """A first plan to suggest: the most senior entry point of the first track that leads somewhere,
        and the lowest role it leads to. {"current": role, "target": role}, or None without a ladder."""
        entry = (
            self.filter(is_entry_point=True, transitions_out__isnull=False)
            .select_related("track")
            .order_by("track__name", "-level", "title")
            .first()
        )
        if entry is None:
            return None
        target = entry.next_roles.order_by("level", "title").first()
        return {"current": entry, "target": target}


class Role(Sourced):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVEL)],
        help_text=f"Position on the ladder, 1 (entry) to {MAX_LEVEL}. Roles may share a level.",
    )
    summary = models.TextField(blank=True)
    responsibilities = models.TextField(blank=True, help_text="One responsibility per line.")
    is_entry_point = models.BooleanField(
        "entry point", default=False, help_text="A common first step into this track."
    )
    industries = models.ManyToManyField(Industry, blank=True, related_name="roles")
    next_roles: "models.ManyToManyField[Role, Transition]" = models.ManyToManyField(
        "self", through="Transition", symmetrical=False, related_name="previous_roles", blank=True
    )

    objects = RoleQuerySet.as_manager()
    # Set on the roles a skills.queries.Ladder holds: templates cannot index its dicts by role.
    ladder_leads_to: list["Transition"]
    ladder_comes_from: list["Transition"]

    class Meta:
        ordering = ["track", "level", "title"]
        constraints = [
            models.UniqueConstraint(fields=["track", "slug"], name="role_unique_slug_per_track"),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=MAX_LEVEL), name="role_level_in_range"
            ),
            # Not unique: one occupation may be a step on several tracks.
            *source_constraints("role", unique=False),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("skills:role_detail", args=[self.track.slug, self.slug])

    def responsibility_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.responsibilities.splitlines() if line.strip(" -•\t")]


class Transition(models.Model):
    from_role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="transitions_out")
    to_role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="transitions_in")
    note = models.CharField(max_length=300, blank=True, help_text="What usually makes this move happen.")

    class Meta:
        ordering = ["from_role__level", "to_role__level"]
        constraints = [
            models.UniqueConstraint(fields=["from_role", "to_role"], name="transition_unique_pair"),
            models.CheckConstraint(
                condition=~Q(from_role=models.F("to_role")), name="transition_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_role} → {self.to_role}"


class Skill(Sourced):
    class Category(models.TextChoices):
        HARD = "hard", "Hard skill"
        SOFT = "soft", "Soft skill"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    category = models.CharField(max_length=4, choices=Category.choices)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = source_constraints("skill", unique=True)

    def __str__(self) -> str:
        return self.name


class RoleSkill(models.Model):
    """What proficiency a role requires in a skill."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="requirements")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="requirements")
    level = models.PositiveSmallIntegerField("required proficiency", choices=Proficiency.choices)

    # Every add, level change and removal, dated, so a plan can say what changed under it
    # (skills.history). Admin saves and ladder imports both go through save() and delete().
    history = HistoricalRecords()

    class Meta:
        ordering = ["-level", "skill__name"]
        verbose_name = "skill requirement"
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="roleskill_unique_per_role"),
            models.CheckConstraint(condition=PROFICIENCY_RANGE, name="roleskill_level_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.skill} at {self.get_level_display()}"


class Certification(Sourced):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    abbreviation = models.CharField(max_length=20, blank=True)
    issuer = models.CharField(max_length=200, blank=True)
    url = models.URLField(blank=True)
    description = models.TextField(blank=True)
    validity_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How long it stays valid after it is earned; empty if it never expires.",
    )
    roles = models.ManyToManyField(
        Role, blank=True, related_name="recommended_certifications", verbose_name="recommended for"
    )

    class Meta:
        ordering = ["name"]
        constraints = source_constraints("certification", unique=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class GoalTemplate(models.Model):
    """An example SMART goal a person can start from."""

    track = models.ForeignKey(
        Track, on_delete=models.CASCADE, related_name="goal_templates", null=True, blank=True
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    metric = models.CharField(max_length=120)
    unit = models.CharField(max_length=40)
    baseline = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    target = models.DecimalField(max_digits=10, decimal_places=2)
    horizon = models.CharField(max_length=5, choices=Horizon.choices)
    duration_months = models.PositiveSmallIntegerField(
        default=DEFAULT_GOAL_MONTHS, help_text="A sensible deadline, in months."
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.SET_NULL, null=True, blank=True, related_name="goal_templates"
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.SET_NULL, null=True, blank=True, related_name="goal_templates"
    )
    role = models.ForeignKey(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="goal_templates"
    )
    industries = models.ManyToManyField(
        Industry,
        blank=True,
        related_name="goal_templates",
        help_text="Industries it is meant for; people whose plan names one see it first.",
    )

    class Meta:
        ordering = ["horizon", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target=models.F("baseline")), name="goaltemplate_target_not_baseline"
            ),
        ]

    def __str__(self) -> str:
        return self.title


from skills.resources import LearningResource, LearningResourceQuerySet  # noqa: E402, F401
from skills.taxonomy.models import (  # noqa: E402, F401
    Standard,
    TaxonomyOccupation,
    TaxonomyRelation,
    TaxonomySkill,
)
