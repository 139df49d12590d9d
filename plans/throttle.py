"""Limits on what a person can make CareerPath email to others (an invitation is an email with
their words in it, to any address): counted in the cache, like allauth's sign-in rate limits."""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """At most ``count`` uses per key in each ``period`` (a fixed window, counted in the cache)."""

    name: str
    count: int
    period: timedelta

    def _key(self, key: object) -> str:
        seconds = int(self.period.total_seconds())
        return f"limit:{self.name}:{key}:{int(time.time()) // seconds}"

    def remaining(self, key: object) -> int:
        return max(self.count - (cache.get(self._key(key)) or 0), 0)

    def take(self, key: object) -> None:
        """Count one use (the caller checked remaining() first)."""
        cache_key = self._key(key)
        if not cache.add(cache_key, 1, int(self.period.total_seconds())):
            try:
                cache.incr(cache_key)
            except ValueError:  # expired between add and incr
                cache.add(cache_key, 1, int(self.period.total_seconds()))


DAY = timedelta(days=1)
# Invitations (and resends) a person may send a day, over all their plans, and to one plan.
INVITATIONS_PER_PERSON = Limit("invitations-person", 10, DAY)
INVITATIONS_PER_PLAN = Limit("invitations-plan", 5, DAY)
# After an invitation goes out, how long before the same one can be sent again.
RESEND_COOLDOWN = timedelta(minutes=10)


def resend_waiting(share_pk: int) -> bool:
    """True while the share's last invitation email is more recent than RESEND_COOLDOWN."""
    return cache.get(f"invitation-sent:{share_pk}") is not None


def invitation_sent(share_pk: int) -> None:
    cache.set(f"invitation-sent:{share_pk}", 1, int(RESEND_COOLDOWN.total_seconds()))
