"""Second opinions on a plan's skills (issue 24): a mentor the owner allowed rates a skill of the
target role, and the owner chooses, per skill, which level counts toward readiness and the gap.

Ratings are kept, never edited: a new rating adds a row, so the history says who rated what and
when. The owner's current choices are the plan's own column (CareerPlan.chosen_levels, read with
the plan row: no page pays a query for them), each choice also told in the plan's events; the
rule that turns them into the level that counts is CareerPlan.counted_levels()."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from plans.models import CareerPlan
from plans.sharing.models import Share
from skills.models import PROFICIENCY_RANGE, Proficiency, Skill


class SkillRating(models.Model):
    """One mentor's level for one skill of the plan, with an optional note."""

    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="ratings")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    # Null once the rater's account is deleted (their name goes with it: plans.deletion).
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The rater's name when they rated: it survives an export and import, where no account is theirs.
    rater_name = models.CharField(max_length=150, blank=True)
    # The access it was given through; null once the owner revoked it: a former mentor's rating,
    # kept in the owner's history and no longer shown to its rater (docs/decisions.md).
    share = models.ForeignKey(Share, on_delete=models.SET_NULL, null=True, blank=True, related_name="ratings")
    level = models.PositiveSmallIntegerField(choices=Proficiency.choices)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["plan", "skill", "created_at"], name="skillrating_plan_skill")]
        constraints = [models.CheckConstraint(condition=PROFICIENCY_RANGE, name="skillrating_level_in_range")]

    def __str__(self) -> str:
        return f"{self.skill}: {self.get_level_display()} by {self.rater_name or 'a former member'}"

    def is_current(self) -> bool:
        """Whether its rater still mentors the plan through the share it was given through."""
        return self.share_id is not None and self.share is not None and self.share.user_id == self.rater_id
