from django.contrib import admin
from django.urls import include, path

from api.urls import api_urls
from careerpath import views
from careerpath.admin_login import AdminEmailLoginForm

admin.site.site_header = "CareerPath administration"
admin.site.login_form = AdminEmailLoginForm
admin.site.site_title = "CareerPath admin"
admin.site.index_title = "Career framework and plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/profile/", include("accounts.urls")),
    path("accounts/tokens/", include("api.urls")),
    path("api/v1/", api_urls),
    path("accounts/", include("allauth.urls")),
    path("ladders/", include("skills.urls")),
    path("plans/", include("plans.urls")),
    path("goals/", include("goals.urls")),
    path("mentoring/", include("goals.mentoring.urls")),
    path("admin/", admin.site.urls),
]
