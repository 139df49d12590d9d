"""A person's reminder settings: time zone, day and hour, default cadence, pause, unsubscribe; a
preview of their next digest and "Send it to me now" (goals.reminders.preview).

There is no id in these URLs: each signed-in person reads and changes only their own settings and
sees only their own digest.
"""

from typing import cast

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from base.http import AuthenticatedHttpRequest
from base.words import listed
from goals import services
from goals.models import ReminderSettings
from goals.reminders.forms import ReminderSettingsForm
from goals.reminders.preview import SEND_NOW_LIMIT, SendNowRefused, digest_send_now, next_digest
from goals.reminders.schedule import local_time


def _next_digest_context(request: AuthenticatedHttpRequest, prefs: ReminderSettings) -> dict:
    upcoming = next_digest(request.user, prefs, now=timezone.now())
    context: dict = {"why_none": upcoming.why_none, "next_reminder": None, "preview": None}
    if upcoming.at is not None and upcoming.digest is not None:
        context["next_reminder"] = local_time(upcoming.at, prefs.timezone)
        context["reasons"] = listed(upcoming.digest.reasons())
        if upcoming.says_something:
            context["preview"], _ = upcoming.digest.render(now=upcoming.at)
            context["send_now_left"] = SEND_NOW_LIMIT.remaining(request.user.pk)
    return context


@login_required
def reminder_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    prefs = ReminderSettings.for_user(request.user)
    # Read what is stored before the form writes the submitted values onto the same instance.
    context = {
        "timezone_name": prefs.timezone,
        "paused_until": prefs.paused_until if prefs.is_paused() else None,
        "unsubscribed": not prefs.receives_reminders,
        "first_visit": prefs.pk is None,
        "mentor_digest": prefs.mentor_digest,
        **_next_digest_context(request, prefs),
    }
    form = ReminderSettingsForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        services.reminder_settings_save(user=request.user, **form.cleaned_data)
        messages.success(request, "Reminder settings saved. Your goals' next reminders moved to match.")
        return redirect("goals:reminder_settings")
    return render(request, "goals/reminder_settings.html", {**context, "form": form})


@login_required
@require_POST
def reminder_unsubscribe_post(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.reminder_unsubscribe(user=request.user)
    messages.success(request, "You are unsubscribed: we won't email you reminders until you resubscribe.")
    return redirect("goals:reminder_settings")


@login_required
@require_POST
def reminder_resubscribe_post(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.reminder_resubscribe(user=request.user)
    messages.success(request, "Welcome back: reminder emails are on again.")
    return redirect("goals:reminder_settings")


# The preview's HTML is the email's own, inline styles and all: served alone, sandboxed (no script,
# no form, no plugin runs), and never framed.
EMAIL_POLICY = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "img-src": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
    "base-uri": [NONE],
    "sandbox": True,
}


@login_required
@require_GET
@csp(EMAIL_POLICY)
def reminder_preview_html(request: HttpRequest) -> HttpResponse:
    """Their next digest as its HTML part shows it; 404 when no digest is coming."""
    user = cast(User, request.user)  # signed in (login_required); csp() types its view with HttpRequest
    prefs = ReminderSettings.for_user(user)
    upcoming = next_digest(user, prefs, now=timezone.now())
    if upcoming.at is None or upcoming.digest is None or not upcoming.says_something:
        raise Http404("No digest is coming.")
    rendered, _ = upcoming.digest.render(now=upcoming.at)
    return HttpResponse(rendered.html)


@login_required
@require_POST
def reminder_send_now_post(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        digest_send_now(user=request.user)
    except SendNowRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Your digest is on its way to {request.user.email}.")
    return redirect("goals:reminder_settings")
