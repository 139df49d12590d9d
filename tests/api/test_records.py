"""A plan's activities and certifications written through the API: the plan page's forms and
services, so what a script logs is what the page would have logged."""

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.models import Activity, PlanEvent
from tests.plans.factories import ActivityFactory


def test_the_owner_logs_edits_and_deletes_an_activity_with_the_forms_checks(alice_api, plan):
    skill = plan.target_role.requirements.first().skill
    body = {"kind": "course", "title": "Pricing course", "date": "2026-01-10", "skills": [skill.slug]}
    made = alice_api.post(f"/api/v1/plans/{plan.pk}/activities", body)
    assert made.status_code == 201, made.content
    assert made.json()["skills"] == [skill.slug] and made.json()["status"] == "planned"
    url = f"/api/v1/plans/{plan.pk}/activities/{made.json()['id']}"
    edited = alice_api.put(url, {**body, "status": "done", "skills": []})
    assert edited.json()["status"] == "done" and edited.json()["skills"] == []
    future = alice_api.put(url, {**body, "status": "done", "date": "2199-01-01"})
    assert future.status_code == 422 and future["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in future.json()["errors"]] == ["date"]
    unknown = alice_api.post(f"/api/v1/plans/{plan.pk}/activities", {**body, "skills": ["no-such-skill"]})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "skills"
    bad_kind = alice_api.post(f"/api/v1/plans/{plan.pk}/activities", {**body, "kind": "nap"})
    assert {e["field"] for e in bad_kind.json()["errors"]} == {"kind"}
    assert [a["title"] for a in alice_api.get(f"/api/v1/plans/{plan.pk}/activities").json()] == [
        "Pricing course"
    ]
    kinds = list(PlanEvent.objects.filter(plan=plan).values_list("kind", flat=True))
    assert PlanEvent.Kind.ACTIVITY_ADDED in kinds and PlanEvent.Kind.ACTIVITY_EDITED in kinds
    assert alice_api.delete(url).status_code == 204
    assert not plan.activities.exists()
    assert alice_api.delete(url).status_code == 404


def test_an_activity_on_another_plan_is_404_and_a_read_only_token_403(alice_api, alice_reader, bob_api, plan):
    activity = ActivityFactory(plan=plan, date=dt.date(2026, 1, 5))
    url = f"/api/v1/plans/{plan.pk}/activities/{activity.pk}"
    assert bob_api.delete(url).status_code == 404
    assert alice_reader.delete(url).status_code == 403
    other = ActivityFactory(date=dt.date(2026, 1, 5))  # on someone else's plan
    assert alice_api.delete(f"/api/v1/plans/{plan.pk}/activities/{other.pk}").status_code == 404
    assert Activity.objects.count() == 2


ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=30), st.lists(st.text(max_size=8))
)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(body=st.dictionaries(st.sampled_from(["kind", "title", "date", "status", "link", "skills"]), ANYTHING))
def test_any_activity_body_is_saved_or_refused_with_nothing_written(alice_api, plan, body):
    with transaction.atomic():
        response = alice_api.post(f"/api/v1/plans/{plan.pk}/activities", body)
        assert response.status_code in (201, 422), response.content
        if response.status_code == 422:
            assert response.json()["errors"] and not plan.activities.exists()
        transaction.set_rollback(True)
