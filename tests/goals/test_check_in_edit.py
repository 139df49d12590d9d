"""Correcting and deleting check-ins from the goal page: goals:check_in_edit and goals:check_in_delete,
as plain forms and with htmx; the chart, progress and status follow, and so does a skill's assessment."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import URLPattern, reverse

from goals.models import CheckIn, Goal
from goals.progress import urls as progress_urls
from plans.models import PlanCertification, SkillAssessment
from tests.conftest import NOW, TODAY
from tests.factories import CertificationFactory
from tests.goals.factories import CheckInFactory, GoalFactory
from tests.goals.test_one_truth import assess, certification_goal, skill_goal

pytestmark = pytest.mark.usefixtures("frozen_time")

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def goal(plan):
    """5 courses from 0 by a deadline 180 days after a start 60 days ago: a third of the way today."""
    start = TODAY - timedelta(days=60)
    return GoalFactory(
        plan=plan,
        title="Finish 5 analytics courses",
        metric="Courses finished",
        unit="courses",
        baseline=0,
        target=5,
        start_date=start,
        deadline=start + timedelta(days=180),
    )


@pytest.fixture
def entry(goal):
    """The goal's one check-in: 2 courses, 10 days ago (40 % against 33 % expected: on track)."""
    return CheckInFactory(goal=goal, value=2, note="SQL basics", checked_on=TODAY - timedelta(days=10))


def edit_url(check_in: CheckIn) -> str:
    return reverse("goals:check_in_edit", args=[check_in.goal_id, check_in.pk])


def delete_url(check_in: CheckIn) -> str:
    return reverse("goals:check_in_delete", args=[check_in.goal_id, check_in.pk])


def chart_points(html: str, goal: Goal) -> list[dict]:
    found = re.search(rf'<script id="goal-chart-data-{goal.pk}" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))["points"]


def goal_page(client, goal: Goal) -> str:
    return client.get(goal.get_absolute_url()).content.decode()


# --- Who may correct or delete (the ownership matrix) ------------------------------------------------

# (url name, method, owner's status)
URLS = [
    ("goals:check_in_edit", "get", 200),
    ("goals:check_in_edit", "post", 302),
    ("goals:check_in_delete", "post", 302),
]


def request_url(client, name, method, check_in):
    url = reverse(name, args=[check_in.goal_id, check_in.pk])
    return url, getattr(client, method)(url, {"value": "3"} if method == "post" else None)


def test_every_check_in_url_is_in_the_matrix():
    names = {
        f"goals:{p.name}"
        for p in progress_urls.urlpatterns
        if isinstance(p, URLPattern) and "<int:check_in_pk>" in str(p.pattern)
    }
    assert names == {name for name, _, _ in URLS}


@pytest.mark.parametrize("name, method, expected", URLS)
def test_owner_may_correct_and_delete(alice_client, entry, name, method, expected):
    _, response = request_url(alice_client, name, method, entry)
    assert response.status_code == expected


@pytest.mark.parametrize("name, method, expected", URLS)
def test_mentor_gets_403_and_changes_nothing(client, mentor_share, mentor, entry, name, method, expected):
    client.force_login(mentor)
    _, response = request_url(client, name, method, entry)
    assert response.status_code == 403
    assert CheckIn.objects.get().value == 2


@pytest.mark.parametrize("name, method, expected", URLS)
def test_other_user_gets_404(bob_client, entry, name, method, expected):
    _, response = request_url(bob_client, name, method, entry)
    assert response.status_code == 404
    assert CheckIn.objects.get().value == 2


@pytest.mark.parametrize("name, method, expected", URLS)
def test_anonymous_is_sent_to_sign_in(client, entry, name, method, expected):
    url, response = request_url(client, name, method, entry)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert CheckIn.objects.get().value == 2


def test_a_check_in_of_another_goal_is_404(alice_client, goal, entry, plan):
    other = CheckInFactory(goal=GoalFactory(plan=plan), value=1)
    url = reverse("goals:check_in_delete", args=[goal.pk, other.pk])
    assert alice_client.post(url).status_code == 404
    assert CheckIn.objects.filter(pk=other.pk).exists()


def test_delete_takes_no_get(alice_client, entry):
    assert alice_client.get(delete_url(entry)).status_code == 405
    assert CheckIn.objects.filter(pk=entry.pk).exists()


def test_mentor_sees_no_edit_or_delete(client, mentor_share, mentor, goal, entry):
    client.force_login(mentor)
    html = goal_page(client, goal)
    assert 'data-testid="check-in"' in html
    assert edit_url(entry) not in html and delete_url(entry) not in html


# --- Correcting ----------------------------------------------------------------------------------


def test_owner_sees_edit_and_delete_on_each_check_in(alice_client, goal, entry):
    html = goal_page(alice_client, goal)
    assert f'href="{edit_url(entry)}"' in html and f'hx-get="{edit_url(entry)}"' in html
    assert f'action="{delete_url(entry)}"' in html and f'hx-post="{delete_url(entry)}"' in html


def test_edit_page_shows_the_check_in_as_it_stands(alice_client, entry):
    html = alice_client.get(edit_url(entry)).content.decode()
    assert "Correct a check-in" in html
    assert 'value="2"' in html and 'value="SQL basics"' in html
    assert f'value="{entry.checked_on.isoformat()}"' in html


def test_correcting_changes_the_chart_progress_and_status(alice_client, goal, entry):
    before = goal_page(alice_client, goal)
    assert chart_points(before, goal) == [{"x": entry.checked_on.isoformat(), "y": 2.0}]
    assert 'data-testid="goal-percent">40%<' in before

    day = TODAY - timedelta(days=12)
    response = alice_client.post(
        edit_url(entry), {"value": "0.5", "note": "Half of one", "date": day.isoformat()}
    )

    assert response.status_code == 302
    assert response["Location"] == goal.get_absolute_url() + "#progress"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Corrected the check-in: 0.5 courses on {day.strftime('%-d %b %Y')}."
    ]
    entry.refresh_from_db()
    assert (entry.value, entry.note, entry.checked_on) == (Decimal("0.5"), "Half of one", day)
    after = alice_client.get(goal.get_absolute_url())
    html = after.content.decode()
    assert chart_points(html, goal) == [{"x": day.isoformat(), "y": 0.5}]
    assert 'data-testid="goal-percent">10%<' in html
    assert after.context["goal"].track_status().label == "Behind"  # 10 % against 33 % expected
    assert CheckIn.objects.count() == 1


def test_an_empty_date_keeps_the_day(alice_client, entry):
    alice_client.post(edit_url(entry), {"value": "3", "note": "", "date": ""})
    entry.refresh_from_db()
    assert (entry.value, entry.checked_on) == (3, TODAY - timedelta(days=10))


@pytest.mark.parametrize(
    "data, error",
    [
        ({"value": "lots"}, "Enter a number, such as 3 or 2.5."),
        ({"value": "-1"}, "Courses finished can't be negative"),
        ({"value": "1", "date": (TODAY + timedelta(days=1)).isoformat()}, "That date is in the future"),
        ({"value": "1", "date": (TODAY - timedelta(days=61)).isoformat()}, "That is before the goal started"),
    ],
)
def test_a_bad_correction_is_a_field_error_and_changes_nothing(alice_client, entry, data, error):
    response = alice_client.post(edit_url(entry), data)
    assert response.status_code == 200
    assert error in response.content.decode().replace("&#x27;", "'")
    entry.refresh_from_db()
    assert entry.value == 2


def test_a_paused_goal_can_still_be_corrected(alice_client, goal, entry):
    Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.PAUSED)
    assert alice_client.post(edit_url(entry), {"value": "1"}).status_code == 302
    entry.refresh_from_db()
    assert entry.value == 1


def test_htmx_edit_shows_the_form_in_the_list(alice_client, goal, entry):
    response = alice_client.get(edit_url(entry), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'<section class="card shadow-sm mb-3" id="goal-progress-{goal.pk}">' in html
    assert 'data-testid="check-in-edit-form"' in html and f'hx-post="{edit_url(entry)}"' in html
    assert 'id="check-in-edit-value"' in html  # not the id of the check-in form above it
    assert "goal-charts.js" not in html  # the page has its scripts already


def test_htmx_correction_returns_the_panel_with_the_new_chart_and_status(alice_client, goal, entry):
    response = alice_client.post(edit_url(entry), {"value": "5", "note": ""}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert chart_points(html, goal) == [{"x": entry.checked_on.isoformat(), "y": 5.0}]
    assert 'data-testid="goal-percent">100%<' in html and "Target reached" in html
    assert 'data-testid="check-in-edit-form"' not in html
    assert not list(get_messages(response.wsgi_request))


def test_htmx_bad_correction_returns_the_panel_with_the_error(alice_client, goal, entry):
    response = alice_client.post(edit_url(entry), {"value": "-3"}, **HTMX)
    html = response.content.decode()
    assert 'data-testid="check-in-edit-form"' in html and "can&#x27;t be negative" in html
    assert 'data-testid="goal-percent">40%<' in html


# --- Deleting --------------------------------------------------------------------------------------


def test_deleting_moves_the_chart_progress_and_status_back(alice_client, goal, entry):
    assert Goal.objects.get(pk=goal.pk).track_status().label == "On track"  # 40 % against 33 %
    earlier = CheckInFactory(goal=goal, value=1, checked_on=TODAY - timedelta(days=30))
    response = alice_client.post(delete_url(entry))

    assert response.status_code == 302
    assert response["Location"] == goal.get_absolute_url() + "#progress"
    assert not CheckIn.objects.filter(pk=entry.pk).exists()
    page = alice_client.get(goal.get_absolute_url())
    html = page.content.decode()
    assert chart_points(html, goal) == [{"x": earlier.checked_on.isoformat(), "y": 1.0}]
    assert 'data-testid="goal-percent">20%<' in html
    assert page.context["goal"].track_status().label == "At risk"  # 20 % against 33 %: 13 points behind


def test_deleting_the_only_check_in_puts_the_goal_back_at_its_baseline(alice_client, goal, entry):
    response = alice_client.post(delete_url(entry), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert chart_points(html, goal) == []
    assert 'data-testid="goal-percent">0%<' in html
    assert "No check-ins yet" in html
    assert Goal.objects.get(pk=goal.pk).track_status().label == "Behind"  # 0 % against 33 %


# --- A skill-level goal's check-in and its self-assessment stay one fact ---------------------------


@pytest.fixture
def communication(plan, ladder):
    assess(plan, ladder.skills["communication"], 2, days_ago=40)
    return ladder.skills["communication"]


def record(client, goal, **data) -> CheckIn:
    client.post(reverse("goals:check_in_add", args=[goal.pk]), data)
    return goal.check_ins.latest("pk")


def test_correcting_a_skill_check_in_corrects_its_assessment(alice_client, plan, communication):
    goal = skill_goal(plan, communication)
    entry = record(alice_client, goal, value="4", note="Typo: meant 3")
    day = TODAY - timedelta(days=3)

    alice_client.post(edit_url(entry), {"value": "3", "note": "Ran the review", "date": day.isoformat()})

    assessment = SkillAssessment.objects.get(pk=entry.assessment_id)
    assert (assessment.level, assessment.note, assessment.assessed_at.date()) == (3, "Ran the review", day)
    assert SkillAssessment.objects.filter(plan=plan, skill=communication).count() == 2  # no new row
    gaps = alice_client.get(plan.get_absolute_url()).context["gaps"]
    assert next(g for g in gaps if g.skill == communication).current == 3


def test_correcting_only_the_note_keeps_the_assessment_time(alice_client, plan, communication):
    goal = skill_goal(plan, communication)
    entry = record(alice_client, goal, value="3")
    alice_client.post(edit_url(entry), {"value": "3", "note": "Better words"})
    assert SkillAssessment.objects.get(pk=entry.assessment_id).assessed_at == NOW


def test_a_skill_correction_off_the_scale_is_refused(alice_client, plan, communication):
    goal = skill_goal(plan, communication)
    entry = record(alice_client, goal, value="3")
    response = alice_client.post(edit_url(entry), {"value": "12"})
    assert "Levels go from 1 (Awareness) to 5 (Expert)" in response.context["form"].errors["value"][0]
    assert SkillAssessment.objects.get(pk=entry.assessment_id).level == 3


def test_deleting_a_skill_check_in_deletes_its_assessment(alice_client, plan, communication):
    goal = skill_goal(plan, communication)
    entry = record(alice_client, goal, value="3")

    response = alice_client.post(delete_url(entry))

    assert not SkillAssessment.objects.filter(pk=entry.assessment_id).exists()
    assert [str(m) for m in get_messages(response.wsgi_request)][-1].endswith(
        "Its self-assessment of Communication is gone too."
    )
    page = alice_client.get(plan.get_absolute_url())
    assert next(g for g in page.context["gaps"] if g.skill == communication).current == 2  # the one before
    assert Goal.objects.get(pk=goal.pk).current_value() == 2


def test_an_old_skill_check_in_joins_the_assessments_when_corrected(alice_client, plan, communication):
    goal = skill_goal(plan, communication)
    old = CheckInFactory(goal=goal, value=12, checked_on=TODAY - timedelta(days=5))  # from before the rule

    response = alice_client.post(edit_url(old), {"value": "3"})

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.assessment.level == 3 and old.assessment.assessed_at.date() == TODAY - timedelta(days=5)
    assert Goal.objects.get(pk=goal.pk).current_value() == 3


# --- A certification goal: the plan's record is corrected on the plan --------------------------------


def test_deleting_the_earned_check_in_leaves_the_certification_to_the_plan(alice_client, plan):
    cpl = CertificationFactory(name="Certified Product Leader", abbreviation="CPL")
    goal = certification_goal(plan, cpl)
    entry = record(alice_client, goal, value="1")

    response = alice_client.post(delete_url(entry))

    assert PlanCertification.objects.get(plan=plan).status == PlanCertification.Status.EARNED
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        f"Deleted the check-in of {TODAY.strftime('%-d %b %Y')}. Certified Product Leader (CPL) stays earned "
        "on your plan: change it there if that was a mistake."
    )
