"""When a person's reminders go out: validated here, saved by goals.services.reminder_settings_save."""

from datetime import date
from typing import cast

from django import forms
from django.utils import timezone

from goals.models import ReminderSettings
from goals.reminders.mentees import MENTEE_QUIET_DAYS
from goals.reminders.models import HOUR_AT_NIGHT
from goals.reminders.schedule import local_time, time_zone_names
from plans.fields import DATE_INPUT


class ReminderSettingsForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label="Time zone",
        help_text="Reminders go out at your hour on this zone's clock, summer time and winter time alike.",
        error_messages={"invalid_choice": "“%(value)s” is not a time zone we know: pick one from the list."},
    )
    hour = forms.TypedChoiceField(
        label="Time",
        coerce=int,
        choices=ReminderSettings.HOUR_CHOICES,
        error_messages={"invalid_choice": HOUR_AT_NIGHT},
    )
    weekday = forms.TypedChoiceField(
        label="Day",
        coerce=int,
        choices=ReminderSettings.Weekday.choices,
        error_messages={"invalid_choice": "Pick a day of the week."},
    )

    class Meta:
        model = ReminderSettings
        fields = ["timezone", "weekday", "hour", "default_cadence", "paused_until", "mentor_digest"]
        widgets = {"paused_until": DATE_INPUT}
        labels = {
            "default_cadence": "New goals remind me",
            "paused_until": "Pause until",
            "mentor_digest": "Add the people I mentor to my digest",
        }
        help_texts = {
            "default_cadence": "Each goal keeps its own setting; this is where new goals start.",
            "paused_until": "No reminders before this date. Leave empty to keep them coming.",
            "mentor_digest": "Your digest then also says who, among the people sharing a plan with "
            "you, has goals behind or at risk and who has had no check-in, assessment or activity "
            f"for {MENTEE_QUIET_DAYS} days. It comes on the day and at the time above, as often as "
            "new goals remind you, and only when there is something to say, even if you have no "
            "plan of your own.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["timezone"]).choices = [
            (name, name.replace("_", " ")) for name in sorted(time_zone_names())
        ]
        if self.instance.pk is None and not self.is_bound:
            # First visit: static/js/reminder-timezone.js picks the browser's zone when it is listed.
            self.fields["timezone"].widget.attrs["data-browser-timezone"] = ""

    def clean_paused_until(self) -> date | None:
        paused_until = self.cleaned_data["paused_until"]
        zone = self.cleaned_data.get("timezone")
        today = local_time(timezone.now(), zone).date() if zone else timezone.localdate()
        if paused_until is not None and paused_until < today:
            raise forms.ValidationError("That date has already passed: pick today or a later date.")
        return paused_until
