"""Limits counted in the database, inside the transaction of the action they limit: they hold
with any number of processes and whatever the cache does (a cache that is down would let
everything through)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from base.models import LimitUse


@dataclass(frozen=True)
class Limit:
    """At most ``count`` uses per key in any ``period`` (a sliding window)."""

    scope: str
    count: int
    period: timedelta

    def _uses(self, key: object) -> QuerySet[LimitUse]:
        return LimitUse.objects.filter(scope=self.scope, key=str(key))

    def remaining(self, key: object) -> int:
        since = timezone.now() - self.period
        return max(self.count - self._uses(key).filter(at__gt=since).count(), 0)

    def free_at(self, key: object) -> datetime:
        """When the key's next use frees up: its oldest use in the window leaves it then (now, when
        it has uses left)."""
        now = timezone.now()
        if self.remaining(key):
            return now
        in_window = self._uses(key).filter(at__gt=now - self.period).order_by("-at")
        oldest = in_window.values_list("at", flat=True)[self.count - 1]
        return oldest + self.period

    def take(self, key: object) -> None:
        """Count one use, forgetting the key's uses older than the window. The caller holds a lock
        that serialises the key's actions (a row lock on PostgreSQL, the write lock on SQLite) from
        its remaining() check to its commit, so two requests at once cannot both take the last use."""
        now = timezone.now()
        with transaction.atomic():
            self._uses(key).filter(at__lte=now - self.period).delete()
            LimitUse.objects.create(scope=self.scope, key=str(key), at=now)
