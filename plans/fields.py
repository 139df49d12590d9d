"""Form fields and widgets that plans and goals share, so each is defined once."""

from django import forms

from skills.models import EARLIEST_DATE, LATEST_DATE, Role

# A native date picker; the ISO format is the one <input type="date"> reads and sends. Its bounds
# are the models' (skills.models.DATE_BOUNDS), which the server checks whatever the browser does.
DATE_INPUT = forms.DateInput(
    attrs={"type": "date", "min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()},
    format="%Y-%m-%d",
)


class RoleChoiceField(forms.ModelChoiceField):
    """A role picker that names the role's track and level, since titles repeat across ladders."""

    def label_from_instance(self, role: Role) -> str:
        return f"{role.title} — {role.track.name}, level {role.level}"
