"""The account page: the name others see, and links to the rest of the account (allauth's pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.forms import DisplayNameForm


@login_required
def account_page(request: HttpRequest) -> HttpResponse:
    form = DisplayNameForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved: you are shown as {form.instance.first_name}.")
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form})
