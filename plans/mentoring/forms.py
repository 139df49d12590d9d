"""The mentoring pages' filters (GET forms): by track and by target role, and for the heatmap what
each cell shows. Choices come from the plans shown, so a filter never offers an empty list."""

from typing import cast

from django import forms
from django.db import models

from plans.models import CareerPlan


class Show(models.TextChoices):
    """What each cell of the skills heatmap shows."""

    GAP = "gap", "Gap to their target role"
    LEVEL = "level", "Their level"


class PeopleFilterForm(forms.Form):
    track = forms.TypedChoiceField(
        label="Track", required=False, coerce=int, empty_value=None, help_text="Of the target role."
    )
    role = forms.TypedChoiceField(label="Target role", required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, plans: list[CareerPlan]) -> None:
        super().__init__(data)
        tracks = {plan.target_role.track_id: plan.target_role.track.name for plan in plans}
        roles = {plan.target_role_id: plan.target_role.title for plan in plans}
        by_name = lambda choice: choice[1]  # noqa: E731
        cast(forms.ChoiceField, self.fields["track"]).choices = [
            ("", "Any track"),
            *sorted(tracks.items(), key=by_name),
        ]
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            ("", "Any target role"),
            *sorted(roles.items(), key=by_name),
        ]

    def filtered(self, plans: list[CareerPlan]) -> list[CareerPlan]:
        """The plans the valid filters keep; all of them while a filter is in error (the form
        shows its message)."""
        if not self.is_valid():
            return plans
        track, role = self.cleaned_data.get("track"), self.cleaned_data.get("role")
        return [
            plan
            for plan in plans
            if (track is None or plan.target_role.track_id == track)
            and (role is None or plan.target_role_id == role)
        ]

    @property
    def active(self) -> bool:
        """Whether a filter narrows the list (the page then offers to clear it)."""
        return self.is_valid() and any(self.cleaned_data.get(name) is not None for name in ("track", "role"))


class HeatmapForm(PeopleFilterForm):
    show = forms.ChoiceField(
        label="Each cell shows",
        choices=Show.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, data, *, plans: list[CareerPlan]) -> None:
        if data is not None and not data.get("show"):
            data = data.copy()
            data["show"] = Show.GAP  # a filter link without the switch keeps showing gaps
        super().__init__(data, plans=plans)
        self.fields["show"].initial = Show.GAP

    @property
    def shown(self) -> Show:
        if self.is_valid() and self.cleaned_data.get("show"):
            return Show(self.cleaned_data["show"])
        return Show.GAP
