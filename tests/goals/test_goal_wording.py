"""A goal's numbers with its unit, as a sentence says them (issue 23, item 10): "0 / 1 course",
not "1 courses"; "level 2 / 4", not "2 / 4 level"."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from goals.amounts import amount, fraction, progression, unit_forms
from goals.reminders import sweep
from tests.conftest import NOW, TODAY
from tests.goals.factories import CheckInFactory, GoalFactory

pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.mark.parametrize(
    "unit, forms",
    [
        ("courses", ("course", "courses")),
        ("Interviews", ("Interview", "Interviews")),
        ("activities", ("activity", "activities")),
        ("launches", ("launch", "launches")),
        ("people", ("person", "people")),
        ("certification", ("certification", "certifications")),
        ("feedback", ("feedback", "feedback")),  # typed in the singular: may have no plural
        ("class", ("class", "class")),
        ("%", ("%", "%")),
        ("hours a week", ("hours a week", "hours a week")),
        ("km", ("km", "km")),
    ],
)
def test_a_units_two_forms(unit, forms):
    assert unit_forms(unit) == forms


def test_amounts_read_as_a_sentence_says_them():
    assert amount(Decimal("1.00"), "courses") == "1 course"
    assert amount(Decimal("0"), "courses") == "0 courses"
    assert amount(Decimal("2.50"), "courses") == "2.5 courses"
    assert amount(Decimal("4"), "level") == "level 4"
    assert fraction(Decimal("0"), Decimal("1"), "courses") == "0 / 1 course"
    assert fraction(Decimal("3"), Decimal("4"), "level") == "level 3 / 4"
    assert progression(Decimal("2"), Decimal("4"), "level") == "level 2 → 4"
    assert progression(Decimal("0"), Decimal("5"), "people") == "0 → 5 people"
    assert progression(Decimal("2"), Decimal("4"), "level", "Self-assessed level") == "2 → 4"
    assert fraction(Decimal("2"), Decimal("4"), "Level", "Strategy") == "Level 2 / 4"


@pytest.fixture
def one_course(plan):
    return GoalFactory(plan=plan, title="Finish the pricing course", unit="courses", baseline=0, target=1)


@pytest.fixture
def level_goal(plan, ladder):
    return GoalFactory(
        plan=plan,
        title="Reach 4 in strategy",
        unit="level",
        skill=ladder.skills["strategy"],
        baseline=2,
        target=4,
    )


def test_the_plan_page_says_one_course(alice_client, plan, one_course):
    html = alice_client.get(plan.get_absolute_url()).content.decode()
    assert "/ 1 course</span>" in html
    assert "1 courses" not in html


def test_the_goal_page_says_one_course(alice_client, one_course):
    html = alice_client.get(one_course.get_absolute_url()).content.decode()
    assert "from 0 to <strong>1 course</strong>" in html
    assert "1 courses" not in html
    assert "progress counts from the baseline, 0 courses." in html


def test_a_level_goal_says_level_first(alice_client, plan, level_goal):
    page = alice_client.get(level_goal.get_absolute_url()).content.decode()
    assert "from level 2 to <strong>level 4</strong>" in page
    assert "4 level" not in page
    plan_page = alice_client.get(plan.get_absolute_url()).content.decode()
    assert 'level <span class="fw-semibold">' in plan_page
    assert "/ 4 level" not in plan_page


def test_a_mentor_reads_the_same_words(client, mentor, mentor_share, one_course):
    client.force_login(mentor)
    html = client.get(one_course.get_absolute_url()).content.decode()
    assert "from 0 to <strong>1 course</strong>" in html


def test_a_check_in_of_one_says_one(alice_client, plan, one_course):
    response = alice_client.post(
        reverse("goals:check_in_add", args=[one_course.pk]), {"value": "1", "date": TODAY.isoformat()}
    )
    page = alice_client.get(response["Location"])
    messages = [m.message for m in page.context["messages"]]
    assert messages[0].startswith("Recorded 1 course for “Finish the pricing course”.")


def test_the_print_view_says_one_course(alice_client, plan, one_course):
    html = alice_client.get(reverse("plans:print", args=[plan.pk])).content.decode()
    assert "0 / 1 course</td>" in html


def test_the_reminder_digest_says_one_course(plan, one_course):
    one_course.start_date = TODAY - timedelta(days=20)
    one_course.next_reminder_at = NOW - timedelta(minutes=5)
    one_course.save(update_fields=["start_date", "next_reminder_at"])
    CheckInFactory(goal=one_course, value=0, checked_on=TODAY - timedelta(days=10))
    sweep.sweep()
    [message] = mail.outbox
    assert "0 of 1 course ·" in message.body
    assert "1 courses" not in message.body


def test_a_metric_that_says_level_is_not_followed_by_level_again(alice_client, plan, ladder):
    GoalFactory(
        plan=plan,
        unit="level",
        metric="Strategy level",
        skill=ladder.skills["strategy"],
        baseline=2,
        target=4,
    )
    html = alice_client.get(plan.get_absolute_url()).content.decode()
    row = re.search(r"Strategy level: (.*?)</div>", html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", row).strip() == "2 / 4"
