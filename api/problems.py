"""Every refusal of the API as application/problem+json (RFC 9457), field errors named."""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Invalid input",
    429: "Too many requests",
}


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    errors: list[FieldError] = []


class RateLimited(HttpError):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(429, f"This token has made too many requests: try again in {retry_after} s.")


class InvalidFields(Exception):
    """A form or rule refused the input: {field: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(errors)


def problem(status: int, detail: str = "", errors: list[dict[str, str]] | None = None) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status}
    body["detail"] = detail
    body["errors"] = errors or []
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_TYPE)


def _location(loc: Any) -> str:
    """pydantic's error location without where it came from ("body", "query"): the field's name."""
    parts = [str(p) for p in (loc or []) if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "__all__"


def validation_problem(request: HttpRequest, exc: Any) -> HttpResponse:
    errors = [{"field": _location(e.get("loc")), "message": str(e.get("msg", e))} for e in exc.errors]
    return problem(422, "The request has invalid fields.", errors)


def fields_problem(request: HttpRequest, exc: Any) -> HttpResponse:
    errors = [{"field": field, "message": m} for field, messages in exc.errors.items() for m in messages]
    return problem(422, "The request has invalid fields.", errors)


def http_problem(request: HttpRequest, exc: Any) -> HttpResponse:
    if isinstance(exc.__cause__, InvalidFields):  # api.parser refused the body: Ninja says 400, from it
        return fields_problem(request, exc.__cause__)
    if isinstance(exc, RateLimited):
        response = problem(429, str(exc))
        response["Retry-After"] = str(exc.retry_after)
        return response
    response = problem(exc.status_code, str(exc))
    if isinstance(exc, AuthenticationError):
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        response.content = problem(
            401, "Send a live personal access token: Authorization: Bearer <token>."
        ).content
    return response


def not_found_problem(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(404, "No such object, or it is not yours to see.")


def forbidden_problem(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem(403, str(exc) or "Not allowed.")
