"""The forms hold text to what an import reads (100,000 characters, base.document_limits.MAX_TEXT): a
plan's vision, a goal's description, plan of attack and reason, an activity's note. They took
any length, so a person's own export could be refused by the import; now a longer text is a
field error, and the longest a form takes goes out and comes back in."""

import pytest
from django.urls import reverse

from base.document_limits import MAX_TEXT
from goals.models import Goal
from goals.portability.export import export_person
from goals.portability.writing import import_document
from plans.models import Activity, CareerPlan
from tests.goals.test_goal_form import goal_data

pytestmark = pytest.mark.usefixtures("frozen_time")

TOO_LONG = f"Keep it to {MAX_TEXT:,} characters at most"


def plan_data(plan, **overrides) -> dict:
    return {
        "title": plan.title,
        "current_role": plan.current_role_id,
        "target_role": plan.target_role_id,
        "target_date": "",
        "vision": "",
        "change_reason": "",
        **overrides,
    }


def activity_data(**overrides) -> dict:
    return {"kind": "course", "title": "Pricing course", "date": "2026-05-01", "status": "done", **overrides}


def posts(plan) -> dict:
    """For each bounded text: where a form posts it, and the data around it."""
    return {
        "vision": (reverse("plans:edit", args=[plan.pk]), lambda **text: plan_data(plan, **text)),
        "description": (reverse("goals:create", args=[plan.pk]), goal_data),
        "plan_of_attack": (reverse("goals:create", args=[plan.pk]), goal_data),
        "relevance": (reverse("goals:create", args=[plan.pk]), goal_data),
        "note": (reverse("plans:activity_add", args=[plan.pk]), activity_data),
    }


@pytest.mark.parametrize("field", ["vision", "description", "plan_of_attack", "relevance", "note"])
def test_a_text_longer_than_an_import_reads_is_a_field_error(alice_client, plan, field):
    url, data = posts(plan)[field]
    response = alice_client.post(url, data(**{field: "x" * (MAX_TEXT + 1)}))
    assert response.status_code == 200
    [error] = response.context["form"].errors[field]
    assert error.startswith(TOO_LONG) and f"(this is {MAX_TEXT + 1})" in error
    assert f'maxlength="{MAX_TEXT}"' in response.content.decode()  # the browser stops there too


def test_the_longest_texts_the_forms_take_are_exported_and_imported_again(alice_client, plan, alice, bob):
    longest = "x" * MAX_TEXT
    for field, (url, data) in posts(plan).items():
        response = alice_client.post(url, data(**{field: longest}))
        assert response.status_code == 302, response.context["form"].errors
    assert CareerPlan.objects.get(pk=plan.pk).vision == longest
    assert Activity.objects.get(plan=plan).note == longest
    assert Goal.objects.filter(plan=plan, description=longest).exists()

    report = import_document(export_person(alice), user=bob)

    [imported] = [p for p in report.plans if p.title == plan.title]
    assert imported.vision == longest
    assert imported.activities.get().note == longest
    texts = [(g.description, g.plan_of_attack, g.relevance) for g in imported.goals.all()]
    assert (longest, goal_data()["plan_of_attack"], goal_data()["relevance"]) in texts
    assert (goal_data()["description"], goal_data()["plan_of_attack"], longest) in texts
