"""A plan's activities and certifications written through the API: the plan page's forms and
services, so what a script logs is what the page would have logged."""

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.models import Activity, PlanCertification, PlanEvent
from tests.factories import CertificationFactory
from tests.plans.factories import ActivityFactory, PlanCertificationFactory


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


def test_the_owner_adds_earns_and_removes_a_certification_with_the_forms_checks(alice_api, plan):
    CertificationFactory(name="Pragmatic Product", slug="pragmatic-product", validity_months=24)
    url = f"/api/v1/plans/{plan.pk}/certifications"
    body = {"certification": "pragmatic-product", "status": "planned", "target_date": "2027-03-01"}
    made = alice_api.post(url, body)
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "planned" and made.json()["name"] == "Pragmatic Product"
    twice = alice_api.post(url, body)
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "certification"
    unknown = alice_api.post(url, {**body, "certification": "no-such-thing"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "certification"
    one = f"{url}/{made.json()['id']}"
    undated = alice_api.put(one, {"status": "earned"})
    assert undated.status_code == 422 and [e["field"] for e in undated.json()["errors"]] == ["earned_on"]
    earned = alice_api.put(one, {"status": "earned", "earned_on": "2026-01-15"})
    assert earned.json()["status"] == "earned" and earned.json()["expires_on"] == "2028-01-15"
    assert earned.json()["target_date"] is None
    assert PlanEvent.objects.filter(plan=plan, kind=PlanEvent.Kind.CERTIFICATION_EARNED).exists()
    assert alice_api.delete(one).status_code == 204
    assert not plan.certifications.exists() and alice_api.delete(one).status_code == 404


def test_a_certification_on_another_plan_is_404(alice_api, bob_api, plan):
    mine = PlanCertificationFactory(plan=plan)
    other = PlanCertificationFactory()
    assert (
        bob_api.put(
            f"/api/v1/plans/{plan.pk}/certifications/{mine.pk}", {"status": "in_progress"}
        ).status_code
        == 404
    )
    assert alice_api.delete(f"/api/v1/plans/{plan.pk}/certifications/{other.pk}").status_code == 404
    assert PlanCertification.objects.count() == 2


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    body=st.dictionaries(
        st.sampled_from(["certification", "status", "target_date", "earned_on", "expires_on", "note"]),
        ANYTHING,
    )
)
def test_any_certification_body_is_saved_or_refused_with_nothing_written(alice_api, plan, body):
    with transaction.atomic():
        response = alice_api.post(f"/api/v1/plans/{plan.pk}/certifications", body)
        assert response.status_code in (201, 422), response.content
        if response.status_code == 422:
            assert response.json()["errors"] and not plan.certifications.exists()
        transaction.set_rollback(True)
