"""Deleting one's account: after signing in again (allauth's reauthentication, on GET too), a page
offers the export, says what goes and what stays, and asks for an explicit yes."""

from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import get_authentication_records
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.deletion import account_delete
from accounts.forms import AccountDeleteForm
from base.http import AuthenticatedHttpRequest


def signed_in_address(request: AuthenticatedHttpRequest) -> str:
    """The address the person signed in with in this session (allauth records it), else their
    primary one."""
    records = get_authentication_records(request, request.user)
    return next((r["email"] for r in reversed(records) if r.get("email")), request.user.email)


@login_required
@reauthentication_required
def account_delete_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Bound on every POST: an empty one (the box left unticked) is an error, not a fresh form.
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    address = signed_in_address(request)
    if request.method == "POST" and form.is_valid():
        account_delete(user=request.user, address=address)
        logout(request)
        messages.success(
            request, f"Your account and its plans are deleted. A confirmation is on its way to {address}."
        )
        return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form, "address": address})
