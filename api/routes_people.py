"""The token's person: who they are, and their whole export document."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from accounts.names import display_name
from api.auth import require_write
from api.models import AccessToken
from api.problems import InvalidFields, Problem
from api.schemas import Me
from goals import services
from goals.models import ReminderSettings
from goals.portability.export import export_person
from goals.reminders.forms import ReminderSettingsForm

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


class ReminderSettingsOut(Schema):
    timezone: str
    weekday: int  # 0 Monday … 6 Sunday
    hour: int  # on the zone's clock, never at night
    default_cadence: str
    paused_until: date | None
    unsubscribed: bool
    mentor_digest: bool  # the people they mentor in their digest


class ReminderSettingsIn(Schema):
    timezone: str
    weekday: int
    hour: int
    default_cadence: str
    paused_until: date | None = None
    mentor_digest: bool | None = None  # left out: the choice stays as it is


def _reminders_out(prefs: ReminderSettings) -> dict[str, Any]:
    fields = ("timezone", "weekday", "hour", "default_cadence", "paused_until", "mentor_digest")
    return {**{f: getattr(prefs, f) for f in fields}, "unsubscribed": not prefs.receives_reminders}


@router.get("/reminder-settings", response={200: ReminderSettingsOut, **ERRORS}, url_name="reminder_settings")
def reminder_settings(request: HttpRequest) -> dict[str, Any]:
    """When the reminder digest goes out (the reminder settings page's choices)."""
    return _reminders_out(ReminderSettings.for_user(request.user))


@router.put(
    "/reminder-settings",
    response={200: ReminderSettingsOut, 403: Problem, 422: Problem, **ERRORS},
    url_name="reminder_settings",
)
def reminder_settings_change(request: HttpRequest, payload: ReminderSettingsIn) -> dict[str, Any]:
    """Change them through the page's form; the goals' next reminders move to match."""
    require_write(request)
    prefs = ReminderSettings.for_user(request.user)
    data = {k: "" if v is None else str(v) for k, v in payload.model_dump(exclude={"mentor_digest"}).items()}
    data["mentor_digest"] = str(
        prefs.mentor_digest if payload.mentor_digest is None else payload.mentor_digest
    )
    form = ReminderSettingsForm(data, instance=prefs)
    if not form.is_valid():
        raise InvalidFields({f: [str(m) for m in ms] for f, ms in form.errors.items()})
    services.reminder_settings_save(user=token_of(request).user, **form.cleaned_data)
    return _reminders_out(ReminderSettings.for_user(request.user))
