"""The mentor's rating form and the owner's choice of the level that counts: they validate and
convert; a skill, a rating or a level from elsewhere is a field error, never a 500."""

from django import forms

from base.params import parse_id
from plans.ratings.models import SkillRating
from skills.models import Proficiency, Skill

# What the owner may choose to count for a skill: their own level, a rating (its id), or an agreed one.
OWN, RATING, AGREED = "own", "rating", "agreed"
LEVEL_CHOICES = [("", "Choose a level"), *[(str(v), f"{v} · {label}") for v, label in Proficiency.choices]]


class RatingForm(forms.Form):
    """A mentor's level for one of the skills the plan's target role requires, with a note."""

    skill = forms.ModelChoiceField(
        queryset=Skill.objects.none(),
        label="Skill",
        empty_label="Choose a skill",
        error_messages={
            "required": "Choose the skill you are rating.",
            "invalid_choice": "Choose one of the skills the target role requires.",
        },
    )
    level = forms.TypedChoiceField(
        label="Their level, as you see it",
        choices=LEVEL_CHOICES,
        coerce=int,
        error_messages={
            "required": "Choose a level from 1 to 5.",
            "invalid_choice": "Choose a level from 1 to 5.",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you have seen them do: the owner reads it beside your level.",
    )

    def __init__(self, *args, skills: list[Skill], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["skill"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Skill.objects.filter(pk__in=[skill.pk for skill in skills]).order_by("name")


class LevelChoiceForm(forms.Form):
    """Which level of one skill counts: "own", a rating's id, or "agreed" with the level typed."""

    skill = forms.TypedChoiceField(
        coerce=int, error_messages={"invalid_choice": "That skill is not one of this plan's."}
    )
    choice = forms.CharField(
        max_length=20,
        error_messages={"required": "Choose which level counts: yours, a mentor's or an agreed one."},
    )
    agreed_level = forms.TypedChoiceField(
        label="Agreed level", choices=LEVEL_CHOICES, coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, skills: list[Skill], ratings: list[SkillRating], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.skills = {skill.pk: skill for skill in skills}
        self.ratings = {rating.pk: rating for rating in ratings}
        skill_field = self.fields["skill"]
        assert isinstance(skill_field, forms.TypedChoiceField)
        skill_field.choices = [(str(pk), skill.name) for pk, skill in self.skills.items()]

    def clean(self):
        cleaned = super().clean() or {}
        skill_id, choice = cleaned.get("skill"), cleaned.get("choice")
        if skill_id is None or choice is None:
            return cleaned
        cleaned["skill"] = self.skills[skill_id]
        cleaned["rating"] = None
        if choice == AGREED:
            if cleaned.get("agreed_level") is None:
                self.add_error("agreed_level", "Choose the level you agreed on, from 1 to 5.")
        elif choice != OWN:
            rating = self.ratings.get(parse_id(choice) or 0)
            if rating is None or rating.skill_id != skill_id:
                self.add_error(
                    "choice", "Choose your own level, one of the ratings shown, or an agreed level."
                )
            else:
                cleaned["rating"] = rating
                choice = RATING
        cleaned["source"] = choice
        return cleaned
