"""The personal access tokens page (linked from the account page): make one, see it once, see
when each was last used, revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from api.models import DEFAULT_DAYS, MAX_DAYS, AccessToken
from api.tokens import token_create, token_revoke
from base.http import AuthenticatedHttpRequest


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, such as “habit tracker script”.")
    can_write = forms.BooleanField(
        label="May also write",
        required=False,
        help_text="Add, change and delete goals, check-ins, activities and certifications; add milestones; "
        "comment on your plans and those shared with you. "
        "Without it the token only reads.",
    )
    days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=f"At most {MAX_DAYS} days.",
    )
    revoke_on_password_change = forms.BooleanField(
        label="Revoke it when I change my password", required=False, initial=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def tokens_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _, secret = token_create(user=request.user, **form.cleaned_data)
        form = TokenForm()
    tokens = AccessToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "secret": secret})


@login_required
@require_POST
def token_revoke_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    token_revoke(token=token)
    messages.success(request, f"Revoked “{token.name}”: it no longer opens the API.")
    return redirect("tokens:list")
