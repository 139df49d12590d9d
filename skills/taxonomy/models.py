"""The taxonomy catalogue: a standard's occupations, skills and which skills each occupation needs.

Rows are keyed by the standard's own ids (ESCO concept URIs, O*NET-SOC codes and element ids),
so importing a newer download updates them in place. They are reference data: nothing in a
plan points at them.
"""

from django.db import models


class Standard(models.TextChoices):
    ESCO = "esco", "ESCO"
    ONET = "onet", "O*NET"


class TaxonomyOccupation(models.Model):
    standard = models.CharField(max_length=4, choices=Standard.choices)
    external_id = models.CharField(
        max_length=255, help_text="The standard's id: an ESCO concept URI or an O*NET-SOC code."
    )
    code = models.CharField(
        max_length=32, blank=True, help_text="ESCO's occupation code or the O*NET-SOC code."
    )
    title = models.CharField(max_length=255)
    alt_labels = models.TextField(blank=True, help_text="Other names, one a line (ESCO).")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["standard", "title"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "external_id"], name="taxonomyoccupation_unique_id")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_standard_display()})"


class TaxonomySkill(models.Model):
    standard = models.CharField(max_length=4, choices=Standard.choices)
    external_id = models.CharField(
        max_length=255, help_text="The standard's id: an ESCO concept URI or an O*NET element id."
    )
    title = models.CharField(max_length=255)
    skill_type = models.CharField(
        max_length=32, blank=True, help_text="ESCO's skill type: skill/competence or knowledge."
    )
    alt_labels = models.TextField(blank=True, help_text="Other names, one a line (ESCO).")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["standard", "title"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "external_id"], name="taxonomyskill_unique_id")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_standard_display()})"


class TaxonomyRelation(models.Model):
    """One skill an occupation needs: ESCO says essential or optional, O*NET rates it."""

    class Kind(models.TextChoices):
        ESSENTIAL = "essential", "Essential"
        OPTIONAL = "optional", "Optional"
        RATED = "rated", "Rated"

    occupation = models.ForeignKey(TaxonomyOccupation, on_delete=models.CASCADE, related_name="relations")
    skill = models.ForeignKey(TaxonomySkill, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(max_length=9, choices=Kind.choices)
    importance = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True, help_text="O*NET importance, 1-5."
    )
    level = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True, help_text="O*NET level, 0-7."
    )

    class Meta:
        ordering = ["occupation", "kind", "skill"]
        constraints = [
            models.UniqueConstraint(fields=["occupation", "skill"], name="taxonomyrelation_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.occupation.title} needs {self.skill.title}"
