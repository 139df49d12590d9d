"""The import form: an export file, checked whole (goals.portability.checking) before anything is written."""

import hashlib
from typing import cast

from django import forms

from base.documents import too_large
from goals.portability.checking import check
from goals.portability.preview import Preview
from goals.portability.reading import LIMITS, MAX_BYTES, ImportRefused, read_document, read_text

# A long list of problems is cut here, with how many more there are.
SHOWN_PROBLEMS = 20


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Export file",
        help_text=f"A CareerPath export (.json), {MAX_BYTES // (1024 * 1024)} MB at most: what "
        "“Download everything” or a plan's “Export” gives.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.preview: Preview | None = None
        self.text = self.digest = ""  # the checked file, and its SHA-256

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            if upload.size > MAX_BYTES:
                raise ImportRefused(too_large(upload.size, LIMITS))
            raw = upload.read()  # at most MAX_BYTES: an upload past it arrives empty (base.uploads)
            text = read_text(raw)
            self.preview = check(read_document(text), user=self.user)
            self.text, self.digest = text, hashlib.sha256(raw).hexdigest()
        except ImportRefused as refused:
            problems = refused.problems
            if len(problems) > SHOWN_PROBLEMS:
                problems = problems[:SHOWN_PROBLEMS] + [
                    f"… and {len(problems) - SHOWN_PROBLEMS} more problems."
                ]
            raise forms.ValidationError(
                ["Nothing was imported. The file cannot be imported as it is:", *problems], code="refused"
            ) from None
        return upload


class ImportChoiceForm(forms.Form):
    """What to do with the ladder entries this instance lacks: skip them, or (a ladder editor)
    import them from the file."""

    SKIP, IMPORT = "skip", "import"
    ladder = forms.ChoiceField(
        label="Ladder entries this CareerPath lacks",
        choices=[
            (SKIP, "Skip them: import the rest, without what is listed above"),
            (IMPORT, "Import them from the file into this CareerPath's ladder (you are a ladder editor)"),
        ],
        initial=SKIP,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, may_import_ladder: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not may_import_ladder:
            ladder = cast(forms.ChoiceField, self.fields["ladder"])
            ladder.choices = cast(list[tuple[str, str]], ladder.choices)[:1]  # the field keeps a list
