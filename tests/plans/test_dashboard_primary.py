"""The dashboard's 'Primary' badge says which plan leads only when there is another to tell it
from (issue 23, item 10: the plan page and the plan list follow the same rule)."""

import pytest
from django.urls import reverse

from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.django_db


def primary_badges(client, user) -> int:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode().count(">Primary<")


def test_a_persons_only_plan_carries_no_primary_badge(client, alice):
    CareerPlanFactory(owner=alice, is_primary=True)
    assert primary_badges(client, alice) == 0


def test_with_two_plans_the_primary_one_is_marked_once(client, alice):
    CareerPlanFactory(owner=alice, is_primary=True)
    CareerPlanFactory(owner=alice, is_primary=False)
    assert primary_badges(client, alice) == 1
