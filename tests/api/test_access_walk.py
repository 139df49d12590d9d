"""Who may do what on every API route, walked from the live OpenAPI schema so a new route is covered
the day it is added: the owner reads and writes; a mentor's token reads the shared plan and writes
nothing but comments (403); another person's token gets 404 for the objects (and their own, empty, lists); a
read-only token gets 403 on every write; an expired, a revoked or no token gets 401. The ladder,
the schema and the documentation are public."""

import datetime as dt
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from api.models import AccessToken
from api.tokens import token_create, token_revoke
from tests.api.conftest import ApiClient
from tests.factories import CertificationFactory
from tests.goals.factories import CheckInFactory, GoalFactory, MilestoneFactory
from tests.plans.factories import ActivityFactory, PlanCertificationFactory

WRITE_BODIES = {  # a valid body for each write, so the owner's 2xx proves the route works
    ("post", "/api/v1/goals/{goal_id}/check-ins"): {"value": "2"},
    ("put", "/api/v1/goals/{goal_id}/check-ins/{check_in_id}"): {"value": "3", "note": "corrected"},
    ("post", "/api/v1/goals/{goal_id}/status"): {"status": "paused"},
    ("post", "/api/v1/goals/{goal_id}/milestones"): {"title": "Halfway", "due_date": "2026-01-15"},
    ("post", "/api/v1/goals/{goal_id}/milestones/{milestone_id}/done"): {"done": True},
}
GOAL = {"title": "Interviews", "metric": "Interviews", "unit": "interviews", "baseline": 0, "target": 9}
ACTIVITY = {"kind": "course", "title": "Pricing course", "date": "2026-01-10"}
GOAL |= {"plan_of_attack": "Two a month", "relevance": "Discovery", "deadline": "2027-06-01"}
WRITE_BODIES |= {
    ("post", "/api/v1/plans/{plan_id}/goals"): GOAL,
    ("put", "/api/v1/goals/{goal_id}"): {**GOAL, "start_date": "2026-01-01"},
    ("post", "/api/v1/plans/{plan_id}/activities"): ACTIVITY,
    ("put", "/api/v1/plans/{plan_id}/activities/{activity_id}"): {**ACTIVITY, "status": "done"},
    ("post", "/api/v1/plans/{plan_id}/certifications"): {"certification": "walk-cert", "status": "planned"},
    ("put", "/api/v1/plans/{plan_id}/certifications/{certification_id}"): {"status": "in_progress"},
    ("post", "/api/v1/plans/{plan_id}/comments"): {"body": "Start with stakeholders."},
    ("post", "/api/v1/goals/{goal_id}/comments"): {"body": "Two a month is plenty."},
    ("put", "/api/v1/reminder-settings"): {
        "timezone": "Europe/Paris",
        "weekday": 0,
        "hour": 9,
        "default_cadence": "fortnightly",
    },
}
CREATED = {
    ("post", "/api/v1/goals/{goal_id}/check-ins"),
    ("post", "/api/v1/goals/{goal_id}/milestones"),
    ("post", "/api/v1/plans/{plan_id}/goals"),
    ("post", "/api/v1/plans/{plan_id}/activities"),
    ("post", "/api/v1/plans/{plan_id}/certifications"),
    ("post", "/api/v1/plans/{plan_id}/comments"),
    ("post", "/api/v1/goals/{goal_id}/comments"),
}


@pytest.fixture
def people(alice, bob, mentor, mentor_share) -> dict[str, ApiClient]:
    expired, _ = token_create(user=alice, name="expired", can_write=True)
    revoked, revoked_secret = token_create(user=alice, name="revoked", can_write=True)
    token_revoke(token=revoked)
    expired_secret = token_create(user=alice, name="old", can_write=True)[1]
    AccessToken.objects.filter(name="old").update(expires_at=timezone.now() - timedelta(seconds=1))
    return {
        "owner": ApiClient(token_create(user=alice, name="rw", can_write=True)[1]),
        "mentor": ApiClient(token_create(user=mentor, name="rw", can_write=True)[1]),
        "other": ApiClient(token_create(user=bob, name="rw", can_write=True)[1]),
        "read-only": ApiClient(token_create(user=alice, name="ro")[1]),
        "expired": ApiClient(expired_secret),
        "revoked": ApiClient(revoked_secret),
        "no token": ApiClient(None),
    }


def operations(client) -> list[tuple[str, str, bool]]:
    """(path template, method, public) for every operation the schema documents."""
    schema = client.get("/api/v1/openapi.json").json()
    return [
        (path, method, not op.get("security"))
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    ]


def expected(who: str, method: str, path: str, public: bool) -> int:
    write = method != "get"
    if public:
        return 200
    if who in ("expired", "revoked", "no token"):
        return 401
    if write and who == "read-only":
        return 403
    has_object = "{" in path
    if who == "other" and has_object:
        return 404
    comment = path.endswith("/comments")  # the one write a mentor makes on the shared plan
    if write and who == "mentor" and has_object and not comment:  # their own settings are theirs
        return 403
    if method == "delete":
        return 204
    return 201 if (method, path) in CREATED else 200


def test_every_route_answers_each_person_as_the_rules_say(client, people, plan):
    goal = GoalFactory(plan=plan, start_date=dt.date(2026, 1, 1), deadline=dt.date(2026, 6, 1))
    values = {
        "plan_id": plan.pk,
        "goal_id": goal.pk,
        "check_in_id": CheckInFactory(goal=goal, value=1, checked_on=dt.date(2026, 1, 2)).pk,
        "milestone_id": MilestoneFactory(goal=goal, due_date=dt.date(2026, 2, 1)).pk,
        "slug": plan.target_role.track.slug,
        "activity_id": ActivityFactory(plan=plan, date=dt.date(2026, 1, 5)).pk,
        "certification_id": PlanCertificationFactory(plan=plan).pk,
    }
    CertificationFactory(name="Walk cert", slug="walk-cert")  # the one the owner adds
    wrong, seen = [], 0
    for path, method, public in operations(client):
        url = path.format(**{k: v for k, v in values.items() if "{" + k + "}" in path})
        for who, api in people.items():
            with transaction.atomic():
                response = api.send(method, url, WRITE_BODIES.get((method, path)))
                transaction.set_rollback(True)
            want = expected(who, method, path, public)
            seen += 1
            if response.status_code != want:
                wrong.append(f"{method.upper()} {url} as {who}: {response.status_code}, expected {want}")
            elif response.status_code >= 400:
                assert response["Content-Type"] == "application/problem+json", (url, who)
    assert not wrong, "\n".join(wrong)
    assert seen >= 7 * 32


def test_the_documentation_page_is_public(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert b"/api/v1/openapi.json" in page.content
