import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import get_application_model


@csrf_exempt
def setup_user(request: HttpRequest) -> JsonResponse:
    """The fixture adds a person the provider knows (POST JSON: email, name, password, groups)."""
    data = json.loads(request.body)
    user, _ = get_user_model().objects.update_or_create(
        username=data["email"], defaults={"email": data["email"], "first_name": data.get("name", "")}
    )
    user.set_password(data["password"])
    user.save()
    user.groups.set([Group.objects.get_or_create(name=g)[0] for g in data.get("groups", [])])
    return JsonResponse({"id": user.pk})


@csrf_exempt
def setup_redirect(request: HttpRequest) -> JsonResponse:
    """The fixture adds a callback URL CareerPath may be sent back to (its live server's port)."""
    app = get_application_model().objects.get(client_id=json.loads(request.body)["client_id"])
    uri = json.loads(request.body)["uri"]
    if uri not in app.redirect_uris.split():
        app.redirect_uris = f"{app.redirect_uris} {uri}".strip()
        app.save(update_fields=["redirect_uris"])
    return JsonResponse({"redirect_uris": app.redirect_uris})


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("setup/user", setup_user),
    path("setup/redirect", setup_redirect),
]
