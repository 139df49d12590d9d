from goals import views, views_calendar, views_progress

app_name = "goals"

urlpatterns = [*views.urlpatterns, *views_progress.urlpatterns, *views_calendar.urlpatterns]
