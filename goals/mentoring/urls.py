"""The mentoring pages, under /mentoring/: the people page (goals.mentoring, as its rows are about
goals) and the skills heatmap with its CSV (plans.mentoring, as it reads only plans)."""

from django.urls import path

from goals.mentoring.views import people_page
from plans.mentoring.views import skills_csv, skills_page

app_name = "mentoring"

urlpatterns = [
    path("", people_page, name="people"),
    path("skills/", skills_page, name="skills"),
    path("skills.csv", skills_csv, name="skills_csv"),
]
