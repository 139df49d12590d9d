"""Reminder settings: the model's rules, the goals they schedule, the page, unsubscribing, the admin.

Time is frozen at Wednesday 25 March 2026, 12:00 UTC: the Sunday after, Europe/Berlin moves to
summer time, so Berlin's "Monday 09:00" is 08:00 UTC before it and 07:00 UTC after it.
"""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import IntegrityError
from django.test import RequestFactory
from django.urls import reverse

from goals import services
from goals.admin import GoalAdmin
from goals.models import Goal, ReminderSettings
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 25, 12, 0, tzinfo=UTC)
URL = "/goals/reminders/"
FRIDAY = ReminderSettings.Weekday.FRIDAY


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    # Not conftest's frozen_time (15 June): these tests want a week with a daylight-saving change.
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def alices_goals(plan):
    """Alice's goals, scheduled with the default settings (Monday 09:00 UTC)."""
    make = lambda **kw: services.goal_save(goal=GoalFactory.build(plan=plan, **kw))  # noqa: E731
    return {
        "weekly": make(reminder_cadence=Goal.Cadence.WEEKLY),
        "monthly": make(reminder_cadence=Goal.Cadence.MONTHLY),
        "never": make(reminder_cadence=Goal.Cadence.NEVER),
        "paused": make(status=Goal.Status.PAUSED),
    }


@pytest.fixture
def bobs_goal(bob):
    return services.goal_save(goal=GoalFactory.build(plan=CareerPlanFactory(owner=bob)))


def reminder_times(goals: dict) -> dict:
    return {name: Goal.objects.get(pk=goal.pk).next_reminder_at for name, goal in goals.items()}


def settings_data(**overrides) -> dict:
    data = {
        "timezone": "America/New_York",
        "weekday": str(FRIDAY),
        "hour": "18",
        "default_cadence": "monthly",
        "paused_until": "",
    }
    return {**data, **overrides}


# --- The model ------------------------------------------------------------------------------


def test_reading_settings_never_writes_a_row(alice, django_assert_num_queries):
    with django_assert_num_queries(1):
        prefs = ReminderSettings.for_user(alice)
    assert prefs.pk is None
    assert (prefs.timezone, prefs.hour, prefs.weekday, prefs.default_cadence) == ("UTC", 9, 0, "weekly")
    assert prefs.receives_reminders and not prefs.is_paused()
    assert not ReminderSettings.objects.exists()


def test_saved_settings_are_read_back(alice):
    saved = ReminderSettings.objects.create(user=alice, timezone="Europe/Berlin")
    alice.refresh_from_db()
    assert ReminderSettings.for_user(alice) == saved


def test_a_pause_lasts_until_its_end_date(alice):
    prefs = ReminderSettings(user=alice, paused_until=date(2026, 4, 1))
    assert prefs.is_paused(date(2026, 3, 31))
    assert not prefs.is_paused(date(2026, 4, 1))
    assert prefs.is_paused()  # today, 25 March


@pytest.mark.parametrize("field, value", [("hour", 7), ("hour", 21), ("weekday", 7)])
def test_the_database_refuses_night_hours_and_unknown_days(alice, field, value):
    with pytest.raises(IntegrityError):
        ReminderSettings.objects.create(user=alice, **{field: value})


# --- Goal.schedule_next_reminder with the owner's settings ---------------------------------------


def test_a_goal_is_reminded_on_the_owners_day_and_local_hour(plan, alice):
    ReminderSettings.objects.create(user=alice, timezone="Europe/Berlin", hour=9, weekday=0)
    goal = GoalFactory(plan=plan)
    goal.schedule_next_reminder()
    assert goal.next_reminder_at == utc(2026, 3, 30, 7)  # Monday 09:00 CEST


def test_without_settings_the_defaults_apply(plan):
    goal = GoalFactory(plan=plan, reminder_cadence=Goal.Cadence.FORTNIGHTLY)
    goal.schedule_next_reminder()
    assert goal.next_reminder_at == utc(2026, 4, 6, 9)  # Monday 09:00 UTC, 12 days on


def test_paused_owner_is_reminded_at_the_first_slot_after_the_pause(plan, alice):
    ReminderSettings.objects.create(user=alice, timezone="Europe/Berlin", paused_until=date(2026, 4, 15))
    goal = GoalFactory(plan=plan)
    goal.schedule_next_reminder()
    assert goal.next_reminder_at == utc(2026, 4, 20, 7)  # the Monday after Wednesday 15 April


def test_unsubscribed_owner_gets_no_reminder_time(plan, alice):
    ReminderSettings.objects.create(user=alice, unsubscribed_at=NOW)
    goal = GoalFactory(plan=plan, next_reminder_at=NOW)
    goal.schedule_next_reminder()
    assert goal.next_reminder_at is None


def test_cadence_never_gets_no_reminder_time(plan):
    goal = GoalFactory(plan=plan, reminder_cadence=Goal.Cadence.NEVER, next_reminder_at=NOW)
    goal.schedule_next_reminder()
    assert goal.next_reminder_at is None


@pytest.mark.parametrize("status", ["paused", "completed", "abandoned"])
def test_inactive_goal_gets_no_reminder_time(plan, status):
    goal = GoalFactory(plan=plan, status=status, next_reminder_at=NOW)
    goal.schedule_next_reminder()
    assert goal.next_reminder_at is None


# --- The page, for the owner -------------------------------------------------------------------


def test_owner_sees_the_page_with_their_next_reminder(alice_client, alices_goals):
    response = alice_client.get(URL)
    assert response.status_code == 200
    assert response.context["form"]["timezone"].value() == "UTC"
    assert "Your next reminder: <strong>Monday 30 March, 09:00</strong> (UTC)" in response.content.decode()


def test_page_is_in_the_account_menu(alice_client):
    assert (
        f'href="{reverse("goals:reminder_settings")}"' in alice_client.get(reverse("home")).content.decode()
    )


def test_first_visit_offers_the_browser_time_zone(alice_client, alice):
    html = alice_client.get(URL).content.decode()
    assert "data-browser-timezone" in html
    assert "js/reminder-timezone.js" in html
    assert '<option value="Europe/Berlin">Europe/Berlin</option>' in html

    ReminderSettings.objects.create(user=alice, timezone="Asia/Tokyo")
    html = alice_client.get(URL).content.decode()
    assert "data-browser-timezone" not in html
    assert '<option value="Asia/Tokyo" selected>Asia/Tokyo</option>' in html


def test_owner_saves_and_their_goals_move_to_the_new_slot(alice_client, alice, alices_goals, bobs_goal):
    assert reminder_times(alices_goals) == {
        "weekly": utc(2026, 3, 30, 9),
        "monthly": utc(2026, 4, 20, 9),
        "never": None,
        "paused": None,
    }

    response = alice_client.post(URL, settings_data())

    assert response.status_code == 302 and response["Location"] == URL
    prefs = ReminderSettings.objects.get(user=alice)
    assert (prefs.timezone, prefs.weekday, prefs.hour, prefs.default_cadence, prefs.paused_until) == (
        "America/New_York",
        FRIDAY,
        18,
        "monthly",
        None,
    )
    # Friday 18:00 in New York (22:00 UTC), the last one no later than each was already due.
    assert reminder_times(alices_goals) == {
        "weekly": utc(2026, 3, 27, 22),
        "monthly": utc(2026, 4, 17, 22),
        "never": None,
        "paused": None,
    }
    assert Goal.objects.get(pk=bobs_goal.pk).next_reminder_at == bobs_goal.next_reminder_at
    html = alice_client.get(URL).content.decode()
    assert "Your next reminder: <strong>Friday 27 March, 18:00</strong> (America/New_York)" in html


def test_a_new_day_just_after_the_due_time_takes_the_next_slot(alice_client, alices_goals):
    # Weekly was due Monday 30 March; the Tuesday before it has passed: Tuesday 31 March, 18:00 EDT.
    alice_client.post(URL, settings_data(weekday="1"))
    assert reminder_times(alices_goals)["weekly"] == utc(2026, 3, 31, 22)


def test_a_pause_moves_every_reminder_past_it(alice_client, alices_goals):
    alice_client.post(URL, settings_data(paused_until="2026-05-01"))

    times = reminder_times(alices_goals)
    assert times["weekly"] == times["monthly"] == utc(2026, 5, 1, 22)  # Friday 1 May, 18:00 EDT
    html = alice_client.get(URL).content.decode()
    assert "Paused until Friday 1 May" in html
    assert "Your next reminder: <strong>Friday 1 May, 18:00</strong>" in html


def test_ending_a_pause_early_brings_reminders_back(alice_client, alices_goals):
    alice_client.post(URL, settings_data(paused_until="2026-05-01"))
    alice_client.post(URL, settings_data(paused_until=""))
    assert reminder_times(alices_goals)["weekly"] == utc(2026, 3, 27, 22)


def test_a_pause_ending_today_is_accepted(alice_client, alice):
    response = alice_client.post(URL, settings_data(paused_until="2026-03-25"))
    assert response.status_code == 302
    assert ReminderSettings.objects.get(user=alice).paused_until == date(2026, 3, 25)


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("hour", "23", "Pick a time between 08:00 and 20:00"),
        ("hour", "7", "Pick a time between 08:00 and 20:00"),
        ("timezone", "Mars/Olympus", "“Mars/Olympus” is not a time zone we know"),
        ("weekday", "9", "Pick a day of the week"),
        ("paused_until", "2026-03-24", "That date has already passed"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(alice_client, alices_goals, field, value, error):
    before = reminder_times(alices_goals)

    response = alice_client.post(URL, settings_data(**{field: value}))

    assert response.status_code == 200
    assert any(error in message for message in response.context["form"].errors[field])
    assert error in response.content.decode()
    assert not ReminderSettings.objects.exists()
    assert reminder_times(alices_goals) == before
    # The summary still describes what is stored, not the rejected input.
    assert "Monday 30 March, 09:00</strong> (UTC)" in response.content.decode()


def test_a_past_pause_date_is_judged_in_their_own_time_zone(alice_client):
    # 12:00 UTC on 25 March is already 26 March in Auckland.
    response = alice_client.post(URL, settings_data(timezone="Pacific/Auckland", paused_until="2026-03-25"))
    assert "paused_until" in response.context["form"].errors


def test_page_queries_do_not_grow_with_goals(alice_client, plan, django_assert_num_queries):
    # session, user, reminder settings; the next digest: an active plan, the earliest next
    # reminder, the next nudge, the goals due by then; its preview (build_digests): plans, goals,
    # milestones, certifications, last digest, requirement history, 1:1s coming up; the send-now
    # limit.
    for count in (1, 25):
        GoalFactory.create_batch(count, plan=plan, next_reminder_at=NOW)
        with django_assert_num_queries(16):
            alice_client.get(URL)


# --- When nothing is due: a plan is still looked at on the person's day (issue 23, item 2) -------


def test_without_active_goals_the_page_says_when_it_looks_again(alice_client, plan):
    GoalFactory(plan=plan, status=Goal.Status.COMPLETED)
    html = alice_client.get(URL).content.decode()
    assert "Nothing to say yet. We look again on <strong>Monday 30 March, 09:00</strong> (UTC)" in html


def test_with_only_no_reminder_goals_the_page_says_when_it_looks_again(alice_client, plan):
    GoalFactory(plan=plan, reminder_cadence=Goal.Cadence.NEVER)
    html = alice_client.get(URL).content.decode()
    assert "Nothing to say yet. We look again on <strong>Monday 30 March, 09:00</strong> (UTC)" in html


# --- Unsubscribe and resubscribe ---------------------------------------------------------------


def test_unsubscribe_clears_every_reminder_and_resubscribe_restores_them(
    alice_client, alice, alices_goals, frozen
):
    response = alice_client.post(reverse("goals:reminder_unsubscribe"))

    assert response.status_code == 302 and response["Location"] == URL
    assert ReminderSettings.objects.get(user=alice).unsubscribed_at == NOW
    assert set(reminder_times(alices_goals).values()) == {None}
    html = alice_client.get(URL).content.decode()
    assert "You have unsubscribed from reminder emails" in html
    assert reverse("goals:reminder_resubscribe") in html

    frozen.move_to(datetime(2026, 4, 2, 12, 0, tzinfo=UTC))  # Thursday a week later
    response = alice_client.post(reverse("goals:reminder_resubscribe"))

    assert response.status_code == 302
    assert ReminderSettings.objects.get(user=alice).unsubscribed_at is None
    assert reminder_times(alices_goals) == {
        "weekly": utc(2026, 4, 6, 9),
        "monthly": utc(2026, 4, 27, 9),
        "never": None,
        "paused": None,
    }
    assert reverse("goals:reminder_unsubscribe") in alice_client.get(URL).content.decode()


def test_unsubscribed_person_keeps_no_reminder_when_saving_settings(alice_client, alice, alices_goals):
    alice_client.post(reverse("goals:reminder_unsubscribe"))
    alice_client.post(URL, settings_data())
    assert set(reminder_times(alices_goals).values()) == {None}
    assert ReminderSettings.objects.get(user=alice).unsubscribed_at == NOW


@pytest.mark.parametrize("name", ["goals:reminder_unsubscribe", "goals:reminder_resubscribe"])
def test_unsubscribing_needs_a_post(alice_client, name):
    assert alice_client.get(reverse(name)).status_code == 405
    assert not ReminderSettings.objects.exists()


# --- Another user, and an anonymous visitor -----------------------------------------------------


def test_another_user_only_ever_sees_and_changes_their_own(client, alice, bob, alices_goals, bobs_goal):
    ReminderSettings.objects.create(user=alice, timezone="Europe/Berlin", hour=17)
    alice_before = reminder_times(alices_goals)
    client.force_login(bob)

    response = client.get(URL)
    assert response.context["form"]["timezone"].value() == "UTC"
    assert "Europe/Berlin</strong>" not in response.content.decode()
    assert "Monday 30 March, 09:00</strong> (UTC)" in response.content.decode()  # Bob's own goal

    client.post(URL, settings_data())
    client.post(reverse("goals:reminder_unsubscribe"))

    alices = ReminderSettings.objects.get(user=alice)
    assert (alices.timezone, alices.hour, alices.unsubscribed_at) == ("Europe/Berlin", 17, None)
    assert reminder_times(alices_goals) == alice_before
    assert ReminderSettings.objects.get(user=bob).timezone == "America/New_York"
    assert Goal.objects.get(pk=bobs_goal.pk).next_reminder_at is None


@pytest.mark.parametrize(
    "method, name",
    [
        ("get", "goals:reminder_settings"),
        ("post", "goals:reminder_settings"),
        ("post", "goals:reminder_unsubscribe"),
        ("post", "goals:reminder_resubscribe"),
    ],
)
def test_anonymous_visitor_is_sent_to_sign_in(client, method, name):
    response = getattr(client, method)(reverse(name), settings_data() if method == "post" else None)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={reverse(name)}"
    assert not ReminderSettings.objects.exists()


# --- New goals start from the default cadence ----------------------------------------------------


def test_a_new_goal_starts_with_the_default_cadence(alice_client, alice, plan):
    create = reverse("goals:create", args=[plan.pk])
    assert alice_client.get(create).context["form"]["reminder_cadence"].value() == "weekly"

    ReminderSettings.objects.create(user=alice, default_cadence=Goal.Cadence.MONTHLY)
    assert alice_client.get(create).context["form"]["reminder_cadence"].value() == "monthly"


def test_an_existing_goal_keeps_its_own_cadence(alice_client, alice, plan):
    ReminderSettings.objects.create(user=alice, default_cadence=Goal.Cadence.MONTHLY)
    goal = GoalFactory(plan=plan, reminder_cadence=Goal.Cadence.FORTNIGHTLY)
    form = alice_client.get(reverse("goals:edit", args=[goal.pk])).context["form"]
    assert form["reminder_cadence"].value() == "fortnightly"


# --- The admin ---------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    return client


def test_admin_lists_and_finds_settings_by_email(staff_client, alice, bob):
    ReminderSettings.objects.create(user=alice, timezone="Europe/Berlin")
    ReminderSettings.objects.create(user=bob, timezone="Asia/Tokyo")
    response = staff_client.get(reverse("admin:goals_remindersettings_changelist"), {"q": "bob@"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [ReminderSettings.objects.get(user=bob)]


def test_admin_change_reschedules_the_persons_goals(staff_client, alice, alices_goals):
    prefs = ReminderSettings.objects.create(user=alice)
    response = staff_client.post(
        reverse("admin:goals_remindersettings_change", args=[prefs.pk]), settings_data()
    )
    assert response.status_code == 302
    assert reminder_times(alices_goals)["weekly"] == utc(2026, 3, 27, 22)


def test_goal_admin_sets_reminder_times_through_the_slot(alice, plan):
    ReminderSettings.objects.create(user=alice, timezone="Europe/Berlin")
    goal = GoalFactory(plan=plan, reminder_cadence=Goal.Cadence.MONTHLY)
    form = type("Form", (), {"changed_data": ["reminder_cadence"]})()
    request = RequestFactory().post("/admin/")
    request.user = alice

    GoalAdmin(Goal, None).save_model(request, goal, form, change=True)

    assert Goal.objects.get(pk=goal.pk).next_reminder_at == utc(2026, 4, 20, 7)  # Monday 09:00 CEST


def test_the_settings_read_after_a_save_are_the_saved_ones(alice):
    services.reminder_unsubscribe(user=alice)

    saved = services.reminder_settings_save(
        user=alice, timezone="Europe/Paris", hour=8, weekday=1, default_cadence="weekly", paused_until=None
    )

    read = ReminderSettings.for_user(alice)
    assert read.pk == saved.pk and read.timezone == "Europe/Paris"
    assert read.unsubscribed_at is not None  # saving when reminders go out is no resubscription
