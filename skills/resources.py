"""Learning resources: what helps a person reach a level in one skill.

Kept apart from skills.models (which imports it at its foot, so Django finds it under the skills
app) to keep each file short; import it from skills.models like every other ladder model.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from skills.models import MAX_RESOURCE_HOURS, PROFICIENCY_RANGE, Industry, Proficiency, Skill


class LearningResourceQuerySet(models.QuerySet["LearningResource"]):
    def within(self, levels: dict[int, int]) -> "LearningResourceQuerySet":
        """The resources of the skills in ``levels`` ({skill id: level}) that help reach at most
        that level: what a role asking for those levels may suggest. One condition per distinct
        level (five at most), however many skills."""
        skills_by_level: dict[int, list[int]] = {}
        for skill_id, level in levels.items():
            skills_by_level.setdefault(level, []).append(skill_id)
        if not skills_by_level:
            return self.none()
        condition = Q()
        for level, skill_ids in sorted(skills_by_level.items()):
            condition |= Q(skill_id__in=skill_ids, level__lte=level)
        return self.filter(condition)


class LearningResource(models.Model):
    """A course, book, community… that helps a person reach a level in one skill.

    Curated with the framework (admin, ladder files); the plan page lists, for each open gap,
    the resources whose level lies above the person's level and within the role's requirement.
    """

    class Kind(models.TextChoices):
        COURSE = "course", "Course"
        BOOK = "book", "Book"
        WORKSHOP = "workshop", "Workshop"
        WEBINAR = "webinar", "Webinar"
        CONFERENCE = "conference", "Conference"
        COMMUNITY = "community", "Community"
        MENTORING = "mentoring", "Mentoring"
        CERTIFICATION = "certification", "Certification"

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=13, choices=Kind.choices)
    provider = models.CharField(
        max_length=200, blank=True, help_text="Who offers it: the author, publisher, school or organiser."
    )
    url = models.URLField("link", blank=True, help_text="Where to find it; empty if nowhere.")
    hours = models.PositiveSmallIntegerField(
        "typical hours",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RESOURCE_HOURS)],
        help_text="About how long it takes; empty when it is ongoing (a community) or varies.",
    )
    level = models.PositiveSmallIntegerField(
        "helps reach",
        choices=Proficiency.choices,
        help_text="The proficiency it helps a person reach (someone below it gets it suggested).",
    )

    industries = models.ManyToManyField(
        Industry,
        blank=True,
        related_name="resources",
        help_text="Industries it is meant for; people whose plan names one see it first.",
    )

    objects = LearningResourceQuerySet.as_manager()

    class Meta:
        ordering = ["skill__name", "level", "title"]
        verbose_name = "learning resource"
        constraints = [
            models.CheckConstraint(condition=PROFICIENCY_RANGE, name="learningresource_level_in_range"),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | (Q(hours__gte=1) & Q(hours__lte=MAX_RESOURCE_HOURS)),
                name="learningresource_hours_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display().lower()})"

    def helps_from(self, current: int | None, required: int) -> bool:
        """Whether it takes someone at ``current`` (None: not assessed) towards ``required``: its
        level is above where they stand and no higher than the level asked of them."""
        return (current or 0) < self.level <= required
