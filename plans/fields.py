"""Form fields and widgets that plans and goals share, so each is defined once."""

from django import forms

from base.params import parse_id
from skills.models import EARLIEST_DATE, LATEST_DATE, Role

# A native date picker; the ISO format is the one <input type="date"> reads and sends. Its bounds
# are the models' (skills.models.DATE_BOUNDS), which the server checks whatever the browser does.
DATE_INPUT = forms.DateInput(
    attrs={"type": "date", "min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()},
    format="%Y-%m-%d",
)


def _refuse_non_ids(field, values) -> None:
    """A choice that is no id (base.params.parse_id: ASCII digits, at most 18 of them) is an
    invalid choice before it reaches the database, where 2**63 overflows SQLite and a number past
    2**31 is a DataError on PostgreSQL: both were 500s."""
    for value in values:
        if value in field.empty_values or isinstance(value, field.queryset.model):
            continue
        if parse_id(value if isinstance(value, int) else str(value)) is None:
            raise forms.ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )


class IdChoiceField(forms.ModelChoiceField):
    """ModelChoiceField that refuses what is no id before querying (ModelForms: Meta.field_classes)."""

    def to_python(self, value):
        _refuse_non_ids(self, [value])
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that refuses what is no id before querying."""

    def _check_values(self, value):
        _refuse_non_ids(self, value)
        return super()._check_values(value)


class RoleChoiceField(IdChoiceField):
    """A role picker that names the role's track and level, since titles repeat across ladders."""

    def label_from_instance(self, role: Role) -> str:
        return f"{role.title} — {role.track.name}, level {role.level}"
