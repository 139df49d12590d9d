"""The admin's forms: each turns a constraint violation into a sentence an editor understands."""

from django import forms

from skills.models import (
    PROFICIENCY_DESCRIPTIONS,
    SHORT_TERM_MONTHS,
    GoalTemplate,
    Horizon,
    LearningResource,
    Proficiency,
    RoleSkill,
    Transition,
)

PROFICIENCY_HELP = " ".join(
    f"{level.value} {level.label}: {PROFICIENCY_DESCRIPTIONS[level.value]}" for level in Proficiency
)


class TransitionForm(forms.ModelForm):
    class Meta:
        model = Transition
        fields = ["from_role", "to_role", "note"]

    def clean(self):
        cleaned = super().clean()
        from_role, to_role = cleaned.get("from_role"), cleaned.get("to_role")
        if from_role and to_role and from_role.pk is not None and from_role.pk == to_role.pk:
            # On the field, so the model's check constraint is skipped instead of repeating it.
            self.add_error("to_role", "A role cannot lead to itself: choose a different next role.")
        return cleaned


class RoleSkillForm(forms.ModelForm):
    class Meta:
        model = RoleSkill
        fields = ["role", "skill", "level"]
        help_texts = {"level": PROFICIENCY_HELP}


class LearningResourceForm(forms.ModelForm):
    class Meta:
        model = LearningResource
        fields = ["skill", "title", "slug", "kind", "level", "provider", "url", "hours", "industries"]
        help_texts = {
            "level": "People below this level, whose target role asks for at least this much, see it "
            f"beside their gap. {PROFICIENCY_HELP}"
        }


class GoalTemplateForm(forms.ModelForm):
    class Meta:
        model = GoalTemplate
        fields = [
            "track",
            "title",
            "slug",
            "description",
            "metric",
            "unit",
            "baseline",
            "target",
            "horizon",
            "duration_months",
            "skill",
            "certification",
            "role",
            "industries",
        ]

    def clean(self):
        cleaned = super().clean()
        baseline, target = cleaned.get("baseline"), cleaned.get("target")
        if baseline is not None and target is not None and baseline == target:
            self.add_error(
                "target", "The target must differ from the baseline, or there is nothing to measure."
            )
        horizon, months = cleaned.get("horizon"), cleaned.get("duration_months")
        if horizon and months is not None and Horizon.for_months(months) != horizon:
            self.add_error("duration_months", self.HORIZON_MISMATCH[horizon])
        return cleaned

    HORIZON_MISMATCH = {
        Horizon.SHORT: f"A short-term goal lasts at most {SHORT_TERM_MONTHS} months; choose long-term instead.",
        Horizon.LONG: f"A long-term goal lasts more than {SHORT_TERM_MONTHS} months; choose short-term instead.",
    }
