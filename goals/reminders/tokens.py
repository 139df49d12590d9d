"""The signed links a digest carries: straight to a goal's check-in form, and one-click
unsubscribe (their views are goals/reminders/links.py)."""

from datetime import UTC, datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.core import signing
from django.urls import reverse

from goals.models import Goal

CHECK_IN_LINK_SALT = "goals.check-in-link"
CHECK_IN_LINK_MAX_AGE = timedelta(days=14)
UNSUBSCRIBE_SALT = "goals.unsubscribe"
UNSUBSCRIBE_MAX_AGE = timedelta(days=180)


class CheckInLink(TypedDict):
    """What a check-in link carries: the goal's id and its owner's."""

    goal: int
    user: int


def check_in_link(goal: Goal) -> str:
    """A signed, expiring link straight to the goal's check-in form (still behind sign-in)."""
    payload: CheckInLink = {"goal": goal.pk, "user": goal.plan.owner_id}
    token = signing.dumps(payload, salt=CHECK_IN_LINK_SALT, compress=True)
    return settings.SITE_URL + reverse("goals:check_in_link", args=[token])


def read_check_in_link(token: str) -> CheckInLink:
    """The link's payload; signing.BadSignature (SignatureExpired included) when it is forged or old."""
    return signing.loads(token, salt=CHECK_IN_LINK_SALT, max_age=CHECK_IN_LINK_MAX_AGE)


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user) -> str:
    return settings.SITE_URL + reverse("goals:unsubscribe", args=[unsubscribe_token(user)])


def read_unsubscribe_link(token: str) -> tuple[int, datetime]:
    """The user id an unsubscribe link names and when it was signed (unsubscribe_token);
    signing.BadSignature, or SignatureExpired past UNSUBSCRIBE_MAX_AGE, when it is forged or old."""
    signer = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)
    user_id = signer.unsign_object(token, max_age=UNSUBSCRIBE_MAX_AGE)
    # A signed object is value:timestamp:signature, the signature checked above.
    signed_at = signing.b62_decode(token.rsplit(signer.sep, 2)[1])
    return user_id, datetime.fromtimestamp(signed_at, tz=UTC)
