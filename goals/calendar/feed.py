"""A person's private iCalendar feed: what they are working towards, dated.

One all-day event per date: the deadlines of active goals and their open milestones, and the
target dates of certifications being pursued. What is done or set aside leaves the feed:
completed, paused and abandoned goals, done milestones, earned certifications (their expiry is
on the plan page and in the reminder email). Only the person's own active plans count, never
plans shared with them: the feed is read without signing in, so it must not widen what the
token reveals.

The 1:1s the person takes part in are timed events (goals.oneonones): their own plans' 1:1s, and
as a mentor those on a share they still hold, from 30 days back. A mentor's event says only when
and with whom, and links to the 1:1's page (which asks them to sign in): nothing of the plan.
"""

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.crypto import salted_hmac
from icalendar import TRANSP, Calendar, Event, vDuration

from base.numbers import plain_number
from goals.models import CalendarFeed, Goal, Milestone
from goals.oneonones.models import OneOnOne
from plans.models import CareerPlan, PlanCertification
from skills.models import add_days

PRODID = "-//CareerPath//Goals calendar feed//EN"
# How often calendar apps are asked to poll; Google and Apple decide for themselves anyway.
REFRESH_INTERVAL = timedelta(hours=6)


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def opaque_uid(name: str) -> str:
    """A stable UID for ``name`` ("goal-12") that tells a calendar app, or anyone it syncs to, no
    database id: the same for every fetch of the feed, different for every name."""
    return salted_hmac("goals.calendar.uid", name).hexdigest()[:32]


def feed_urls(feed: CalendarFeed) -> tuple[str, str]:
    """The feed's web address and its webcal:// twin, which calendar apps open as a subscription."""
    url = absolute_url(feed.get_absolute_url())
    return url, "webcal://" + url.split("://", 1)[1]


def calendar_goals(user) -> list[Goal]:
    """Active goals on the user's own active plans, with their open milestones (2 queries)."""
    return list(
        Goal.objects.for_owner(user)
        .filter(plan__status=CareerPlan.Status.ACTIVE, status=Goal.Status.ACTIVE)
        .select_related("plan")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.filter(done_at__isnull=True)))
    )


def calendar_certifications(user) -> list[PlanCertification]:
    """Certifications being pursued (planned or in progress) with a target date (1 query)."""
    return list(
        PlanCertification.objects.filter(
            plan__owner=user,
            plan__status=CareerPlan.Status.ACTIVE,
            status__in=[PlanCertification.Status.PLANNED, PlanCertification.Status.IN_PROGRESS],
            target_date__isnull=False,
        ).select_related("plan", "certification")
    )


# 1:1s this long past stay in the feed; older ones are history, on the 1:1s page.
ONE_ON_ONES_BACK = timedelta(days=30)


def calendar_one_on_ones(user, now: datetime) -> list[OneOnOne]:
    """1:1s the user takes part in, from ONE_ON_ONES_BACK ago (1 query)."""
    return list(
        OneOnOne.objects.of_person([user.pk])
        .filter(starts_at__gte=now - ONE_ON_ONES_BACK)
        .select_related("plan__owner", "share__user")
    )


def build_calendar(user, now: datetime | None = None) -> bytes:
    """The user's feed as iCalendar bytes (RFC 5545), in four queries."""
    builder = _Builder(now or timezone.now())
    for one in calendar_one_on_ones(user, builder.now):
        builder.add_one_on_one(one, user)
    for goal in calendar_goals(user):
        builder.add_goal(goal)
        for milestone in goal.milestones.all():
            builder.add_milestone(milestone, goal)
    for pursued in calendar_certifications(user):
        builder.add_certification_target(pursued)
    return builder.calendar(uid=f"feed-{user.pk}").to_ical()


def _day(day: date) -> str:
    """A date in words, from the field: a title may name an older one (decisions.md, "Goals")."""
    return f"{day.day} {day:%b %Y}"


def _certification_label(held: PlanCertification) -> str:
    return held.certification.abbreviation or held.certification.name


class _Builder:
    def __init__(self, now: datetime) -> None:
        self.now = now
        # UIDs must be globally unique (RFC 5545 §3.8.4.7): the site's host keeps a staging
        # and a production feed in the same calendar app from overwriting each other.
        self.domain = urlsplit(settings.SITE_URL).hostname or "careerpath"
        self.events: list[Event] = []

    def add_goal(self, goal: Goal) -> None:
        lines = [
            f"{goal.metric}: from {plain_number(goal.baseline)} to {plain_number(goal.target)} {goal.unit}",
            f"Due {_day(goal.deadline)}",
            f"Plan: {goal.plan.title}",
        ]
        self._add(f"goal-{goal.pk}", goal.deadline, f"Deadline: {goal.title}", lines, goal.get_absolute_url())

    def add_milestone(self, milestone: Milestone, goal: Goal) -> None:
        summary = f"Milestone: {milestone.title} ({goal.title})"
        lines = [f"Goal: {goal.title}, due {_day(goal.deadline)}", f"Plan: {goal.plan.title}"]
        self._add(f"milestone-{milestone.pk}", milestone.due_date, summary, lines, goal.get_absolute_url())

    def add_certification_target(self, held: PlanCertification) -> None:
        assert held.target_date is not None  # the feed reads only records with one
        lines = [
            f"{held.certification.name}: {held.get_status_display().lower()}.",
            f"Plan: {held.plan.title}",
        ]
        summary = f"Target: earn {_certification_label(held)}"
        self._add(
            f"certification-target-{held.pk}", held.target_date, summary, lines, held.plan.get_absolute_url()
        )

    def add_one_on_one(self, one: OneOnOne, user) -> None:
        """A timed event that marks both people busy; the owner's names the plan, the mentor's
        only the person."""
        lines = [f"Plan: {one.plan.title}"] if one.is_owned_by(user) else []
        url = absolute_url(one.get_absolute_url())
        event = Event.new(
            uid=f"{opaque_uid(f'one-on-one-{one.pk}')}@{self.domain}",
            stamp=self.now,
            start=one.starts_at,
            end=one.ends_at,
            summary=f"1:1 with {one.other_side_name(user)}",
            description="\n".join([*lines, url]),
            url=url,
            transparency=TRANSP.OPAQUE,
        )
        self.events.append(event)

    def _add(self, uid: str, day: date, summary: str, lines: list[str], path: str) -> None:
        url = absolute_url(path)
        event = Event.new(
            uid=f"{opaque_uid(uid)}@{self.domain}",
            stamp=self.now,
            start=day,
            end=add_days(day, 1),
            summary=summary,
            description="\n".join([*lines, url]),
            url=url,
            # All-day reminders, not appointments: they must not mark the person busy.
            transparency=TRANSP.TRANSPARENT,
        )
        self.events.append(event)

    def calendar(self, uid: str) -> Calendar:
        events = sorted(self.events, key=lambda e: (e.start.isoformat(), str(e.uid)))  # dates and 1:1s' times
        cal = Calendar.new(
            prodid=PRODID,
            uid=f"{opaque_uid(uid)}@{self.domain}",
            name="CareerPath",
            description="Goal deadlines, milestones, certification target dates and 1:1s from CareerPath.",
            method="PUBLISH",
            calscale="GREGORIAN",
            refresh_interval=REFRESH_INTERVAL,
            subcomponents=events,
        )
        cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # required by RFC 7986 §5.7
        cal.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))  # Outlook's name for the same hint
        return cal
