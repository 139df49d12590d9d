"""The one place reminder times meet time zones: a person's next local reminder slot, in UTC.

Everything that sets Goal.next_reminder_at goes through next_reminder_slot, so the reminder
sweep only ever compares a UTC column with now.
"""

import functools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

# Reminders go out between 08:00 and 20:00 local time, never at night.
EARLIEST_HOUR, LATEST_HOUR = 8, 20
WEEK = timedelta(days=7)


@functools.cache
def time_zone_names() -> frozenset[str]:
    """The IANA zone names this machine knows (read from disk once per process)."""
    return frozenset(available_timezones())


def local_time(moment: datetime, tz: str | ZoneInfo) -> datetime:
    """``moment`` on the wall clock of zone ``tz``."""
    return moment.astimezone(tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz))


def _slot_on(day: date, hour: int, zone: ZoneInfo) -> datetime:
    # Wall-clock time first, then UTC: the hour stays the local hour on both sides of a DST change.
    # (An hour that does not exist on a spring-forward day comes out an hour later, as zoneinfo's
    # fold=0 reads it; no zone moves its clocks between 08:00 and 20:00 today.)
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def next_reminder_slot(
    *,
    after: datetime,
    interval_days: int,
    tz: str | ZoneInfo,
    hour: int,
    weekday: int,
    not_before: date | None = None,
) -> datetime:
    """The next reminder time (aware, UTC) for a person in zone ``tz``.

    A slot is ``hour``:00 local time on a local date falling on ``weekday`` (0 = Monday).
    The result is the LAST slot that is strictly after ``after`` and not later than
    ``after + interval_days``: weekly lands on the next occurrence of the weekday (1–7 days
    away), fortnightly 8–14 days, monthly (30) 24–30 days. When that window holds no slot (an
    interval under a week, or a daylight-saving hour at the window's edge) it is the first slot
    strictly after ``after`` instead.

    ``not_before`` (the local date a pause ends): when the slot's local date falls before it,
    the first slot on or after that date instead.
    """
    if not EARLIEST_HOUR <= hour <= LATEST_HOUR:
        raise ValueError(f"hour must be {EARLIEST_HOUR}–{LATEST_HOUR}, not {hour}")
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0–6, not {weekday}")
    if after.tzinfo is None:
        raise ValueError("after must be an aware datetime")
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)

    end = after + timedelta(days=interval_days)
    day = end.astimezone(zone).date()
    day -= timedelta(days=(day.weekday() - weekday) % 7)
    slot = _slot_on(day, hour, zone)
    if slot > end:
        day -= WEEK
        slot = _slot_on(day, hour, zone)
    while slot <= after:
        day += WEEK
        slot = _slot_on(day, hour, zone)

    if not_before is not None and day < not_before:
        day = not_before + timedelta(days=(weekday - not_before.weekday()) % 7)
        slot = _slot_on(day, hour, zone)
    return slot
