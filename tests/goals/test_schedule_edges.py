"""goals.reminders.schedule at its edges (issue 28, from mutation testing): local_time west and east of UTC,
given a zone's name or the zone itself, and what a naive start is told."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from goals.reminders.schedule import local_time, next_reminder_slot

# Tuesday 16 June 2026, 02:30 UTC: still Monday evening in New York, already midday in Sydney.
MOMENT = datetime(2026, 6, 16, 2, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "zone, wall_clock",
    [
        ("America/New_York", datetime(2026, 6, 15, 22, 30)),  # west of UTC: the day before
        ("Australia/Sydney", datetime(2026, 6, 16, 12, 30)),  # east of UTC: the same day, later
        ("UTC", datetime(2026, 6, 16, 2, 30)),
    ],
)
def test_local_time_reads_the_wall_clock_of_a_zone_named_or_given(zone, wall_clock):
    for tz in (zone, ZoneInfo(zone)):
        local = local_time(MOMENT, tz)
        assert local.replace(tzinfo=None) == wall_clock
        assert local.tzinfo == ZoneInfo(zone)
        assert local == MOMENT  # the same instant


def test_a_naive_start_is_refused_saying_it_must_be_aware():
    with pytest.raises(ValueError) as refused:
        next_reminder_slot(after=datetime(2026, 6, 10, 12), interval_days=7, tz="UTC", hour=9, weekday=0)
    assert str(refused.value) == "after must be an aware datetime"
