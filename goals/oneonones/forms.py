"""1:1 forms: when, and what either side writes. Forms validate and convert; views save through
goals.oneonones.services or, for a single row, the form."""

from datetime import datetime, time
from typing import cast
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from accounts.names import display_name
from base.forms import bounded_text
from goals.oneonones.models import ActionItem, OneOnOne, OneOnOneNote, TalkingPoint
from plans.fields import DATE_INPUT
from plans.forms_records import kind_choices
from plans.sharing.models import Share


class OneOnOneForm(forms.ModelForm):
    """A date and a time in the person's own time zone (their reminder settings), stored in UTC."""

    day = forms.DateField(
        label="Date", widget=DATE_INPUT, error_messages={"required": "Pick the day of the 1:1."}
    )
    at = forms.TimeField(
        label="Time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Pick the time of the 1:1.", "invalid": "Enter a time such as 14:30."},
    )
    share = forms.ModelChoiceField(
        queryset=Share.objects.none(),
        label="With",
        empty_label=None,
        help_text="A mentor who accepted your invitation.",
    )

    field_order = ["share", "day", "at", "minutes"]

    class Meta:
        model = OneOnOne
        fields = ["minutes"]
        labels = {"minutes": "Length"}

    def __init__(self, *args, shares: list[Share], time_zone: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        field = cast(forms.ModelChoiceField, self.fields["share"])
        field.queryset = Share.objects.filter(pk__in=[share.pk for share in shares])
        field.label_from_instance = lambda share: display_name(share.user)  # type: ignore[method-assign, assignment]
        if len(shares) == 1:  # nothing to choose: the page names them
            del self.fields["share"]
            self.instance.share = shares[0]
        self.fields["at"].help_text = f"Your time zone: {time_zone}."

    def clean(self) -> dict:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean() returns its cleaned_data
        day, at = cleaned.get("day"), cleaned.get("at")
        if day and at:
            self.instance.starts_at = timezone.make_aware(
                datetime.combine(day, time(at.hour, at.minute)), ZoneInfo(self.time_zone)
            )
        if cleaned.get("share"):
            self.instance.share = cleaned["share"]
        return cleaned


class TalkingPointForm(forms.ModelForm):
    # The 1:1 page holds three forms: each its own ids (talking point and action item both have "text").
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **{"auto_id": "point_%s", **kwargs})

    class Meta:
        model = TalkingPoint
        fields = ["text"]
        labels = {"text": "Talking point"}
        error_messages = {"text": {"required": "Write the talking point first."}}


class NoteForm(forms.ModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **{"auto_id": "note_%s", **kwargs})

    class Meta:
        model = OneOnOneNote
        fields = ["body"]
        formfield_callback = bounded_text
        labels = {"body": "Note"}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"body": {"required": "Write the note first."}}


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["text", "becomes", "activity_kind", "due_on"]
        labels = {
            "text": "Action item",
            "becomes": "On the plan it becomes",
            "activity_kind": "Kind of activity",
            "due_on": "Due by",
        }
        help_texts = {"activity_kind": "Only for an activity."}
        widgets = {"becomes": forms.RadioSelect, "due_on": DATE_INPUT}
        error_messages = {
            "text": {"required": "Say what is to be done."},
            "due_on": {"required": "By when? Pick a date."},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **{"auto_id": "item_%s", **kwargs})
        kind = cast(forms.ChoiceField, self.fields["activity_kind"])
        kind.choices = kind_choices()[1:]
        kind.required = False  # read only for an activity; the model's default otherwise

    def clean_activity_kind(self) -> str:
        return (
            self.cleaned_data.get("activity_kind")
            or ActionItem._meta.get_field("activity_kind").get_default()
        )

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on <= timezone.localdate():
            raise forms.ValidationError(
                "Pick a day after today: a goal needs time between its start and deadline."
            )
        return due_on
