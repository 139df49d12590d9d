"""Sharing a plan with a mentor or manager, and their comments.

The owner invites people by email (a Share with a token); an invitee reads the plan once they
open the link signed in with a verified address equal to the invited one. Owner and mentors
comment on the plan page.
"""

import logging
import smtplib

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from plans import views
from plans.access import get_plan_for_user, is_owner
from plans.forms_sharing import CommentForm, InviteForm
from plans.models import CareerPlan, Comment, Share

logger = logging.getLogger(__name__)


def sharing_context(request: HttpRequest, plan: CareerPlan, comment_form: CommentForm | None = None) -> dict:
    """What the plan page shows of sharing: the invitations (owner only) and the comments.

    Two queries at most, whatever the number of shares and comments.
    """
    return {
        "shares": list(plan.shares.select_related("user")) if is_owner(request, plan) else [],
        "comments": list(plan.comments.select_related("author")),
        "comment_form": comment_form or CommentForm(),
    }


# --- Email -------------------------------------------------------------------------


def _send(*, template: str, context: dict, to: list[str], reply_to: list[str] | None = None) -> None:
    """One email from a subject / text / HTML trio under templates/emails/."""
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to, reply_to=reply_to)
    message.attach_alternative(html, "text/html")
    message.send()


def invitation_url(share: Share) -> str:
    return settings.SITE_URL + reverse("plans:invitation_accept", args=[share.token])


def invitation_send(*, share: Share) -> bool:
    """Email the invitation; False (and logged) if the mail server refused or was unreachable."""
    owner = share.plan.owner
    context = {
        "plan": share.plan,
        "owner_email": owner.email,
        "message": share.message,
        "accept_url": invitation_url(share),
    }
    try:
        _send(template="plan_invitation", context=context, to=[share.email], reply_to=[owner.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the invitation for share %s", share.pk)
        return False
    return True


def comment_notify_owner(*, comment: Comment) -> None:
    """Tell the owner a mentor commented. The comment is saved either way."""
    plan = comment.plan
    context = {
        "plan": plan,
        "comment": comment,
        "author_email": comment.author.email,
        "plan_url": settings.SITE_URL + plan.get_absolute_url() + "#comments",
    }
    try:
        _send(template="plan_comment", context=context, to=[plan.owner.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not email the owner about comment %s", comment.pk)


# --- Owner: invite, list, resend, revoke -------------------------------------------------


@login_required
def share_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True, queryset=CareerPlan.objects.select_related("owner"))
    form = InviteForm(request.POST if request.method == "POST" else None, plan=plan)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            with transaction.atomic():
                share = Share.objects.create(plan=plan, email=email, message=form.cleaned_data["message"])
        except IntegrityError:  # the same address invited twice at the same moment
            form.add_error("email", "You have already invited this address to this plan.")
        else:
            if invitation_send(share=share):
                messages.success(request, f"Invitation sent to {email}.")
            else:
                messages.warning(
                    request,
                    f"The invitation for {email} is saved, but the email could not be sent. Resend it later.",
                )
            return redirect("plans:share_list", pk=plan.pk)
    shares = list(plan.shares.select_related("user"))
    return render(request, "plans/share_list.html", {"plan": plan, "form": form, "shares": shares})


@login_required
@require_POST
def share_resend(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True, queryset=CareerPlan.objects.select_related("owner"))
    share = get_object_or_404(plan.shares, pk=share_pk)
    if share.user_id:  # accepted
        messages.info(request, f"{share.email} has already accepted the invitation.")
    elif invitation_send(share=share):
        messages.success(request, f"Invitation sent to {share.email} again.")
    else:
        messages.warning(request, f"The email to {share.email} could not be sent. Try again later.")
    return redirect("plans:share_list", pk=plan.pk)


@login_required
@require_POST
def share_revoke(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True)
    share = get_object_or_404(plan.shares, pk=share_pk)
    share.delete()
    messages.success(request, f"{share.email} no longer has access to “{plan.title}”.")
    return redirect("plans:share_list", pk=plan.pk)


# --- Invitee: accept ----------------------------------------------------------------------


@login_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    share = get_object_or_404(Share.objects.select_related("plan__owner"), token=token)
    plan = share.plan
    if share.user_id == request.user.pk or plan.owner_id == request.user.pk:
        return redirect(plan)
    addresses = EmailAddress.objects.filter(user=request.user, email__iexact=share.email)
    if share.user_id is None and addresses.filter(verified=True).exists():
        # Conditional update: of two sessions accepting at once, only one binds the share.
        bound = Share.objects.filter(pk=share.pk, user__isnull=True).update(
            user=request.user, accepted_at=timezone.now()
        )
        if bound:
            messages.success(request, f"You can now read {plan.owner.email}'s plan “{plan.title}”.")
            return redirect(plan)
        share.refresh_from_db()
        if share.user_id == request.user.pk:
            return redirect(plan)
    context = {
        "share": share,
        "invitation_path": request.get_full_path(),
        "unverified": share.user_id is None and addresses.filter(verified=False).exists(),
    }
    return render(request, "plans/invitation_refused.html", context, status=403)


# --- Comments ---------------------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    # Readers (the owner and mentors with access) may comment; anyone else gets 404.
    plan = get_plan_for_user(request, pk, queryset=CareerPlan.objects.select_related("owner"))
    form = CommentForm(request.POST)
    if not form.is_valid():
        return views.plan_detail(request, pk, comment_form=form)
    comment = form.save(commit=False)
    comment.plan, comment.author = plan, request.user
    comment.save()
    if not is_owner(request, plan):
        comment_notify_owner(comment=comment)
    messages.success(request, "Comment posted.")
    return redirect(plan.get_absolute_url() + "#comments")


urlpatterns: list = [
    path("<int:pk>/sharing/", share_list, name="share_list"),
    path("<int:pk>/sharing/<int:share_pk>/resend/", share_resend, name="share_resend"),
    path("<int:pk>/sharing/<int:share_pk>/revoke/", share_revoke, name="share_revoke"),
    path("<int:pk>/comments/", comment_add, name="comment_add"),
    path("invitations/<str:token>/", invitation_accept, name="invitation_accept"),
]
