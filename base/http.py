"""The requests views receive, as mypy should read them (no behaviour: annotations only)."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Any request: django_htmx's HtmxMiddleware gives each one its ``htmx`` details."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request a ``login_required`` view answers: someone is signed in."""

    user: User
