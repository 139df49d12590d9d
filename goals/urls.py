from goals import (
    views,
    views_calendar,
    views_deletion,
    views_export,
    views_links,
    views_progress,
    views_reminders,
)

app_name = "goals"

urlpatterns = [
    *views.urlpatterns,
    *views_progress.urlpatterns,
    *views_calendar.urlpatterns,
    *views_reminders.urlpatterns,
    *views_links.urlpatterns,
    *views_export.urlpatterns,
    *views_deletion.urlpatterns,
]
