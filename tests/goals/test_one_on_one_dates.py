"""A 1:1's date reaches both people (issue 24, item 4): their reminder digests and their calendar
feeds; the mentor's only while the share lasts, and with nothing of the plan in the feed."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from goals.calendar.models import CalendarFeed
from goals.oneonones.models import OneOnOne, Side
from goals.reminders.digest import build_digest, build_digests
from goals.services import reminder_settings_save
from plans.sharing.services import share_revoke

NOW = timezone.make_aware(datetime(2026, 12, 7, 9, 0))


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.SITE_URL = "https://careerpath.example"
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def meeting(alice, mentor, mentor_share):
    alice.first_name, mentor.first_name = "Alice", "Maya"
    alice.save()
    mentor.save()
    return OneOnOne.objects.create(
        plan=mentor_share.plan,
        share=mentor_share,
        starts_at=timezone.make_aware(datetime(2026, 12, 9, 14, 30)),
        started_by=Side.MENTOR,
    )


def test_the_owners_digest_names_the_next_one_on_one_in_her_time_zone(alice, meeting):
    reminder_settings_save(
        user=alice, timezone="Europe/Berlin", hour=9, weekday=0, default_cadence="weekly", paused_until=None
    )
    digest = build_digest(user=alice, goal_ids=[], now=NOW)
    assert "one 1:1 coming up" in digest.reasons()
    rendered, _ = digest.render(now=NOW)
    assert "1:1S COMING UP" in rendered.text
    assert 'Wednesday 9 Dec, 15:30: 1:1 with Maya on "Become a Senior PM"' in rendered.text
    assert f"https://careerpath.example/goals/one-on-ones/{meeting.pk}/" in rendered.text
    assert "1:1s coming up" in rendered.html and "1:1 with Maya" in rendered.html


def test_the_mentors_digest_names_it_too_until_the_share_ends(mentor, mentor_share, meeting):
    digest = build_digest(user=mentor, goal_ids=[], now=NOW)
    rendered, _ = digest.render(now=NOW)
    assert digest.subject() == "A 1:1 coming up"
    assert "Wednesday 9 Dec, 14:30: 1:1 with Alice" in rendered.text
    share_revoke(share=mentor_share)
    assert build_digest(user=mentor, goal_ids=[], now=NOW).one_on_ones == []


def test_a_one_on_one_more_than_two_weeks_away_or_past_is_not_in_the_digest(alice, meeting):
    meeting.starts_at = NOW + timedelta(days=15)
    meeting.save()
    OneOnOne.objects.create(
        plan=meeting.plan, share=meeting.share, starts_at=NOW - timedelta(hours=1), started_by=Side.OWNER
    )
    assert build_digest(user=alice, goal_ids=[], now=NOW).one_on_ones == []


def feed_events(client, user) -> list:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    response = client.get(reverse("goals:calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_both_calendar_feeds_carry_the_one_on_one_and_the_mentors_says_nothing_of_the_plan(
    client, alice, mentor, meeting
):
    [owners] = [e for e in feed_events(client, alice) if str(e["SUMMARY"]).startswith("1:1")]
    assert str(owners["SUMMARY"]) == "1:1 with Maya"
    assert owners.start == meeting.starts_at and owners.end == meeting.starts_at + timedelta(minutes=30)
    assert "Become a Senior PM" in str(owners["DESCRIPTION"])
    [mentors] = feed_events(client, mentor)
    assert str(mentors["SUMMARY"]) == "1:1 with Alice" and mentors.start == meeting.starts_at
    assert "Become a Senior PM" not in mentors.to_ical().decode()
    assert str(owners["UID"]) == str(mentors["UID"])  # one event, in two calendars


def test_a_revoked_share_leaves_the_mentors_feed_and_stays_in_the_owners(
    client, alice, mentor, mentor_share, meeting
):
    share_revoke(share=mentor_share)
    assert feed_events(client, mentor) == []
    [owners] = [e for e in feed_events(client, alice) if str(e["SUMMARY"]).startswith("1:1")]
    assert str(owners["SUMMARY"]) == "1:1 with a former mentor"


def test_scheduling_sends_no_email_of_its_own(client, mentor, mentor_share):
    client.force_login(mentor)
    client.post(
        reverse("goals:one_on_one_new", args=[mentor_share.plan.pk]),
        {"day": "2026-12-09", "at": "14:30", "minutes": "30"},
    )
    assert OneOnOne.objects.count() == 1 and mail.outbox == []


def test_the_owners_digest_keeps_the_one_on_one_after_the_share_ends(alice, mentor_share, meeting):
    share_revoke(share=mentor_share)

    digest = build_digest(user=alice, goal_ids=[], now=NOW)

    assert digest.one_on_ones == [meeting]
    rendered, _ = digest.render(now=NOW)
    assert 'Wednesday 9 Dec, 14:30: 1:1 with a former mentor on "Become a Senior PM"' in rendered.text


def test_the_one_on_ones_are_listed_soonest_first_whenever_they_were_planned(alice, meeting):
    sooner = OneOnOne.objects.create(
        plan=meeting.plan, share=meeting.share, starts_at=NOW + timedelta(hours=3), started_by=Side.OWNER
    )

    assert build_digest(user=alice, goal_ids=[], now=NOW).one_on_ones == [sooner, meeting]


def test_digests_built_together_each_have_only_their_persons_one_on_ones(alice, bob, meeting):
    alices, bobs = build_digests([(alice, []), (bob, [])], now=NOW)

    assert alices.one_on_ones == [meeting] and bobs.one_on_ones == []
