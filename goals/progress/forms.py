"""Forms for check-ins and milestones: validate and convert, nothing else."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as format_date

from base.numbers import plain_number
from goals.models import CheckIn, Goal, Milestone
from plans.fields import DATE_INPUT
from skills.models import DATE_BOUNDS, TOP_PROFICIENCY, Proficiency


class CheckInForm(forms.Form):
    """One measurement of the goal's metric, on a day between the goal's start and today, within
    what the goal measures (Goal.value_range): a whole level 1–5, earned or not for a certification,
    0–100 for a percentage, nothing negative when the goal runs between values of 0 or more.

    With ``check_in`` it corrects that check-in: the date may stay as it was, and a paused or
    abandoned goal's history may still be corrected.
    """

    value = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        error_messages={"invalid": "Enter a number, such as 3 or 2.5."},
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    note = forms.CharField(max_length=300, required=False)
    date = forms.DateField(
        required=False, widget=DATE_INPUT, validators=DATE_BOUNDS, help_text="Today unless you change it."
    )

    def __init__(self, *args, goal: Goal, check_in: CheckIn | None = None, **kwargs) -> None:
        if check_in is not None:
            initial = {
                "value": plain_number(check_in.value),
                "note": check_in.note,
                "date": check_in.checked_on,
            }
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.check_in = check_in
        if goal.measures_certification:
            self.fields["value"] = self._certification_field()
        else:
            self._bound_the_number()
        unit_said = not goal.unit or goal.unit.lower() in goal.metric.lower()
        self.fields["value"].label = goal.metric if unit_said else f"{goal.metric} ({goal.unit})"
        if check_in is None:
            self.fields["date"].initial = timezone.localdate
        else:
            self.fields["date"].help_text = "Leave empty to keep the day it was recorded for."

    def _certification_field(self) -> forms.TypedChoiceField:
        """Earned or not yet: a certification takes no free number."""
        choice = "Choose “Earned” or “Not yet”: a certification is earned or it is not."
        return forms.TypedChoiceField(
            choices=[
                (plain_number(self.goal.target), "Earned: mark it earned on my plan"),
                (plain_number(self.goal.baseline), "Not yet"),
            ],
            coerce=Decimal,
            widget=forms.RadioSelect,
            error_messages={"required": choice, "invalid_choice": choice},
        )

    def _bound_the_number(self) -> None:
        low, high = self.goal.value_range()
        attrs = self.fields["value"].widget.attrs
        if low is not None:
            attrs["min"] = plain_number(low)
        if high is not None:
            attrs["max"] = plain_number(high)
        if self.goal.measures_skill_level:
            attrs["step"] = "1"
            scale = " · ".join(f"{level} {level.label}" for level in Proficiency)
            assert self.goal.skill is not None  # measures_skill_level says so
            saved = f"Saved as your self-assessment of {self.goal.skill.name} on this plan."
            self.fields["value"].help_text = f"{scale}. {saved}"

    def clean_value(self) -> Decimal:
        value: Decimal = self.cleaned_data["value"]
        goal = self.goal
        low, high = goal.value_range()
        if goal.measures_skill_level:
            assert low is not None and high is not None  # value_range bounds a level
            if value != value.to_integral_value() or not low <= value <= high:
                raise forms.ValidationError(
                    f"Levels go from {Proficiency.AWARENESS} ({Proficiency.AWARENESS.label}) to {TOP_PROFICIENCY} "
                    f"({Proficiency(TOP_PROFICIENCY).label}): enter a whole level, such as 3."
                )
        elif goal.measures_certification:
            # An older "not yet" may keep its value (its note or date corrected); a new one can't deny the plan.
            unchanged = self.check_in is not None and value == self.check_in.value
            if value != goal.target and not unchanged and goal.certification_earned():
                raise forms.ValidationError(
                    f"Your plan records {goal.certification} as earned: if that is a mistake, change the "
                    "certification on your plan."
                )
        elif goal.measures_percent:
            assert low is not None and high is not None  # value_range bounds a percentage
            if not low <= value <= high:
                raise forms.ValidationError("A percentage goes from 0 to 100: enter a number in between.")
        elif low is not None and value < low:
            raise forms.ValidationError(
                f"{goal.metric} can't be negative: this goal runs from {plain_number(goal.baseline)} "
                f"to {plain_number(goal.target)} {goal.unit}."
            )
        return value

    def clean_date(self) -> datetime.date:  # (the class's own `date` is the field)
        kept = self.check_in.checked_on if self.check_in else timezone.localdate()
        checked_on = self.cleaned_data["date"] or kept
        if checked_on > timezone.localdate():
            raise forms.ValidationError("That date is in the future: record progress once it has happened.")
        if checked_on < self.goal.start_date:
            raise forms.ValidationError(
                f"That is before the goal started ({format_date(self.goal.start_date, 'j M Y')}): "
                "the baseline already stands for that time."
            )
        return checked_on

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if self.check_in is None and self.goal.status in (Goal.Status.PAUSED, Goal.Status.ABANDONED):
            raise forms.ValidationError(
                f"This goal is {self.goal.get_status_display().lower()}: resume it to record progress."
            )
        return cleaned

    def check_in_kwargs(self) -> dict:
        """Arguments for goals.services.check_in_record."""
        value: Decimal = self.cleaned_data["value"]
        return {"value": value, "note": self.cleaned_data["note"], "checked_on": self.cleaned_data["date"]}

    def corrected_check_in(self) -> CheckIn:
        """The check-in with the corrections applied, unsaved (for goals.services.check_in_update)."""
        check_in = self.check_in
        assert check_in is not None  # the form was given the check-in it corrects
        check_in.value = self.cleaned_data["value"]
        check_in.note = self.cleaned_data["note"]
        check_in.checked_on = self.cleaned_data["date"]
        return check_in


class MilestoneForm(forms.ModelForm):
    """A step on the way, due between the goal's start and its deadline (Milestone.clean)."""

    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": DATE_INPUT}
        labels = {"title": "Milestone", "due_date": "Due"}

    def __init__(self, *args, goal: Goal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.goal = goal
        self.goal = goal
        # The picker offers the goal's own dates; the model's clean (Milestone.clean) holds the rule.
        self.fields["due_date"].widget.attrs.update(
            min=goal.start_date.isoformat(), max=goal.deadline.isoformat()
        )
