"""A person's data, to take away and to bring back (goals.portability.export; importing:
goals.portability.reading, checking, preview, writing and throttle).

Downloads: everything, from the account page, and one plan, from its page; the owner's alone (a
mentor who reads the plan gets 403). Import: upload a file, see what it would add and what this
CareerPath lacks, then import it, in one transaction. The upload checks the file once; the checked
file and what the check found wait in the database (goals.models.PendingImport) for the review,
which shows that and posts the file's digest back, so Import imports the file its review showed.
Import looks again only at what the database may have changed since (goals.portability.preview.survey).
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from base.http import AuthenticatedHttpRequest
from base.uploads import limit_upload
from base.words import counted
from goals.models import PendingImport
from goals.portability.export import dump, export_person, export_plan
from goals.portability.forms import ImportChoiceForm, ImportForm
from goals.portability.preview import Preview, pending_import_save, survey
from goals.portability.reading import MAX_BYTES, ImportRefused
from goals.portability.throttle import IMPORTS, UPLOADS, TooManyAttempts, import_attempt
from goals.portability.writing import import_document
from plans.access import get_plan_for_user
from skills.ladder.writing import may_import_ladder


def _download(document: dict, filename: str) -> HttpResponse:
    response = HttpResponse(dump(document), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def export_everything(request: HttpRequest) -> HttpResponse:
    return _download(export_person(request.user), f"careerpath-{timezone.localdate().isoformat()}.json")


@login_required
@require_safe
def export_one_plan(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, plan_pk, write=True)
    name = slugify(plan.title)[:60] or "plan"
    return _download(export_plan(plan), f"careerpath-{name}-{timezone.localdate().isoformat()}.json")


@limit_upload(MAX_BYTES)  # outermost: the middleware reads the mark from the view it resolves
@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            import_attempt(user=request.user, limit=UPLOADS)
        except TooManyAttempts as refused:
            messages.error(request, str(refused))
            return render(
                request, "goals/import_upload.html", {"form": ImportForm(user=request.user)}, status=429
            )
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        assert form.preview is not None  # a valid form checked its file
        pending_import_save(user=request.user, text=form.text, digest=form.digest, preview=form.preview)
        return redirect("goals:import_confirm")
    return render(request, "goals/import_upload.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def import_confirm(request: HttpRequest) -> HttpResponse:
    """GET: what the uploaded file would add, as its check found it. POST: import that file."""
    pending = PendingImport.objects.waiting_for(request.user, now=timezone.now()).defer("document").first()
    if pending is None:
        messages.info(request, "Choose the file to import first.")
        return redirect("goals:import")
    editor, status = may_import_ladder(request.user), 200
    choice = ImportChoiceForm(request.POST or None, may_import_ladder=editor)
    if request.method == "POST" and choice.is_valid():
        if request.POST.get("digest") != pending.digest:
            messages.warning(
                request, "Another file was uploaded since that review: read this one before importing."
            )
            return redirect("goals:import_confirm")
        try:
            import_attempt(user=request.user, limit=IMPORTS)
        except TooManyAttempts as refused:
            messages.error(request, str(refused))
            status = 429
        else:
            return _import_pending(
                request, pending, with_ladder=choice.cleaned_data["ladder"] == choice.IMPORT
            )
    context = {
        "preview": Preview.from_summary(pending.preview),
        "digest": pending.digest,
        "choice": choice,
        "editor": editor,
    }
    return render(request, "goals/import_confirm.html", context, status=status)


def _import_pending(request: HttpRequest, pending: PendingImport, *, with_ladder: bool) -> HttpResponse:
    document = json.loads(PendingImport.objects.values_list("document", flat=True).get(pk=pending.pk))
    try:
        as_it_stands = survey(document, user=request.user).summary()
        if as_it_stands != pending.preview:  # another import, or a ladder change, since the review
            PendingImport.objects.filter(pk=pending.pk).update(preview=as_it_stands)
            messages.warning(
                request, "This CareerPath changed since that review: read it again before importing."
            )
            return redirect("goals:import_confirm")
        report = import_document(document, user=request.user, with_ladder=with_ladder, validated=True)
    except ImportRefused as refused:  # the ladder changed since the upload, or the ladder import failed
        pending.delete()
        form = ImportForm(user=request.user)
        form.add_error(None, ["Nothing was imported:", *refused.problems])
        return render(request, "goals/import_upload.html", {"form": form}, status=422)
    pending.delete()
    _say_what_was_imported(request, report)
    return redirect("plans:list")


@login_required
@require_http_methods(["POST"])
def import_cancel(request: AuthenticatedHttpRequest) -> HttpResponse:
    PendingImport.objects.filter(user=request.user).delete()
    messages.info(request, "Nothing was imported.")
    return redirect("accounts:account")


def _say_what_was_imported(request: HttpRequest, report) -> None:
    if report.plans:
        titles = ", ".join(f"“{plan.title}”" for plan in report.plans)
        messages.success(
            request, f"Imported {counted(len(report.plans), 'plan', 'plans', spelled=False)}: {titles}."
        )
    if report.known_plans:
        titles = ", ".join(f"“{title}”" for title in report.known_plans)
        messages.info(request, f"Already in your account, so not imported again: {titles}.")
    if report.left_out:
        messages.info(
            request,
            "Left out, as this CareerPath lacks their ladder entries: " + "; ".join(report.left_out) + ".",
        )
    if report.ladder:
        messages.info(request, f"Ladder: {report.ladder}.")
    if not report.plans and not report.known_plans:
        messages.warning(request, "The file held no plan this CareerPath could import.")
