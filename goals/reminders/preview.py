"""A person's next digest before it goes out, and one sent now on request (issue 23, item 3).

Both come from the sweep's own builder (goals.reminders.digest.build_digests) with the goals the
next digest will ask about: those due by then. The preview is built as of the moment it goes
out; "Send it to me now" builds it as of now and queues it through the email layer
(base.emails.queue_rendered: stored, then sent by a Celery task after commit), at most
SEND_NOW_LIMIT an hour. A digest sent on request is no delivery: the scheduled one still goes out.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from base import emails
from base.limits import Limit
from goals.models import Goal, ReminderSettings
from goals.reminders.digest import Digest, build_digests
from goals.reminders.models import ReminderNudge
from goals.reminders.sending import list_headers
from plans.mentoring.people import mentors_anyone
from plans.models import CareerPlan

# Digests a person may have sent to them on request, an hour (base.limits, counted in the database).
SEND_NOW_LIMIT = Limit("digest-send-now", 3, timedelta(hours=1))


@dataclass
class NextDigest:
    """When their next digest goes out (UTC) and what it says; ``why_none`` when none will."""

    at: datetime | None = None
    digest: Digest | None = None
    goal_ids: list[int] = field(default_factory=list)
    why_none: str = ""

    @property
    def says_something(self) -> bool:
        return self.digest is not None and not self.digest.is_empty


def next_digest(user: User, prefs: ReminderSettings, *, now: datetime) -> NextDigest:
    """Their next digest: the earlier of their next nudge and their goals' next reminder, built as
    the sweep's worker would build it then (what they hold now, read on that day)."""
    if not prefs.receives_reminders:
        return NextDigest(why_none="You have unsubscribed from reminder emails.")
    mentoring = prefs.mentor_digest and mentors_anyone(user)
    if not mentoring and not CareerPlan.objects.filter(owner=user).active().exists():
        return NextDigest(why_none="You have no active plan: digests are about your plans.")
    reminded = Goal.objects.filter(
        plan__owner=user,
        plan__status=CareerPlan.Status.ACTIVE,
        status=Goal.Status.ACTIVE,
        next_reminder_at__isnull=False,
    )
    nudge = ReminderNudge.objects.filter(user=user).values_list("next_at", flat=True).first()
    times = [reminded.aggregate(first=Min("next_reminder_at"))["first"], nudge]
    at = min((time for time in times if time is not None), default=None)
    if at is None:
        return NextDigest(
            why_none="New goals remind you never, and none of your goals asks for reminders: "
            "pick how often new goals remind you to get a digest when your plans need you."
        )
    at = max(at, now)
    goal_ids = list(reminded.filter(next_reminder_at__lte=at).values_list("pk", flat=True))
    [digest] = build_digests([(user, goal_ids)], now=at)
    return NextDigest(at=at, digest=digest, goal_ids=goal_ids)


class SendNowRefused(Exception):
    """Why a digest asked for now is not sent: a sentence for the person."""


def digest_send_now(*, user: User) -> Digest:
    """Queue their digest as of now (the goals due by their next digest counted as due); the
    digest queued. SendNowRefused, and nothing queued or counted, when they are over
    SEND_NOW_LIMIT, unsubscribed, or it would say nothing."""
    with transaction.atomic():
        # The person's row is locked while counting: of two requests at once at the limit, the
        # second counts after the first's is in, so both cannot pass.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if not SEND_NOW_LIMIT.remaining(user.pk):
            wait = SEND_NOW_LIMIT.free_at(user.pk) - timezone.now()
            minutes = max(1, math.ceil(wait.total_seconds() / 60))
            raise SendNowRefused(
                f"You have had {SEND_NOW_LIMIT.count} digests sent in the last hour: "
                f"try again in {minutes} minute{'s' * (minutes != 1)}."
            )
        now = timezone.now()
        upcoming = next_digest(user, ReminderSettings.for_user(user), now=now)
        if upcoming.digest is None:
            raise SendNowRefused(f"No digest to send: {upcoming.why_none}")
        [digest] = build_digests([(user, upcoming.goal_ids)], now=now)
        if digest.is_empty:
            raise SendNowRefused("No digest to send: nothing on your plans needs you today.")
        rendered, unsubscribe = digest.render(now=now)
        emails.queue_rendered(
            kind="reminder_digest",
            rendered=rendered,
            to=user.email,
            headers=list_headers(unsubscribe),
            caused_by=user,
        )
        SEND_NOW_LIMIT.take(user.pk)
    return digest
