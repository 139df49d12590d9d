"""A person's reminder settings: time zone, day and hour, default cadence, pause, unsubscribe.

There is no id in these URLs: each signed-in person reads and changes only their own settings.
"""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from base.http import AuthenticatedHttpRequest
from goals import services
from goals.models import Goal, ReminderSettings
from goals.reminders.forms import ReminderSettingsForm
from goals.reminders.schedule import local_time


def _next_reminder(user, prefs: ReminderSettings) -> tuple[datetime | None, str]:
    """Their earliest reminder on their own clock, or why none is scheduled."""
    if not prefs.receives_reminders:
        return None, "You have unsubscribed from reminder emails."
    active = Goal.objects.for_owner(user).filter(status=Goal.Status.ACTIVE)
    earliest = active.filter(next_reminder_at__isnull=False).order_by("next_reminder_at")
    next_at = earliest.values_list("next_reminder_at", flat=True).first()
    if next_at is not None:
        return local_time(next_at, prefs.timezone), ""
    if not active.exists():
        return None, "You have no active goals to be reminded about."
    if not active.exclude(reminder_cadence=Goal.Cadence.NEVER).exists():
        return None, "None of your active goals asks for reminders: each is set to “No reminders”."
    return None, "Your goals get their next reminder time when you next check in on them."


@login_required
def reminder_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    prefs = ReminderSettings.for_user(request.user)
    # Read what is stored before the form writes the submitted values onto the same instance.
    next_at, no_reminder_reason = _next_reminder(request.user, prefs)
    context = {
        "timezone_name": prefs.timezone,
        "paused_until": prefs.paused_until if prefs.is_paused() else None,
        "unsubscribed": not prefs.receives_reminders,
        "first_visit": prefs.pk is None,
        "next_reminder": next_at,
        "no_reminder_reason": no_reminder_reason,
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
