"""The links in reminder emails: a signed check-in link and the one-click unsubscribe.

Both carry a signed token (django.core.signing), never a bare id. The check-in link still needs
the goal's owner signed in; the unsubscribe link works without a sign-in, takes effect only on
POST (mail scanners open links with GET) and is the one view exempt from CSRF, as RFC 8058
one-click unsubscribe requires. An unsubscribe link works for UNSUBSCRIBE_MAX_AGE (180 days) and
ends early when its person resubscribes (ReminderSettings.unsubscribe_link_ended): a digest from
before then no longer turns reminders off.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from goals import services
from goals.models import Goal, ReminderSettings
from goals.reminders.tokens import read_check_in_link, read_unsubscribe_link


@login_required
def check_in_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        payload = read_check_in_link(token)
    except signing.SignatureExpired:
        return render(request, "goals/link_refused.html", {"expired": True}, status=410)
    except signing.BadSignature as error:
        raise Http404("Not a check-in link.") from error
    goal = Goal.objects.for_owner(request.user).filter(pk=payload.get("goal")).first()
    if goal is None:  # another person's goal, or one deleted since: the same answer
        raise Http404("No such goal.")
    return redirect(reverse("goals:check_in_add", args=[goal.pk]))


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user_id, signed_at = read_unsubscribe_link(token)
        user = get_user_model().objects.get(pk=user_id)
    except signing.SignatureExpired:
        return render(request, "goals/link_refused.html", {"expired": True, "unsubscribe": True}, status=410)
    except (signing.BadSignature, get_user_model().DoesNotExist):
        return render(request, "goals/link_refused.html", {"expired": False}, status=404)
    if ReminderSettings.for_user(user).unsubscribe_link_ended(signed_at):
        return render(request, "goals/link_refused.html", {"resubscribed": True}, status=410)
    if request.method == "POST":
        services.reminder_unsubscribe(user=user)
        return render(request, "goals/unsubscribed.html", {"done": True, "email": user.email})
    return render(request, "goals/unsubscribed.html", {"done": False, "email": user.email})
