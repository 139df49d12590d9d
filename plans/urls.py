from django.urls import path

from plans import views, views_deletion, views_print, views_records
from plans.ratings import urls as ratings_urls
from plans.sharing import urls as sharing_urls

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new_page, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/archive/", views.plan_archive, name="archive"),
    path("<int:pk>/primary/", views.plan_make_primary_post, name="make_primary"),
    path("<int:pk>/assess/", views.plan_assess, name="assess"),
    path("<int:pk>/history/", views.plan_history, name="history"),
    *views_records.urlpatterns,
    *views_print.urlpatterns,
    *sharing_urls.urlpatterns,
    *ratings_urls.urlpatterns,
    *views_deletion.urlpatterns,
]
