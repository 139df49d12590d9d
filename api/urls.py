from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from api import pages
from api.docs import docs_page
from api.main import api
from api.problems import problem

app_name = "tokens"

urlpatterns = [
    path("", pages.tokens_page, name="list"),
    path("<int:pk>/revoke/", pages.token_revoke_post, name="revoke"),
]


@csrf_exempt  # as every API path: a Bearer token, never a cookie
def unknown_path(request: HttpRequest) -> HttpResponse:
    """Any other path under /api/v1/ (a negative id included, which the routes' int converter never
    matches) is a problem+json 404, not the site's HTML page."""
    return problem(404, "No such path in this API: see /api/v1/docs.")


_patterns, _app_name, _namespace = api.urls
api_urls = (
    [*_patterns, path("docs", docs_page, name="docs"), re_path(r"", unknown_path)],
    _app_name,
    _namespace,
)
