"""Importing a ladder file from the admin, without a shell: upload, preview, apply.

The upload is counted as it arrives (base.uploads: nothing past MAX_BYTES is kept), read within
a ladder file's limits by the one document reader (base.documents, through skills.ladder.reading)
and previewed by a dry run of import_ladder
(skills.ladder.preview), so every problem is listed before anything is written. The file's text
then waits in the session with its digest; Apply posts the digest back and imports that text,
so what is applied is the file the preview showed, even if another tab uploaded another since.
Only ladder editors (may_import_ladder) reach these pages: other staff get 403, and the admin
sends everyone else to its sign-in.
"""

import hashlib
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from base.documents import DocumentRefused, decode, too_large
from base.uploads import limit_upload
from skills.ladder.errors import LadderError
from skills.ladder.preview import LadderPreview, preview_ladder
from skills.ladder.reading import LIMITS, MAX_BYTES, SUFFIXES, parse_ladder_text, refusal_lines
from skills.ladder.writing import import_ladder, may_import_ladder
from skills.models import Track

PENDING = "pending_ladder_import"  # the session key of the previewed file


class LadderFileForm(forms.Form):
    required_css_class = "required"  # the admin shows required labels in bold

    file = forms.FileField(
        label="Ladder file",
        help_text=f"A .json, .yaml or .yml file in the ladder format, {MAX_BYTES // (1024 * 1024)} MB "
        "at most: what “Export selected tracks as a ladder file” gives, edited.",
        widget=forms.FileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.problems: list[str] = []
        self.pending: dict | None = None
        self.preview: LadderPreview | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.pending = read_upload(upload)
            self.preview = preview_ladder(document_of(self.pending))
        except LadderError as error:
            self.problems = error.errors
            raise forms.ValidationError(
                "Not imported, nothing was changed: fix the problems listed above and upload the file again.",
                code="refused",
            ) from None
        return upload


def read_upload(upload) -> dict:
    """The uploaded file as the session keeps it: name, text, format and digest; LadderError if
    it is no ladder file skills.ladder.reading would read."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in SUFFIXES:
        raise LadderError(f"unsupported file type {suffix or '(none)'!r}: use .json, .yaml or .yml")
    try:
        if upload.size > MAX_BYTES:  # its bytes past the limit were not kept (base.uploads)
            raise DocumentRefused([(None, too_large(upload.size, LIMITS))])
        text = decode(upload.read(MAX_BYTES + 1), LIMITS)
    except DocumentRefused as refused:
        raise LadderError(refusal_lines(refused)) from None
    return {
        "name": PurePath(upload.name).name,
        "text": text,
        "yaml": suffix != ".json",
        "digest": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }


def document_of(pending: dict) -> dict:
    return parse_ladder_text(pending["text"], yaml_format=pending["yaml"])


# --- Views ---------------------------------------------------------------------------------------


def _context(request: HttpRequest, site: AdminSite, title: str, **extra) -> dict:
    return {**site.each_context(request), "title": title, "opts": Track._meta, **extra}


def _refuse_all_but_ladder_editors(request: HttpRequest) -> None:
    if not may_import_ladder(request.user):
        raise PermissionDenied


def _upload_page(request, site, form, problems=(), file_name="") -> TemplateResponse:
    context = _context(
        request, site, "Import a ladder file", form=form, problems=list(problems), file_name=file_name
    )
    return TemplateResponse(request, "admin/skills/ladder_import.html", context)


@limit_upload(MAX_BYTES)  # outermost: the middleware reads the mark from the view it resolves
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, *, site: AdminSite) -> HttpResponse:
    _refuse_all_but_ladder_editors(request)
    form = LadderFileForm(*(request.POST, request.FILES) if request.method == "POST" else ())
    if request.method == "POST" and form.is_valid():
        request.session[PENDING] = form.pending
        return redirect("admin:skills_ladder_import_preview")
    chosen = request.FILES.get("file")
    return _upload_page(request, site, form, form.problems, chosen.name if chosen else "")


@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, *, site: AdminSite) -> HttpResponse:
    """GET: what the previewed file would change. POST: apply it."""
    _refuse_all_but_ladder_editors(request)
    pending = request.session.get(PENDING)
    if not pending:
        messages.info(request, "Choose the ladder file to import first.")
        return redirect("admin:skills_ladder_import")
    if request.method == "POST" and request.POST.get("digest") != pending["digest"]:
        messages.warning(
            request,
            "Another ladder file was uploaded since that preview: read this preview before applying it.",
        )
        return redirect("admin:skills_ladder_import_preview")
    try:
        if request.method == "POST":
            result = import_ladder(document_of(pending))
            del request.session[PENDING]
            messages.success(request, f"Imported {pending['name']}: {result}.")
            return redirect("admin:skills_track_changelist")
        shown = preview_ladder(document_of(pending))
    except LadderError as error:  # the ladder changed since the upload
        del request.session[PENDING]
        return _upload_page(request, site, LadderFileForm(), error.errors, pending["name"])
    context = _context(request, site, "Preview of the ladder import", preview=shown, pending=pending)
    return TemplateResponse(request, "admin/skills/ladder_import_preview.html", context)


def ladder_import_urls(site: AdminSite) -> list[URLPattern]:
    """The pages, behind the admin's sign-in (admin_view); named outside the admin's
    <app>_<model>_ names, as they are no page of one model."""
    return [
        path("import/", site.admin_view(upload), {"site": site}, name="skills_ladder_import"),
        path(
            "import/preview/", site.admin_view(preview), {"site": site}, name="skills_ladder_import_preview"
        ),
    ]
