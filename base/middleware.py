from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from base import versions


class RememberVersionsMiddleware:
    """Each version token is read from the database once a request (base.versions)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with versions.remembered():
            return self.get_response(request)
