"""Sharing a plan with a mentor or manager, and their comments.

The owner invites people by email (a Share with a token); the link shows anyone who opens it who
invited them to which plan, and an invitee reads the plan once they open it signed in with a
verified address equal to the invited one. Owner and mentors comment on the plan page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts.names import display_name
from base.http import AuthenticatedHttpRequest
from plans.access import get_plan_for_user
from plans.models import CareerPlan
from plans.page import render_plan_page
from plans.sharing import services
from plans.sharing.forms import CommentForm, InviteForm
from plans.sharing.models import INVITATION_DAYS, Share

# --- Owner: invite, list, resend, revoke -------------------------------------------------


@login_required
def share_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True, queryset=CareerPlan.objects.select_related("owner"))
    form = InviteForm(request.POST if request.method == "POST" else None, plan=plan)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.share_invite(
                plan=plan,
                email=email,
                message=form.cleaned_data["message"],
                may_rate=form.cleaned_data["may_rate"],
            )
        except services.AlreadyInvited:
            form.add_error("email", "You have already invited this address to this plan.")
        except services.InvitationLimit as limit:
            form.add_error(None, str(limit))
        else:
            messages.success(request, f"Invitation sent to {email}.")
            return redirect("plans:share_list", pk=plan.pk)
    shares = list(plan.shares.select_related("user"))
    return render(request, "plans/share_list.html", {"plan": plan, "form": form, "shares": shares})


@login_required
@require_POST
def share_resend_post(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True, queryset=CareerPlan.objects.select_related("owner"))
    share = get_object_or_404(plan.shares, pk=share_pk)
    if share.user_id:  # accepted
        messages.info(request, f"{share.email} has already accepted the invitation.")
    else:
        try:
            services.share_resend(share=share)
        except services.InvitationLimit as limit:
            messages.error(request, str(limit))
        else:
            messages.success(request, f"Invitation sent to {share.email} again.")
    return redirect("plans:share_list", pk=plan.pk)


@login_required
@require_POST
def share_revoke(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, write=True)
    share = get_object_or_404(plan.shares.select_related("user"), pk=share_pk)
    services.share_revoke(share=share)
    who = display_name(share.user) if share.user_id else share.email
    messages.success(request, f"{who} no longer has access to “{plan.title}”.")
    return redirect("plans:share_list", pk=plan.pk)


# --- Invitee: accept ----------------------------------------------------------------------


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link sees who invited them to which plan, with sign-up (the invited address
    filled in) and sign-in on the way back here; signed in, the invitation binds to them only if
    they hold a verified address equal to the invited one."""
    share = get_object_or_404(
        Share.objects.select_related("plan__owner", "plan__current_role", "plan__target_role"), token=token
    )
    if share.is_expired() and not share.plan.is_owned_by(request.user):
        context = {"owner_name": display_name(share.plan.owner), "days": INVITATION_DAYS}
        return render(request, "plans/invitation_expired.html", context, status=410)
    if not request.user.is_authenticated:
        return render(request, "plans/invitation_landing.html", invitation_landing_context(request, share))
    plan = share.plan
    already = share.user_id == request.user.pk or plan.is_owned_by(request.user)
    if services.share_accept(share=share, user=request.user):
        if not already:
            messages.success(request, f"You can now read {display_name(plan.owner)}'s plan “{plan.title}”.")
        return redirect(plan)
    context = {
        "share": share,
        "invitation_path": request.get_full_path(),
        "unverified": share.user_id is None and bool(share.invitee_addresses(request.user)),
    }
    return render(request, "plans/invitation_refused.html", context, status=403)


def invitation_landing_context(request: HttpRequest, share: Share) -> dict:
    back = {"next": request.path}
    return {
        "share": share,
        "plan": share.plan,
        "inviter": display_name(share.plan.owner),
        "accepted": share.user_id is not None,
        "signup_url": reverse("account_signup") + "?" + urlencode({"email": share.email, **back}),
        "login_url": reverse("account_login") + "?" + urlencode(back),
    }


# --- Comments ---------------------------------------------------------------------------------


@login_required
@require_POST
def comment_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Readers (the owner and mentors with access) may comment; anyone else gets 404.
    plan = get_plan_for_user(request, pk, queryset=CareerPlan.objects.select_related("owner"))
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render_plan_page(request, pk, comment_form=form)
    services.comment_add(plan=plan, author=request.user, body=form.cleaned_data["body"])
    messages.success(request, "Comment posted.")
    return redirect(plan.get_absolute_url() + "#comments")
