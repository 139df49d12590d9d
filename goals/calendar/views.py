"""The private iCalendar feed of goal deadlines, milestones and certification target dates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from goals.calendar.feed import build_calendar, feed_urls
from goals.models import CalendarFeed


@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    feed, _ = CalendarFeed.objects.get_or_create(user=request.user)
    feed_url, webcal_url = feed_urls(feed)
    return render(request, "goals/calendar_settings.html", {"feed_url": feed_url, "webcal_url": webcal_url})


@login_required
@require_POST
def calendar_regenerate(request: HttpRequest) -> HttpResponse:
    feed, _ = CalendarFeed.objects.get_or_create(user=request.user)
    feed.regenerate()
    messages.success(
        request,
        "New link created. Calendars subscribed with the old link stop updating: "
        "remove that subscription and subscribe again with the link below.",
    )
    return redirect("goals:calendar_settings")


# No login: calendar apps cannot sign in, so the unguessable token is the credential.
# private: a shared cache must never hand one person's feed to another.
@require_safe
@cache_control(private=True, max_age=300)
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token, user__is_active=True)
    response = HttpResponse(build_calendar(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="careerpath.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
