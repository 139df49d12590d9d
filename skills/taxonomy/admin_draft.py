"""Drafting a ladder from the catalogue in the admin: pick occupations, name the track, and the
draft goes to the ladder import's own preview (skills.admin_import), where Apply imports it.

The draft is handed over as the preview expects an uploaded file: its YAML text, with its digest,
in the session under the upload's key, so the preview, the Apply and their checks are the upload's
own. Only ladder editors (may_import_ladder) reach the page, as for the upload.
"""

import hashlib

from django import forms
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from skills.admin_import import PENDING
from skills.ladder import dump_ladder, schema_errors
from skills.ladder.writing import may_import_ladder
from skills.taxonomy.drafting import UnknownOccupation, ladder_draft
from skills.taxonomy.models import Standard, TaxonomyOccupation

MAX_OCCUPATIONS = 20  # the roles of one track drafted at once; far above a real ladder


class LadderDraftForm(forms.Form):
    required_css_class = "required"

    standard = forms.ChoiceField(choices=Standard.choices)
    occupations = forms.CharField(
        label="Occupations, lowest role first",
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text="One id a line, as the catalogue's occupations list shows them: ESCO concept URIs "
        "or O*NET-SOC codes. Each becomes a role, at levels 1, 2, 3… in this order.",
    )
    track = forms.CharField(label="Track name", max_length=120)
    chain = forms.BooleanField(label="Add a move from each role to the next", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.document: dict | None = None

    def clean_occupations(self) -> list[str]:
        ids = [line.strip() for line in self.cleaned_data["occupations"].splitlines() if line.strip()]
        if len(ids) > MAX_OCCUPATIONS:
            raise forms.ValidationError(f"At most {MAX_OCCUPATIONS} occupations make one track.")
        twice = sorted({oid for oid in ids if ids.count(oid) > 1})
        if twice:
            raise forms.ValidationError(f"Named twice (each is one role): {', '.join(twice)}.")
        return ids

    def clean(self) -> dict:
        data = self.cleaned_data
        if self.errors:
            return data
        try:
            document = ladder_draft(
                standard=data["standard"],
                occupation_ids=data["occupations"],
                track=data["track"],
                chain=data["chain"],
            )
        except UnknownOccupation as exc:
            label = Standard(data["standard"]).label
            self.add_error(
                "occupations",
                f"No {label} occupation in the catalogue has this id: {', '.join(exc.missing)}.",
            )
            return data
        problems = schema_errors(document)
        if problems:
            raise forms.ValidationError(["The draft does not fit the ladder format:", *problems])
        self.document = document
        return data


def pending_draft(document: dict) -> dict:
    """The draft as the ladder import's preview keeps an uploaded file (skills.admin_import)."""
    text = dump_ladder(document, "yaml")
    name = slugify(document["tracks"][0]["name"]) or "ladder"
    return {
        "name": f"{name}.yaml",
        "text": text,
        "yaml": True,
        "digest": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }


@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, *, site: AdminSite) -> HttpResponse:
    if not may_import_ladder(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = LadderDraftForm(request.POST)
        if form.is_valid() and form.document is not None:
            request.session[PENDING] = pending_draft(form.document)
            return redirect("admin:skills_ladder_import_preview")
    else:
        form = LadderDraftForm(initial=request.GET.dict())
    context = {
        **site.each_context(request),
        "title": "Draft a ladder from occupations",
        "opts": TaxonomyOccupation._meta,
        "form": form,
    }
    return TemplateResponse(request, "admin/skills/taxonomy_draft.html", context)


def draft_urls(site: AdminSite) -> list[URLPattern]:
    return [path("draft/", site.admin_view(draft), {"site": site}, name="skills_taxonomy_draft")]
