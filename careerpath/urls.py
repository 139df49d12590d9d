from django.contrib import admin
from django.urls import include, path

from accounts import views_sso
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
    # allauth's OpenID Connect views, in front of allauth's own: a nonce sent and the ID token's
    # signature checked too (accounts.views_sso).
    path("accounts/oidc/<str:provider_id>/login/", views_sso.sso_login, name="openid_connect_login"),
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        views_sso.sso_callback,
        name="openid_connect_callback",
    ),
    path("accounts/", include("allauth.urls")),
    path("ladders/", include("skills.urls")),
    path("plans/", include("plans.urls")),
    path("goals/", include("goals.urls")),
    path("mentoring/", include("goals.mentoring.urls")),
    path("admin/", admin.site.urls),
]
