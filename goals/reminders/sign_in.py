"""What the sign-in page says when a reminder's check-in link brought a signed-out person there.

The link (goals.reminders.links.check_in_link) sends them to sign in with ``?next=`` set to the
link itself, so the page needs no state of its own: the signed token in ``next`` says which goal
it is for. A title is shown only for a token CareerPath signed, unexpired, naming a goal its
owner still has: a forged or edited link names nothing.
"""

from urllib.parse import urlsplit

from django.core import signing
from django.urls import Resolver404, resolve

from goals.models import Goal
from goals.reminders.tokens import read_check_in_link


def check_in_goal_title(next_url: str | None) -> str | None:
    """The title of the goal a check-in link names, when ``next_url`` is such a link on this site
    with a valid signature; None for anything else."""
    if not next_url or not next_url.startswith("/") or next_url.startswith("//"):
        return None
    try:
        match = resolve(urlsplit(next_url).path)
    except Resolver404:
        return None
    if match.view_name != "goals:check_in_link":
        return None
    try:
        payload = read_check_in_link(match.kwargs["token"])
    except signing.BadSignature:  # forged, edited or expired
        return None
    goal = Goal.objects.filter(pk=payload.get("goal"), plan__owner_id=payload.get("user"))
    return goal.values_list("title", flat=True).first()
