from django.urls import path

from goals.calendar.views import calendar_feed, calendar_regenerate, calendar_settings

urlpatterns = [
    path("calendar/", calendar_settings, name="calendar_settings"),
    path("calendar/regenerate/", calendar_regenerate, name="calendar_regenerate"),
    # secrets.token_urlsafe() draws from exactly the slug alphabet.
    path("calendar/<slug:token>.ics", calendar_feed, name="calendar_feed"),
]
