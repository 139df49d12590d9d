from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


class HtmxLoginRedirectMiddleware:
    """An htmx request from an expired session goes to the sign-in page as a whole page.

    Without this, htmx follows the login redirect itself and swaps the sign-in form into
    the fragment it was updating (a goal row, say).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        login_url = resolve_url(settings.LOGIN_URL)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response["Location"].startswith(login_url)
        ):
            return HttpResponseClientRedirect(response["Location"])
        return response
