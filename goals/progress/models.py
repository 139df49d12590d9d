"""A goal's progress: its milestones and its check-ins (the measurements)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.dateformat import format as format_date

from goals.models import Goal
from plans.models import SkillAssessment
from skills.models import DATE_BOUNDS, TOP_PROFICIENCY, Proficiency


class Milestone(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField(validators=DATE_BOUNDS)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def clean(self) -> None:
        """A milestone is a step between its goal's start and its deadline (both days included):
        the rule every writer keeps through full_clean (the milestone form, the admin, an import)."""
        super().clean()
        try:
            goal = self.goal
        except Goal.DoesNotExist:
            goal = None
        start, deadline = (goal.start_date, goal.deadline) if goal else (None, None)
        if self.due_date is None or start is None or deadline is None:
            return  # a date's own error says what is wrong, or there is no goal yet to hold it against
        if self.due_date < start:
            problem = "That is before the goal's start date ({}): a milestone is a step between its start and its deadline."
            raise ValidationError({"due_date": problem.format(format_date(start, "j M Y"))})
        if self.due_date > deadline:
            problem = "That is after the goal's deadline ({}): a milestone is a step before it."
            raise ValidationError({"due_date": problem.format(format_date(deadline, "j M Y"))})


class CheckIn(models.Model):
    """One measurement of a goal's metric: the progress history."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    checked_on = models.DateField(validators=DATE_BOUNDS, default=timezone.localdate)
    created_at = models.DateTimeField(
        default=timezone.now, editable=False
    )  # an import sets the exported time
    # A check-in on a skill-level goal is a self-assessment of the skill: this row, kept in step by
    # goals.services (edit and delete included). Deleting the assessment deletes the check-in.
    assessment = models.OneToOneField(
        SkillAssessment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["checked_on", "pk"]
        indexes = [models.Index(fields=["goal", "checked_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(assessment__isnull=True)
                | Q(value__gte=Proficiency.AWARENESS, value__lte=TOP_PROFICIENCY, value=Round("value")),
                name="checkin_assessed_level_whole_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.value} on {self.checked_on}"
