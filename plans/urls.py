from django.urls import path

from plans import views, views_deletion, views_print, views_records, views_sharing

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/archive/", views.plan_archive, name="archive"),
    path("<int:pk>/primary/", views.plan_make_primary, name="make_primary"),
    path("<int:pk>/assess/", views.plan_assess, name="assess"),
    path("<int:pk>/history/", views.plan_history, name="history"),
    *views_records.urlpatterns,
    *views_print.urlpatterns,
    *views_sharing.urlpatterns,
    *views_deletion.urlpatterns,
]
