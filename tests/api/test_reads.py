"""Reading through the API: what the pages show, for the people who may see it."""

import datetime as dt

from tests.goals.factories import CheckInFactory, GoalFactory


def test_owner_reads_their_plans_and_a_plans_readiness(alice_api, plan):
    response = alice_api.get("/api/v1/plans")
    assert response.status_code == 200
    assert [p["title"] for p in response.json()["items"]] == ["Become a Senior PM"]
    detail = alice_api.get(f"/api/v1/plans/{plan.pk}").json()
    assert detail["target_role"]["title"] == plan.target_role.title
    assert detail["readiness"]["total"] == len(detail["gaps"]) > 0
    assert detail["routes"][0][0]["slug"] == plan.current_role.slug


def test_goals_are_filtered_by_status_and_paged_by_cursor(alice_api, plan):
    goals = [GoalFactory(plan=plan, title=f"Goal {i}") for i in range(3)]
    GoalFactory(plan=plan, title="Paused", status="paused")
    first = alice_api.get(f"/api/v1/plans/{plan.pk}/goals?status=active&limit=2").json()
    assert [g["title"] for g in first["items"]] == ["Goal 0", "Goal 1"]
    rest = alice_api.get(f"/api/v1/plans/{plan.pk}/goals?status=active&limit=2&cursor={first['next_cursor']}")
    assert [g["title"] for g in rest.json()["items"]] == ["Goal 2"]
    assert rest.json()["next_cursor"] is None
    CheckInFactory(goal=goals[0], value=1)
    assert alice_api.get(f"/api/v1/goals/{goals[0].pk}").json()["current_value"] == "1"


def test_a_read_answers_304_while_nothing_changed(alice_api, plan):
    first = alice_api.get("/api/v1/plans")
    again = alice_api.get("/api/v1/plans", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    GoalFactory(plan=plan)
    plan.title = "Renamed"
    plan.save()
    assert alice_api.get("/api/v1/plans", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_foreign_plan_is_404_as_a_problem(bob_api, plan):
    response = bob_api.get(f"/api/v1/plans/{plan.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_no_token_is_401_and_the_ladder_is_public(client, plan):
    response = client.get("/api/v1/plans")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    tracks = client.get("/api/v1/ladder/tracks").json()
    track = client.get(f"/api/v1/ladder/tracks/{tracks[0]['slug']}").json()
    assert track["roles"] and track["transitions"]


def test_the_schema_is_openapi_3_1(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"] == "3.1.0"
    assert "/api/v1/goals/{goal_id}/check-ins" in schema["paths"]


def test_a_plans_certifications_and_activities_are_read(alice_api, bob_api, plan):
    from tests.plans.factories import ActivityFactory, PlanCertificationFactory

    record = PlanCertificationFactory(plan=plan)
    ActivityFactory(plan=plan, title="Product conference")
    certifications = alice_api.get(f"/api/v1/plans/{plan.pk}/certifications").json()
    assert [c["certification"] for c in certifications] == [record.certification.slug]
    assert certifications[0]["status"] in ("planned", "in_progress", "earned", "expired")
    assert [a["title"] for a in alice_api.get(f"/api/v1/plans/{plan.pk}/activities").json()] == [
        "Product conference"
    ]
    assert bob_api.get(f"/api/v1/plans/{plan.pk}/activities").status_code == 404


def test_goals_are_filtered_by_deadline_and_the_schema_documents_it(alice_api, plan):
    for day in (1, 15, 28):
        GoalFactory(plan=plan, title=f"Due {day}", deadline=dt.date(2027, 2, day))
    url = f"/api/v1/plans/{plan.pk}/goals"
    between = alice_api.get(f"{url}?due_after=2027-02-15&due_before=2027-02-28").json()["items"]
    assert [g["title"] for g in between] == ["Due 15", "Due 28"]
    assert [g["title"] for g in alice_api.get(f"{url}?due_before=2027-02-14").json()["items"]] == ["Due 1"]
    bad = alice_api.get(f"{url}?due_after=soon")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "due_after"
    schema = alice_api.get("/api/v1/openapi.json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/plans/{plan_id}/goals"]["get"]["parameters"]}
    assert "on or after" in parameters["due_after"]["description"]
    assert "on or before" in parameters["due_before"]["description"]
