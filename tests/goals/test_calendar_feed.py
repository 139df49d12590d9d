"""The private calendar feed: what it carries, who it leaks nothing to, the settings page, query counts."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar

from goals.calendar.feed import opaque_uid
from goals.models import CalendarFeed, Goal
from plans.models import CareerPlan, PlanCertification
from tests.factories import CertificationFactory
from tests.goals.factories import GoalFactory, MilestoneFactory
from tests.plans.factories import CareerPlanFactory, PlanCertificationFactory, ShareFactory

SITE_URL = "https://careerpath.example"
D = datetime.date


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def feed(alice):
    return CalendarFeed.objects.create(user=alice)


def fetch(client, token: str):
    return client.get(reverse("goals:calendar_feed", args=[token]))


def parse(response) -> Calendar:
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def dated_summaries(cal: Calendar) -> set[tuple[str, datetime.date]]:
    return {(str(event["SUMMARY"]), event.start) for event in cal.walk("VEVENT")}


def prefixes(cal: Calendar) -> set[tuple[str, datetime.date]]:
    """("Deadline" | "Milestone" | "Target" | "Expires", date) for every event."""
    kinds = set()
    for summary, day in dated_summaries(cal):
        kinds.add(("Expires", day) if summary.endswith(" expires") else (summary.split(":")[0], day))
    return kinds


@pytest.fixture
def alice_dates(alice, bob):
    """Alice's plan with everything the feed must carry, and everything it must leave out."""
    plan = CareerPlanFactory(owner=alice, title="Become a Senior PM")
    cpm = CertificationFactory(name="Certified Product Manager", abbreviation="CPM", validity_months=24)
    cpo = CertificationFactory(name="Certified Product Owner", abbreviation="CPO")
    cpl = CertificationFactory(name="Certified Product Leader", abbreviation="CPL")

    cpm_course = GoalFactory(
        plan=plan,
        title="Earn the CPM",
        metric="Modules passed",
        unit="modules",
        baseline=0,
        target=8,
        start_date=D(2030, 1, 1),
        deadline=D(2030, 6, 30),
    )
    interviews = GoalFactory(
        plan=plan,
        title="Interview 10 customers",
        status=Goal.Status.PAUSED,
        start_date=D(2030, 1, 1),
        deadline=D(2030, 9, 15),
    )
    open_milestone = MilestoneFactory(goal=cpm_course, title="Pass module 4", due_date=D(2030, 3, 31))
    MilestoneFactory(goal=cpm_course, title="Pass module 1", due_date=D(2030, 2, 1), done_at=timezone.now())
    abandoned = GoalFactory(
        plan=plan, title="Learn SQL", status=Goal.Status.ABANDONED, deadline=D(2030, 4, 1)
    )
    MilestoneFactory(goal=abandoned, title="Abandoned goal's step", due_date=D(2030, 2, 2))
    GoalFactory(plan=plan, title="Ship the roadmap", status=Goal.Status.COMPLETED, deadline=D(2030, 5, 1))

    earned = PlanCertificationFactory(
        plan=plan, certification=cpm, status=PlanCertification.Status.EARNED, earned_on=D(2029, 3, 10)
    )
    PlanCertificationFactory(plan=plan, certification=cpo, target_date=D(2030, 11, 1))
    PlanCertificationFactory(
        plan=plan, certification=cpl, status=PlanCertification.Status.IN_PROGRESS, target_date=D(2031, 2, 1)
    )
    # Planned without a date, and earned without an expiry: nothing to put in a calendar.
    PlanCertificationFactory(plan=plan, certification=CertificationFactory(abbreviation="UNDATED"))
    PlanCertificationFactory(
        plan=plan,
        certification=CertificationFactory(abbreviation="FOREVER", validity_months=None),
        status=PlanCertification.Status.EARNED,
        earned_on=D(2029, 1, 1),
    )

    archived = CareerPlanFactory(owner=alice, title="Old plan", status=CareerPlan.Status.ARCHIVED)
    GoalFactory(plan=archived, title="Archived plan's goal", deadline=D(2030, 7, 1))
    PlanCertificationFactory(plan=archived, certification=cpo, target_date=D(2030, 7, 2))

    bobs = CareerPlanFactory(owner=bob, title="Bob's plan")
    GoalFactory(plan=bobs, title="Bob's goal", deadline=D(2030, 8, 1))
    PlanCertificationFactory(plan=bobs, certification=cpm, target_date=D(2030, 8, 2))
    shared = CareerPlanFactory(owner=bob, title="Bob's plan shared with Alice")
    ShareFactory(plan=shared, user=alice)
    shared_goal = GoalFactory(plan=shared, title="Bob's shared goal", deadline=D(2030, 8, 3))
    MilestoneFactory(goal=shared_goal, title="Bob's shared milestone", due_date=D(2030, 8, 4))
    PlanCertificationFactory(plan=shared, certification=cpl, target_date=D(2030, 8, 5))

    return SimpleNamespace(
        plan=plan, cpm_course=cpm_course, interviews=interviews, milestone=open_milestone, earned=earned
    )


# --- What the feed carries --------------------------------------------------------------


def test_feed_carries_active_deadlines_open_milestones_and_certification_targets(client, feed, alice_dates):
    cal = parse(fetch(client, feed.token))

    assert dated_summaries(cal) == {
        ("Deadline: Earn the CPM", D(2030, 6, 30)),
        ("Milestone: Pass module 4 (Earn the CPM)", D(2030, 3, 31)),
        ("Target: earn CPO", D(2030, 11, 1)),
        ("Target: earn CPL", D(2031, 2, 1)),
    }
    assert prefixes(cal) == {
        ("Deadline", D(2030, 6, 30)),
        ("Milestone", D(2030, 3, 31)),
        ("Target", D(2030, 11, 1)),
        ("Target", D(2031, 2, 1)),
    }


def test_done_milestones_and_closed_goals_are_absent(client, feed, alice_dates):
    summaries = {summary for summary, _ in dated_summaries(parse(fetch(client, feed.token)))}

    assert not any("Pass module 1" in s for s in summaries)
    assert not any("Learn SQL" in s or "Abandoned" in s for s in summaries)
    assert "Deadline: Ship the roadmap" not in summaries
    assert not any("Archived" in s for s in summaries)


def test_completed_goals_and_earned_certifications_are_not_in_the_feed(client, feed, alice_dates):
    cal = parse(fetch(client, feed.token))
    body = cal.to_ical().decode()

    assert "Ship the roadmap" not in body  # completed
    # The earned CPM (with an expiry date) and FOREVER (without): neither is dated in the feed.
    expiry = opaque_uid(f"certification-expiry-{alice_dates.earned.pk}")
    assert not any(str(e["UID"]).startswith(expiry) for e in cal.walk("VEVENT"))
    assert "expires" not in body and "FOREVER" not in body
    assert alice_dates.earned.expires_on not in {day for _, day in dated_summaries(cal)}


def test_a_goal_leaves_the_feed_when_completed_or_paused_and_returns_when_resumed(client, feed, alice_dates):
    goal = alice_dates.cpm_course

    def summaries():
        return {summary for summary, _ in dated_summaries(parse(fetch(client, feed.token)))}

    for status in (Goal.Status.COMPLETED, Goal.Status.PAUSED):
        Goal.objects.filter(pk=goal.pk).update(status=status)
        assert "Deadline: Earn the CPM" not in summaries()
        assert "Milestone: Pass module 4 (Earn the CPM)" not in summaries()
    Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.ACTIVE)
    assert "Deadline: Earn the CPM" in summaries()


def test_a_certification_leaves_the_feed_once_earned(client, feed, alice_dates):
    cpo = PlanCertification.objects.get(plan=alice_dates.plan, certification__abbreviation="CPO")
    cpo.status = PlanCertification.Status.EARNED
    cpo.earned_on = D(2030, 1, 5)
    cpo.save()

    summaries = {summary for summary, _ in dated_summaries(parse(fetch(client, feed.token)))}
    assert "Target: earn CPO" not in summaries
    assert not any("CPO" in s for s in summaries)


def test_other_users_and_shared_plans_are_absent(client, feed, alice_dates):
    cal = parse(fetch(client, feed.token))

    assert "Bob" not in cal.to_ical().decode()
    assert not {day for _, day in dated_summaries(cal)} & {D(2030, 8, d) for d in range(1, 6)}


def test_feed_is_a_valid_calendar_of_all_day_events(client, feed, alice_dates):
    response = fetch(client, feed.token)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="careerpath.ics"'
    assert "private" in response["Cache-Control"]
    cal = parse(response)
    assert cal["VERSION"] == "2.0"
    assert "CareerPath" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"]) == "CareerPath"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in response.content
    assert b"X-PUBLISHED-TTL:PT6H" in response.content
    for event in cal.walk("VEVENT"):
        start, end = event["DTSTART"], event["DTEND"]
        assert type(start.dt) is datetime.date and start.params["VALUE"] == "DATE"
        assert end.dt == start.dt + datetime.timedelta(days=1)
        assert event["DTSTAMP"].dt.tzinfo is not None
        assert str(event["UID"]).endswith("@careerpath.example")
        assert str(event["URL"]).startswith(SITE_URL + "/")
        assert str(event["URL"]) in str(event["DESCRIPTION"])


def test_events_describe_the_goal_and_link_to_it(client, feed, alice_dates):
    events = {str(e["SUMMARY"]): e for e in parse(fetch(client, feed.token)).walk("VEVENT")}

    deadline = events["Deadline: Earn the CPM"]
    assert str(deadline["UID"]) == f"{opaque_uid(f'goal-{alice_dates.cpm_course.pk}')}@careerpath.example"
    assert "Modules passed: from 0 to 8 modules" in str(deadline["DESCRIPTION"])
    assert "Plan: Become a Senior PM" in str(deadline["DESCRIPTION"])
    assert str(deadline["URL"]) == SITE_URL + alice_dates.cpm_course.get_absolute_url()
    milestone = events["Milestone: Pass module 4 (Earn the CPM)"]
    assert (
        str(milestone["UID"]) == f"{opaque_uid(f'milestone-{alice_dates.milestone.pk}')}@careerpath.example"
    )
    assert str(events["Target: earn CPO"]["URL"]) == SITE_URL + alice_dates.plan.get_absolute_url()
    assert "Plan: Become a Senior PM" in str(events["Target: earn CPO"]["DESCRIPTION"])


def test_uids_are_stable_between_fetches(client, feed, alice_dates):
    def uids():
        return sorted(str(e["UID"]) for e in parse(fetch(client, feed.token)).walk("VEVENT"))

    assert uids() == uids()
    assert len(set(uids())) == 4


def test_uids_carry_no_database_id(client, feed, alice_dates):
    """A calendar app syncs UIDs to other services: they must not tell how many goals exist."""
    cal = parse(fetch(client, feed.token))
    ids = {str(pk) for pk in (alice_dates.cpm_course.pk, alice_dates.milestone.pk, alice_dates.plan.pk)}
    for uid in [str(e["UID"]) for e in cal.walk("VEVENT")] + [str(cal["UID"])]:
        local = uid.split("@")[0]
        assert re.fullmatch(r"[0-9a-f]{32}", local), uid
        assert not any(f"-{pk}" in local for pk in ids)


def test_feed_without_plans_is_an_empty_calendar(client, feed):
    cal = parse(fetch(client, feed.token))

    assert cal.walk("VEVENT") == []
    assert str(cal["X-WR-CALNAME"]) == "CareerPath"


# --- The token is the secret -------------------------------------------------------------


def test_feed_needs_no_login(client, feed, alice_dates):
    assert fetch(client, feed.token).status_code == 200


def test_unknown_token_is_404(client, feed):
    assert fetch(client, "not-the-token").status_code == 404


def test_inactive_users_feed_is_404(client, feed, alice):
    alice.is_active = False
    alice.save()

    assert fetch(client, feed.token).status_code == 404


def test_regenerate_cuts_off_the_old_link(alice_client, feed, alice_dates):
    old_token = feed.token

    response = alice_client.post(reverse("goals:calendar_regenerate"), follow=True)

    feed.refresh_from_db()
    assert feed.token != old_token
    assert fetch(alice_client, old_token).status_code == 404
    assert len(parse(fetch(alice_client, feed.token)).walk("VEVENT")) == 4
    assert response.redirect_chain == [(reverse("goals:calendar_settings"), 302)]
    assert "old link stop updating" in response.content.decode()
    assert feed.token in response.content.decode()


# --- The settings page -------------------------------------------------------------------


def test_owner_sees_their_feed_url(alice_client, alice):
    response = alice_client.get(reverse("goals:calendar_settings"))

    assert response.status_code == 200
    feed = CalendarFeed.objects.get(user=alice)
    path = f"/goals/calendar/{feed.token}.ics"
    body = response.content.decode()
    assert f"{SITE_URL}{path}" in body
    assert f"webcal://careerpath.example{path}" in body
    assert "Google Calendar" in body and "Apple Calendar" in body and "Outlook" in body


def test_calendar_page_has_a_copy_button_and_instructions(alice_client, alice):
    body = alice_client.get(reverse("goals:calendar_settings")).content.decode()

    # The address is a plain read-only field (selectable without JavaScript); the Copy button
    # stays hidden until static/js/copy-field.js shows it. No inline script.
    assert 'id="feed-url" type="text"' in body and "readonly" in body
    button = body[body.index('data-testid="copy-feed-url"') - 200 : body.index('data-testid="copy-feed-url"')]
    assert 'data-copy-target="feed-url"' in button and "hidden" in button
    assert "/static/js/copy-field.js" in body
    assert "<script>" not in body and "onclick" not in body
    instructions = " ".join(strip_tags(body[body.index('data-testid="calendar-instructions"') :]).split())
    assert "Google Calendar" in instructions and "Other calendars, click + → From URL" in instructions
    assert "Apple Calendar" in instructions and "File → New Calendar Subscription" in instructions
    assert "Outlook" in instructions and "Add calendar → Subscribe from web" in instructions


def test_calendar_page_says_what_the_feed_leaves_out(alice_client):
    body = alice_client.get(reverse("goals:calendar_settings")).content.decode()
    contents = " ".join(strip_tags(body[body.index('data-testid="feed-contents"') :]).split())

    assert "completed, paused and abandoned goals" in contents
    assert "certifications you have earned" in contents


def test_dashboard_links_to_the_calendar_page(alice_client, alice_dates):
    response = alice_client.get(reverse("home"))

    assert (
        f'href="{reverse("goals:calendar_settings")}" data-testid="calendar-link"'
        in response.content.decode()
    )


def test_settings_page_keeps_the_same_feed(alice_client, alice):
    alice_client.get(reverse("goals:calendar_settings"))
    token = CalendarFeed.objects.get(user=alice).token

    alice_client.get(reverse("goals:calendar_settings"))

    assert list(CalendarFeed.objects.filter(user=alice).values_list("token", flat=True)) == [token]


def test_user_menu_links_to_the_calendar_feed(alice_client):
    response = alice_client.get(reverse("goals:calendar_settings"))

    assert f'href="{reverse("goals:calendar_settings")}">Calendar feed<' in response.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    for response in (
        client.get(reverse("goals:calendar_settings")),
        client.post(reverse("goals:calendar_regenerate")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not CalendarFeed.objects.exists()


def test_regenerate_needs_post(alice_client, feed):
    response = alice_client.get(reverse("goals:calendar_regenerate"))

    assert response.status_code == 405
    assert CalendarFeed.objects.get(pk=feed.pk).token == feed.token


def test_regenerate_only_touches_own_feed(bob_client, feed, bob):
    bob_client.post(reverse("goals:calendar_regenerate"))

    assert CalendarFeed.objects.get(pk=feed.pk).token == feed.token
    assert CalendarFeed.objects.filter(user=bob).exists()


# --- Query counts ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 50])
def test_feed_queries_do_not_grow_with_goals(client, feed, alice, size, django_assert_max_num_queries):
    plans = [CareerPlanFactory(owner=alice), CareerPlanFactory(owner=alice)]
    for i in range(size):
        goal = GoalFactory(plan=plans[i % 2])
        MilestoneFactory.create_batch(2, goal=goal)
        PlanCertificationFactory(plan=plans[i % 2], target_date=D(2030, 1, 1) + datetime.timedelta(days=i))

    # The feed with its user; goals with their plans; open milestones; certifications with plan
    # and certification; the 1:1s the person takes part in.
    with django_assert_max_num_queries(5):
        response = fetch(client, feed.token)

    assert len(parse(response).walk("VEVENT")) == size * 4
