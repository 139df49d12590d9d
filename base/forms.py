"""Form pieces every app's forms share. Imports no app."""

from typing import Any

from django import forms
from django.db import models

from base.document_limits import MAX_TEXT

TEXT_TOO_LONG = (
    f"Keep it to {MAX_TEXT:,} characters at most (this is %(show_value)s): longer text could not be "
    "exported and imported again."
)


def bounded_text(db_field: "models.Field[Any, Any]", **kwargs: Any) -> forms.Field | None:
    """A ModelForm's field for ``db_field`` (its Meta.formfield_callback): a TextField takes at
    most MAX_TEXT characters, the longest text an export or a ladder file may hold, with a field
    error that says so (and a maxlength the browser keeps to)."""
    if isinstance(db_field, models.TextField) and not db_field.choices:
        kwargs.setdefault("max_length", MAX_TEXT)
        kwargs["error_messages"] = {"max_length": TEXT_TOO_LONG, **kwargs.get("error_messages", {})}
    return db_field.formfield(**kwargs)
