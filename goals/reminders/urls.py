from django.urls import path

from goals.reminders.links import check_in_link, unsubscribe
from goals.reminders.views import (
    reminder_preview_html,
    reminder_resubscribe_post,
    reminder_send_now_post,
    reminder_settings,
    reminder_unsubscribe_post,
)

urlpatterns = [
    path("reminders/", reminder_settings, name="reminder_settings"),
    path("reminders/unsubscribe/", reminder_unsubscribe_post, name="reminder_unsubscribe"),
    path("reminders/resubscribe/", reminder_resubscribe_post, name="reminder_resubscribe"),
    path("reminders/preview/", reminder_preview_html, name="reminder_preview"),
    path("reminders/send-now/", reminder_send_now_post, name="reminder_send_now"),
    # The links in a digest: they work without signing in (goals.reminders.digest signs them).
    path("check-in/<str:token>/", check_in_link, name="check_in_link"),
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
]
