"""The token's person: who they are, and their whole export document."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from accounts.names import display_name
from api.models import AccessToken
from api.problems import Problem
from api.schemas import Me
from goals.portability.export import export_person

router = Router(tags=["You"])
ERRORS: dict[int, type] = {401: Problem, 429: Problem}


def token_of(request: HttpRequest) -> AccessToken:
    token = request.auth  # type: ignore[attr-defined]  # set by ninja from api.auth.TokenAuth
    assert isinstance(token, AccessToken)
    return token


@router.get("/me", response={200: Me, **ERRORS}, url_name="me")
def me(request: HttpRequest) -> dict[str, Any]:
    token = token_of(request)
    return {
        "id": token.user.pk,
        "name": display_name(token.user),
        "email": token.user.email,
        "token_name": token.name,
        "scopes": token.scopes,
        "token_expires_at": token.expires_at,
    }


@router.get("/export", response={200: dict[str, Any], **ERRORS}, url_name="export")
def export(request: HttpRequest) -> dict[str, Any]:
    """Everything the person owns as one careerpath-plan document: the same document as the
    account page's download, valid against its published JSON Schema."""
    return export_person(request.user)
