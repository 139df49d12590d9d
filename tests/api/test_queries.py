"""The API's lists read a fixed number of queries, whatever their length."""

import pytest

from tests.goals.factories import CheckInFactory, GoalFactory
from tests.plans.factories import ActivityFactory


@pytest.mark.parametrize("count", [5, 100])
def test_a_plans_goals_take_the_same_queries_for_5_and_100_goals(
    alice_api, plan, count, django_assert_num_queries
):
    for i in range(count):
        goal = GoalFactory(plan=plan, title=f"Goal {i}")
        CheckInFactory(goal=goal, value=1)
    alice_api.get("/api/v1/me")  # the last-used time is written once a minute: not on the measured request
    # The token and its person (1); the rate limit in its transaction (a savepoint here, 2): the
    # token's row locked (1), its uses counted (1), old ones forgotten and this one written in
    # Limit.take's own (2 + 2); the plan through the access helper (1); the versions of the plan, the
    # ladder and people's names (1); the goals with their latest check-in by subqueries (1).
    with django_assert_num_queries(12):
        response = alice_api.get(f"/api/v1/plans/{plan.pk}/goals?limit=200")
    assert len(response.json()["items"]) == count
    with django_assert_num_queries(11):  # the same answer again: from the cache, no goal read
        again = alice_api.get(f"/api/v1/plans/{plan.pk}/goals?limit=200")
    assert again.content == response.content


@pytest.mark.parametrize("count", [5, 100])
def test_a_plans_activities_take_the_same_queries_for_5_and_100(
    alice_api, plan, count, django_assert_num_queries
):
    skill = plan.target_role.requirements.first().skill
    for i in range(count):
        ActivityFactory(plan=plan, title=f"Activity {i}").skills.add(skill)
    alice_api.get("/api/v1/me")  # the last-used time is written once a minute: not on the measured request
    # The token and its person, and the rate limit, as above (9: savepoints and releases counted);
    # the plan through the access helper (1); the activities (1) and their skills, prefetched (1).
    with django_assert_num_queries(12):
        response = alice_api.get(f"/api/v1/plans/{plan.pk}/activities")
    assert len(response.json()) == count and response.json()[0]["skills"] == [skill.slug]
