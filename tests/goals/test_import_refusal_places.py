"""A refused file names the place of each problem, entry by entry, so a person can find it in the
file (issue 28, from the mutants of goals/portability/checking.py that no test noticed: the
places of problems in assessments, certifications, comments and check-ins, every problem of a
file told at once, and the last moment a file may name)."""

from datetime import timedelta

import pytest

from goals.portability.reading import ImportRefused
from goals.portability.writing import import_document
from plans.models import CareerPlan
from tests.conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_time")]

PLAN = "plans[0] ('Become a Senior PM')"
GOAL = "plans[0].goals[0] ('Reach level 4 in market analysis')"


def problems_of(document, user) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        import_document(document, user=user)
    return sorted(refused.value.problems)


def test_every_problem_of_a_file_is_named_where_it_is(document, bob):
    plan = document["plans"][0]
    plan["certifications"].append(dict(plan["certifications"][0]))
    plan["goals"][0]["comments"][0]["created_at"] = "1850-01-01T00:00:00+00:00"
    plan["comments"][0]["created_at"] = "2099-01-01T00:00:00+00:00"
    first, second = plan["goals"][0]["check_ins"]
    second["assessment"] = first["assessment"]

    happened = "is not between 1900-01-01 and tomorrow: it says when something happened"
    assert problems_of(document, bob) == [
        f"{PLAN}: certifications[1].certification: is on this plan twice",
        f"{PLAN}: comments[0].created_at: '2099-01-01T00:00:00+00:00' {happened}",
        f"{GOAL}: check_ins[1].assessment: '{first['assessment']}' is recorded by another check-in too",
        f"{GOAL}: comments[0].created_at: '1850-01-01T00:00:00+00:00' {happened}",
    ]
    assert not CareerPlan.objects.filter(owner=bob).exists()


def test_each_value_the_schema_refuses_is_named_where_it_is(document, bob):
    plan = document["plans"][0]
    plan["assessments"][0]["level"] = 9
    plan["activities"][0]["date"] = "2026-13-01"
    plan["comments"][0]["created_at"] = "yesterday"

    assert problems_of(document, bob) == [
        f"{PLAN}: assessments[0].level: 9 is out of range 1..5",
        f"{PLAN}: comments[0].created_at: 'yesterday' has the wrong form",
        "plans[0].activities[0] ('Pricing course'): date: '2026-13-01' is an invalid date: write it as "
        "YYYY-MM-DD, a day the calendar has",
    ]


@pytest.mark.parametrize(
    ("ahead", "accepted"), [(timedelta(days=1), True), (timedelta(days=1, seconds=1), False)]
)
def test_a_moment_may_be_as_late_as_tomorrow_and_no_later(document, bob, ahead, accepted):
    """A file written in a zone ahead of this server's can name a moment up to a day ahead of it."""
    document["plans"][0]["comments"][0]["created_at"] = (NOW + ahead).isoformat()
    if accepted:
        import_document(document, user=bob)
        assert CareerPlan.objects.filter(owner=bob).exists()
    else:
        [problem] = problems_of(document, bob)
        assert problem.startswith(f"{PLAN}: comments[0].created_at: ")


def test_an_assessments_and_an_activitys_own_problems_are_named_where_they_are(document, bob):
    """Problems the schema cannot see (an id used twice, a time before 1900, a date no form takes)
    in a plan's self-assessments and activities."""
    plan = document["plans"][0]
    first, second = plan["assessments"]
    lost, second["id"] = second["id"], first["id"]  # the check-in recording it names it still
    first["assessed_at"] = "1850-01-01T00:00:00+00:00"
    plan["activities"][0]["date"] = "2201-01-01"

    happened = "is not between 1900-01-01 and tomorrow: it says when something happened"
    assert problems_of(document, bob) == sorted(
        [
            f"{PLAN}: assessments[0].assessed_at: '1850-01-01T00:00:00+00:00' {happened}",
            f"{PLAN}: assessments[1].id: '{first['id']}' is the id of another entry too",
            "plans[0].activities[0] ('Pricing course'): date: Enter a date between 1900 and 2200.",
            f"{GOAL}: check_ins[1].assessment: '{lost}' is not a self-assessment of this plan",
        ]
    )
    assert not CareerPlan.objects.filter(owner=bob).exists()


def test_each_wrong_time_of_one_entry_is_named(document, bob):
    """A plan made before 1900 and changed after tomorrow: both times named, not only the first."""
    plan = document["plans"][0]
    plan["created_at"] = "1850-01-01T00:00:00+00:00"
    plan["updated_at"] = "2099-01-01T00:00:00+00:00"

    happened = "is not between 1900-01-01 and tomorrow: it says when something happened"
    assert problems_of(document, bob) == [
        f"{PLAN}: created_at: '1850-01-01T00:00:00+00:00' {happened}",
        f"{PLAN}: updated_at: '2099-01-01T00:00:00+00:00' {happened}",
    ]


def test_a_rule_across_an_entrys_fields_is_named_on_the_entry(document, bob):
    """A goal's deadline before its start breaks a rule of the goal, not of one field: the problem
    is named on the goal."""
    goal = document["plans"][0]["goals"][0]
    goal["deadline"], goal["start_date"] = goal["start_date"], goal["deadline"]

    assert problems_of(document, bob) == [f"{GOAL}: The deadline has to be after the start date."]


def test_a_target_equal_to_the_baseline_is_named_on_the_goal_in_the_forms_words(document, bob):
    goal = document["plans"][0]["goals"][0]
    goal["target"] = goal["baseline"]

    assert problems_of(document, bob) == [
        f"{GOAL}: The target is the same as the baseline: set where you want to be, above or below it."
    ]


def test_a_certification_expiring_before_it_was_earned_is_named_in_the_forms_words(document, bob):
    certification = document["plans"][0]["certifications"][0]
    certification["expires_on"] = certification["earned_on"]

    assert problems_of(document, bob) == [
        f"{PLAN}: certifications[0]: It has to expire after the day you earned it: pick a later date."
    ]


def test_a_reminder_hour_at_night_is_refused_in_the_settings_forms_words(document, bob):
    document["reminder_settings"]["hour"] = 3

    assert problems_of(document, bob) == [
        "reminder_settings.hour: Pick a time between 08:00 and 20:00: we never send reminders at night."
    ]
