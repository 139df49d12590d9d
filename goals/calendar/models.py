"""A person's private iCalendar feed of their deadlines and milestones (goals.calendar.feed)."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private iCalendar feed; regenerating the token cuts off old subscriptions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("goals:calendar_feed", args=[self.token])

    def regenerate(self) -> None:
        self.token = new_feed_token()
        self.save(update_fields=["token"])
