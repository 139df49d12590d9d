"""The goals app's pages: goals proper here, each feature folder's in its own urls.py."""

from goals import views, views_deletion
from goals.calendar import urls as calendar_urls
from goals.oneonones import views as one_on_one_views
from goals.portability import urls as portability_urls
from goals.progress import urls as progress_urls
from goals.reminders import urls as reminders_urls

app_name = "goals"

urlpatterns = [
    *views.urlpatterns,
    *progress_urls.urlpatterns,
    *views_deletion.urlpatterns,
    *calendar_urls.urlpatterns,
    *reminders_urls.urlpatterns,
    *portability_urls.urlpatterns,
    *one_on_one_views.urlpatterns,
]
