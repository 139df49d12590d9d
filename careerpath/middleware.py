import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import resolve_url
from django.utils.cache import patch_cache_control
from django.utils.datastructures import MultiValueDict
from django.views.defaults import bad_request
from django_htmx.http import HttpResponseClientRedirect

from base.uploads import install_upload_handlers

security_log = logging.getLogger("django.security.BadInput")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RefuseUnreadableInputMiddleware:
    """Answer 400 to input no browser sends, before any view, session or database sees it: a NUL
    byte in the path, the query string, a cookie or a posted field (PostgreSQL refuses NUL in
    text, so it would end in a 500), and a form body that is not UTF-8 (Django refuses it while
    the CSRF check reads it, and again in its error handlers: the answer was an empty 500).

    Early in MIDDLEWARE (after SecurityMiddleware and the CSP), so the session and CSRF checks
    never read it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = self._problem(request)
        if problem is None:
            return self.get_response(request)
        # Nothing after this reads the body or the cookies again (the 400 page included).
        parsed: Any = request  # the parsed body's private slots, which HttpRequest's type leaves out
        parsed._post, parsed._files, request.COOKIES = QueryDict(), MultiValueDict(), {}
        security_log.warning(
            "Refused %s %s: %s", request.method, request.path_info.replace("\x00", "\\0"), problem
        )
        return bad_request(request, SuspiciousOperation(problem))

    @staticmethod
    def _problem(request: HttpRequest) -> str | None:
        if (
            "\x00" in request.path_info
            or "\x00" in request.META.get("QUERY_STRING", "")
            or _has_nul(request.GET)
        ):
            return "a NUL byte in the address"
        if any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items()):
            return "a NUL byte in a cookie"
        if request.method == "POST" and request.content_type in FORM_TYPES:
            install_upload_handlers(request)  # this is where the body is read: a view's limits apply
            try:
                posted = request.POST
            except (BadRequest, UnicodeDecodeError, LookupError, ValueError) as error:
                return f"a form body that does not decode ({error.__class__.__name__})"
            if _has_nul(posted):
                return "a NUL byte in a posted field"
        return None


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


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


class PrivatePagesMiddleware:
    """A signed-in person's pages show their data: no cache may keep them (``Cache-Control:
    private, no-store``), unless the view chose its own caching (the plan page and the dashboard
    revalidate with an ETag: ``private, no-cache``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
