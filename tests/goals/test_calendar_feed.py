"""The private calendar feed: what it carries, who it leaks nothing to, the settings page, query counts."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

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
        plan=plan, title="Earn the CPM", metric="Modules passed", unit="modules", baseline=0, target=8,
        start_date=D(2030, 1, 1), deadline=D(2030, 6, 30),
    )  # fmt: skip
    interviews = GoalFactory(
        plan=plan, title="Interview 10 customers", status=Goal.Status.PAUSED,
        start_date=D(2030, 1, 1), deadline=D(2030, 9, 15),
    )  # fmt: skip
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
        plan=plan, certification=CertificationFactory(abbreviation="FOREVER", validity_months=None),
        status=PlanCertification.Status.EARNED, earned_on=D(2029, 1, 1),
    )  # fmt: skip

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

    return SimpleNamespace(plan=plan, cpm_course=cpm_course, interviews=interviews, milestone=open_milestone,
                           earned=earned)  # fmt: skip


# --- What the feed carries --------------------------------------------------------------


def test_feed_carries_deadlines_milestones_expiries_and_targets(client, feed, alice_dates):
    cal = parse(fetch(client, feed.token))

    assert dated_summaries(cal) == {
        ("Deadline: Earn the CPM", D(2030, 6, 30)),
        ("Deadline: Interview 10 customers", D(2030, 9, 15)),
        ("Milestone: Pass module 4 (Earn the CPM)", D(2030, 3, 31)),
        ("CPM expires", D(2031, 3, 10)),
        ("Target: earn CPO", D(2030, 11, 1)),
        ("Target: earn CPL", D(2031, 2, 1)),
    }
    assert prefixes(cal) == {
        ("Deadline", D(2030, 6, 30)),
        ("Deadline", D(2030, 9, 15)),
        ("Milestone", D(2030, 3, 31)),
        ("Expires", alice_dates.earned.expires_on),
        ("Target", D(2030, 11, 1)),
        ("Target", D(2031, 2, 1)),
    }


def test_done_milestones_and_closed_goals_are_absent(client, feed, alice_dates):
    summaries = {summary for summary, _ in dated_summaries(parse(fetch(client, feed.token)))}

    assert not any("Pass module 1" in s for s in summaries)
    assert not any("Learn SQL" in s or "Abandoned" in s for s in summaries)
    assert "Deadline: Ship the roadmap" not in summaries
    assert not any("Archived" in s for s in summaries)


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
    assert str(deadline["UID"]) == f"goal-{alice_dates.cpm_course.pk}@careerpath.example"
    assert "Modules passed: from 0 to 8 modules" in str(deadline["DESCRIPTION"])
    assert "Plan: Become a Senior PM" in str(deadline["DESCRIPTION"])
    assert str(deadline["URL"]) == SITE_URL + alice_dates.cpm_course.get_absolute_url()
    assert "paused" in str(events["Deadline: Interview 10 customers"]["DESCRIPTION"])
    milestone = events["Milestone: Pass module 4 (Earn the CPM)"]
    assert str(milestone["UID"]) == f"milestone-{alice_dates.milestone.pk}@careerpath.example"
    assert str(events["CPM expires"]["URL"]) == SITE_URL + alice_dates.plan.get_absolute_url()
    assert "Plan: Become a Senior PM" in str(events["Target: earn CPO"]["DESCRIPTION"])


def test_uids_are_stable_between_fetches(client, feed, alice_dates):
    def uids():
        return sorted(str(e["UID"]) for e in parse(fetch(client, feed.token)).walk("VEVENT"))

    assert uids() == uids()
    assert len(set(uids())) == 6


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
    assert len(parse(fetch(alice_client, feed.token)).walk("VEVENT")) == 6
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
    # and certification.
    with django_assert_max_num_queries(4):
        response = fetch(client, feed.token)

    assert len(parse(response).walk("VEVENT")) == size * 4
