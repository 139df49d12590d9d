"""Writing through the API: the same services and checks as the pages, so a check-in posted by a
script is one made in the browser."""

import datetime as dt
import json

import time_machine
from django.urls import reverse
from django.utils import timezone

from goals.models import Goal, ReminderSettings
from plans.models import PlanEvent
from tests.goals.factories import GoalFactory


def test_a_check_in_posted_through_the_api_is_one_made_in_the_browser(alice_api, alice_client, plan):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        goal = GoalFactory(
            plan=plan,
            title="Run interviews",
            metric="Interviews",
            unit="interviews",
            baseline=0,
            target=10,
            start_date=dt.date(2026, 2, 1),
            deadline=dt.date(2026, 8, 1),
        )
        Goal.objects.filter(pk=goal.pk).update(next_reminder_at=timezone.now())
        alice_client.get(goal.get_absolute_url())  # the page's body is cached before the check-in
        response = alice_api.post(f"/api/v1/goals/{goal.pk}/check-ins", {"value": "4", "note": "four so far"})
        assert response.status_code == 201
        assert response.json()["value"] == "4" and response.json()["checked_on"] == "2026-03-02"
        page = alice_client.get(goal.get_absolute_url()).content.decode()
        assert "four so far" in page
        goal.refresh_from_db()
        assert goal.next_reminder_at > timezone.now() + dt.timedelta(days=6)  # a weekly cadence away
        export = json.loads(alice_client.get(reverse("goals:export")).content)
        check_ins = [c for p in export["plans"] for g in p["goals"] for c in g["check_ins"]]
        assert [(c["value"], c["note"]) for c in check_ins] == [("4", "four so far")]
        assert (
            alice_api.get("/api/v1/export").json()["plans"][0]["goals"][0]["check_ins"][0]["note"]
            == "four so far"
        )


def test_a_check_in_the_form_refuses_is_a_field_error_and_writes_nothing(alice_api, plan):
    goal = GoalFactory(plan=plan, unit="%", baseline=0, target=100)
    response = alice_api.post(
        f"/api/v1/goals/{goal.pk}/check-ins", {"value": "150", "checked_on": "2199-01-01"}
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"value", "checked_on"}
    assert not goal.check_ins.exists()
    nonsense = alice_api.post(f"/api/v1/goals/{goal.pk}/check-ins", {"value": "lots"})
    assert nonsense.status_code == 422 and nonsense.json()["errors"][0]["field"] == "value"


def test_a_read_only_token_cannot_write(alice_reader, plan):
    goal = GoalFactory(plan=plan)
    response = alice_reader.post(f"/api/v1/goals/{goal.pk}/check-ins", {"value": "1"})
    assert response.status_code == 403
    assert "only read" in response.json()["detail"]
    assert not goal.check_ins.exists()


def test_the_owner_changes_a_goals_status(alice_api, plan):
    goal = GoalFactory(plan=plan)
    response = alice_api.post(f"/api/v1/goals/{goal.pk}/status", {"status": "completed"})
    assert response.json()["status"] == "completed"
    goal.refresh_from_db()
    assert goal.completed_at is not None and goal.next_reminder_at is None
    bad = alice_api.post(f"/api/v1/goals/{goal.pk}/status", {"status": "done-ish"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"


def test_the_owner_corrects_and_deletes_a_check_in(alice_api, plan):
    goal = GoalFactory(plan=plan, unit="%", baseline=0, target=100)
    made = alice_api.post(f"/api/v1/goals/{goal.pk}/check-ins", {"value": "10"}).json()
    url = f"/api/v1/goals/{goal.pk}/check-ins/{made['id']}"
    corrected = alice_api.put(url, {"value": "20", "note": "miscounted"})
    assert corrected.json()["value"] == "20" and corrected.json()["checked_on"] == made["checked_on"]
    assert alice_api.put(url, {"value": "120"}).json()["errors"][0]["field"] == "value"
    assert alice_api.delete(url).status_code == 204
    assert not goal.check_ins.exists()
    assert alice_api.delete(url).status_code == 404


def test_the_owner_adds_a_milestone_and_ticks_it_off(alice_api, plan):
    goal = GoalFactory(plan=plan, start_date=dt.date(2026, 1, 1), deadline=dt.date(2026, 6, 1))
    late = alice_api.post(f"/api/v1/goals/{goal.pk}/milestones", {"title": "Late", "due_date": "2027-01-01"})
    assert late.status_code == 422 and late.json()["errors"][0]["field"] in ("due_date", "__all__")
    made = alice_api.post(
        f"/api/v1/goals/{goal.pk}/milestones", {"title": "Halfway", "due_date": "2026-03-01"}
    )
    assert made.status_code == 201
    done = alice_api.post(f"/api/v1/goals/{goal.pk}/milestones/{made.json()['id']}/done", {"done": True})
    assert done.json()["done_at"] is not None
    assert [m["title"] for m in alice_api.get(f"/api/v1/goals/{goal.pk}/milestones").json()] == ["Halfway"]


def test_the_owner_makes_and_edits_a_goal_with_the_goal_forms_checks(alice_api, plan):
    skill = plan.target_role.requirements.first().skill
    body = {
        "title": "Run customer interviews",
        "metric": "Interviews",
        "unit": "interviews",
        "baseline": 0,
        "target": 12,
        "plan_of_attack": "Two a month",
        "skill": skill.slug,
        "deadline": "2027-06-01",
    }
    made = alice_api.post(f"/api/v1/plans/{plan.pk}/goals", body)
    assert made.status_code == 201, made.content
    assert made.json()["skill"] == skill.slug and made.json()["reminder_cadence"] == "weekly"
    goal = Goal.objects.get(pk=made.json()["id"])
    assert goal.next_reminder_at is not None
    edited = alice_api.put(f"/api/v1/goals/{goal.pk}", {**body, "target": 20, "reminder_cadence": "monthly"})
    assert edited.json()["target"] == "20" and edited.json()["reminder_cadence"] == "monthly"
    same = alice_api.post(f"/api/v1/plans/{plan.pk}/goals", {**body, "target": 0, "skill": "no-such-skill"})
    assert same.status_code == 422 and same.json()["errors"][0]["field"] == "skill"
    flat = alice_api.post(f"/api/v1/plans/{plan.pk}/goals", {**body, "target": 0})
    assert flat.status_code == 422 and "target" in {e["field"] for e in flat.json()["errors"]}
    assert plan.goals.count() == 1


def test_reminder_settings_are_read_and_changed_through_the_pages_form(alice_api, alice_reader, plan):
    assert alice_api.get("/api/v1/reminder-settings").json()["unsubscribed"] is False
    body = {"timezone": "Europe/Paris", "weekday": 2, "hour": 9, "default_cadence": "monthly"}
    assert alice_reader.put("/api/v1/reminder-settings", body).status_code == 403
    changed = alice_api.put("/api/v1/reminder-settings", body)
    assert changed.json()["timezone"] == "Europe/Paris" and changed.json()["default_cadence"] == "monthly"
    night = alice_api.put("/api/v1/reminder-settings", {**body, "hour": 3})
    assert night.status_code == 422 and night.json()["errors"][0]["field"] == "hour"
    assert alice_api.get("/api/v1/reminder-settings").json()["hour"] == 9


def test_the_mentor_digest_is_read_kept_and_changed_through_the_api(alice_api, plan):
    body = {"timezone": "Europe/Paris", "weekday": 2, "hour": 9, "default_cadence": "monthly"}
    assert alice_api.get("/api/v1/reminder-settings").json()["mentor_digest"] is False

    assert alice_api.put("/api/v1/reminder-settings", {**body, "mentor_digest": True}).json()["mentor_digest"]
    kept = alice_api.put("/api/v1/reminder-settings", body)  # a client that does not know it

    assert kept.json()["mentor_digest"] is True
    assert ReminderSettings.objects.get(user=plan.owner).mentor_digest


def test_the_owner_deletes_a_goal_and_it_leaves_the_plans_list(alice_api, alice_reader, bob_api, plan):
    goal = GoalFactory(plan=plan, title="Drop me", unit="%", baseline=0, target=100)
    alice_api.post(f"/api/v1/goals/{goal.pk}/check-ins", {"value": "10"})
    assert [g["title"] for g in alice_api.get(f"/api/v1/plans/{plan.pk}/goals").json()["items"]] == [
        "Drop me"
    ]
    assert alice_reader.delete(f"/api/v1/goals/{goal.pk}").status_code == 403
    assert bob_api.delete(f"/api/v1/goals/{goal.pk}").status_code == 404
    assert alice_api.delete(f"/api/v1/goals/{goal.pk}").status_code == 204
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert alice_api.get(f"/api/v1/plans/{plan.pk}/goals").json()["items"] == []
    assert plan.events.filter(kind=PlanEvent.Kind.GOAL_DELETED, subject="Drop me").exists()
    assert alice_api.delete(f"/api/v1/goals/{goal.pk}").status_code == 404
