"""goals.reminders.schedule.next_reminder_slot: their weekday and local hour, in UTC, across daylight-saving changes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from goals.reminders.schedule import next_reminder_slot

MONDAY, WEDNESDAY, FRIDAY, SUNDAY = 0, 2, 4, 6

# (zone, the local date its clocks change in 2026, what happens)
TRANSITIONS = [
    ("Europe/Berlin", date(2026, 3, 29), "spring forward"),
    ("Europe/Berlin", date(2026, 10, 25), "fall back"),
    ("America/New_York", date(2026, 3, 8), "spring forward"),
    ("America/New_York", date(2026, 11, 1), "fall back"),
    ("Australia/Sydney", date(2026, 10, 4), "spring forward"),
    ("Australia/Sydney", date(2026, 4, 5), "fall back"),
]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def slot(
    after: datetime, days: int = 7, tz: str = "UTC", hour: int = 9, weekday: int = MONDAY, **kw
) -> datetime:
    return next_reminder_slot(after=after, interval_days=days, tz=tz, hour=hour, weekday=weekday, **kw)


def local_slot(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """Built independently of the code under test: wall-clock time in ``zone``, then UTC."""
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


# --- The rule in plain cases --------------------------------------------------------------


def test_weekly_lands_on_the_next_occurrence_of_their_weekday():
    wednesday_noon = utc(2026, 6, 10, 12)
    assert slot(wednesday_noon, weekday=MONDAY) == utc(2026, 6, 15, 9)
    assert slot(wednesday_noon, weekday=FRIDAY) == utc(2026, 6, 12, 9)
    # Their own weekday, later that day: today's slot; earlier that day: a week on.
    assert slot(utc(2026, 6, 10, 7), weekday=WEDNESDAY) == utc(2026, 6, 10, 9)
    assert slot(wednesday_noon, weekday=WEDNESDAY) == utc(2026, 6, 17, 9)


def test_the_slot_is_strictly_after_the_start():
    monday_nine = utc(2026, 6, 15, 9)
    assert slot(monday_nine) == utc(2026, 6, 22, 9)
    assert slot(monday_nine - timedelta(seconds=1)) == monday_nine


@pytest.mark.parametrize(
    "days, expected",
    [
        (7, utc(2026, 6, 15, 9)),  # 4 days 21 hours away
        (14, utc(2026, 6, 22, 9)),  # 11 days
        (30, utc(2026, 7, 6, 9)),  # 25 days: the last Monday by Friday 10 July
    ],
)
def test_longer_cadences_land_in_the_last_week_of_the_interval(days, expected):
    assert slot(utc(2026, 6, 10, 12), days=days) == expected


def test_the_hour_is_local_and_the_result_utc():
    result = slot(utc(2026, 6, 10, 12), tz="Asia/Tokyo", hour=8)
    assert result == utc(2026, 6, 14, 23)  # Monday 15 June, 08:00 in Tokyo
    assert result.tzinfo is UTC


def test_accepts_a_zoneinfo_as_well_as_a_name():
    after = utc(2026, 6, 10, 12)
    assert slot(after, tz=ZoneInfo("Europe/Berlin")) == slot(after, tz="Europe/Berlin")


@pytest.mark.parametrize("hour", [0, 7, 21, 23])
def test_night_hours_are_refused(hour):
    with pytest.raises(ValueError, match="hour"):
        slot(utc(2026, 6, 10, 12), hour=hour)


def test_an_unknown_weekday_and_a_naive_start_are_refused():
    with pytest.raises(ValueError, match="weekday"):
        slot(utc(2026, 6, 10, 12), weekday=7)
    with pytest.raises(ValueError, match="aware"):
        slot(datetime(2026, 6, 10, 12))


# --- Paused --------------------------------------------------------------------------------


def test_a_pause_moves_the_slot_to_the_first_one_on_or_after_its_end():
    after = utc(2026, 6, 10, 12)
    # Paused until Thursday 2 July (local date): the first Monday on or after it is 6 July.
    assert slot(after, not_before=date(2026, 7, 2)) == utc(2026, 7, 6, 9)
    # A pause ending on their weekday: that very day's slot.
    assert slot(after, not_before=date(2026, 7, 6)) == utc(2026, 7, 6, 9)
    assert slot(after, tz="Europe/Berlin", not_before=date(2026, 7, 6)) == utc(2026, 7, 6, 7)


def test_a_pause_that_ends_before_the_slot_changes_nothing():
    after = utc(2026, 6, 10, 12)
    assert slot(after, not_before=date(2026, 6, 12)) == slot(after)
    assert slot(after, not_before=date(2026, 6, 15)) == slot(after)
    assert slot(after, not_before=date(2026, 1, 1)) == slot(after)


def test_a_pause_is_read_as_a_local_date():
    # Monday 09:00 in Sydney is Sunday 23:00 UTC: a pause until that Monday still allows it.
    result = slot(utc(2026, 6, 10, 12), tz="Australia/Sydney", not_before=date(2026, 6, 22))
    assert result == utc(2026, 6, 21, 23)


# --- Daylight-saving changes ----------------------------------------------------------------


def test_transitions_are_real():
    """Guard for the tests below: each listed date really changes that zone's UTC offset."""
    for name, day, _ in TRANSITIONS:
        zone = ZoneInfo(name)
        before = datetime.combine(day - timedelta(days=1), time(12), tzinfo=zone).utcoffset()
        after = datetime.combine(day + timedelta(days=1), time(12), tzinfo=zone).utcoffset()
        assert before != after, name


@pytest.mark.parametrize("name, change, _what", TRANSITIONS)
def test_the_weekly_slot_keeps_its_local_hour_across_the_change(name, change, _what):
    zone = ZoneInfo(name)
    # Wednesday noon UTC a week before the Sunday the clocks change, then the Wednesday after.
    first = slot(datetime.combine(change - timedelta(days=11), time(12), tzinfo=UTC), tz=name)
    second = slot(first, tz=name)
    assert first == local_slot(change - timedelta(days=6), 9, zone)
    assert second == local_slot(change + timedelta(days=1), 9, zone)
    assert [s.astimezone(zone).hour for s in (first, second)] == [9, 9]
    # An hour more or less than a week apart in UTC: the wall clock is what stays put.
    assert second - first != timedelta(days=7)
    assert abs(second - first - timedelta(days=7)) == timedelta(hours=1)


@pytest.mark.parametrize("name, change, _what", TRANSITIONS)
def test_every_slot_around_a_change_is_their_day_and_hour_within_the_interval(name, change, _what):
    zone = ZoneInfo(name)
    start = datetime.combine(change - timedelta(days=31), time(0), tzinfo=UTC)
    for step in range(34 * 24):
        after = start + timedelta(hours=step)
        for days in (7, 14, 30):
            end = after + timedelta(days=days)
            for hour in (8, 20):
                for weekday in range(7):
                    result = slot(after, days=days, tz=name, hour=hour, weekday=weekday)
                    local = result.astimezone(zone)
                    case = (name, after, days, hour, weekday, result)
                    assert (local.hour, local.minute, local.weekday()) == (hour, 0, weekday), case
                    assert 8 <= local.hour <= 20, case
                    assert after < result, case
                    week_before = local_slot(local.date() - timedelta(days=7), hour, zone)
                    week_after = local_slot(local.date() + timedelta(days=7), hour, zone)
                    # The last slot in (after, end] ...
                    assert week_after > end, case
                    # ... unless the window held none (a one-hour edge at a fall-back change);
                    # then the first slot after `after`, at most an hour past the interval.
                    assert result <= end or week_before <= after, case
                    assert result - end <= timedelta(hours=1), case


def test_a_week_that_holds_no_slot_takes_the_first_one_after():
    # Berlin falls back on Sunday 25 October 2026. From Monday 19 October 09:00 CEST (07:00 UTC)
    # the next Monday 09:00 CET is 7 days and 1 hour later: outside a 7-day window by an hour.
    result = slot(utc(2026, 10, 19, 7), tz="Europe/Berlin")
    assert result == utc(2026, 10, 26, 8)
    assert result - utc(2026, 10, 19, 7) == timedelta(days=7, hours=1)


@pytest.mark.parametrize("name, change, _what", TRANSITIONS)
def test_a_pause_ending_across_a_change_keeps_the_local_hour(name, change, _what):
    zone = ZoneInfo(name)
    after = datetime.combine(change - timedelta(days=20), time(12), tzinfo=UTC)
    result = slot(after, tz=name, hour=18, weekday=FRIDAY, not_before=change)
    local = result.astimezone(zone)
    assert (local.date() - change).days in range(7)
    assert (local.weekday(), local.hour) == (FRIDAY, 18)
