"""Forms for check-ins and milestones: validate and convert, nothing else."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as format_date

from goals.models import Goal, Milestone
from plans.fields import DATE_INPUT


class CheckInForm(forms.Form):
    """One measurement of the goal's metric, on a day between the goal's start and today."""

    value = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        error_messages={"invalid": "Enter a number, such as 3 or 2.5."},
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    note = forms.CharField(max_length=300, required=False)
    date = forms.DateField(required=False, widget=DATE_INPUT, help_text="Leave empty for today.")

    def __init__(self, *args, goal: Goal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.goal = goal
        unit_said = not goal.unit or goal.unit.lower() in goal.metric.lower()
        self.fields["value"].label = goal.metric if unit_said else f"{goal.metric} ({goal.unit})"
        self.fields["date"].initial = timezone.localdate

    def clean_date(self) -> date:
        checked_on = self.cleaned_data["date"] or timezone.localdate()
        if checked_on > timezone.localdate():
            raise forms.ValidationError("That date is in the future: record progress once it has happened.")
        if checked_on < self.goal.start_date:
            raise forms.ValidationError(
                f"That is before the goal started ({format_date(self.goal.start_date, 'j M Y')}): "
                "the baseline already stands for that time."
            )
        return checked_on

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.goal.status in (Goal.Status.PAUSED, Goal.Status.ABANDONED):
            raise forms.ValidationError(
                f"This goal is {self.goal.get_status_display().lower()}: resume it to record progress."
            )
        return cleaned

    def check_in_kwargs(self) -> dict:
        """Arguments for goals.services.check_in_record."""
        value: Decimal = self.cleaned_data["value"]
        return {"value": value, "note": self.cleaned_data["note"], "checked_on": self.cleaned_data["date"]}


class MilestoneForm(forms.ModelForm):
    """A step on the way, due no later than the goal's deadline."""

    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": DATE_INPUT}
        labels = {"title": "Milestone", "due_date": "Due"}

    def __init__(self, *args, goal: Goal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.goal = goal
        self.goal = goal

    def clean_due_date(self) -> date:
        due_date = self.cleaned_data["due_date"]
        if due_date > self.goal.deadline:
            raise forms.ValidationError(
                f"That is after the goal's deadline ({format_date(self.goal.deadline, 'j M Y')}): "
                "a milestone is a step before it."
            )
        return due_date
