"""Hardening: input a browser would never send still gets a page, never a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ODD_IDS = ["²", "٣", "-1", "1e3", "99999999999999999999999", " 7", "0x1"]


@pytest.mark.parametrize("value", ODD_IDS)
@pytest.mark.parametrize("name", ["template", "skill", "certification"])
def test_the_goal_form_ignores_an_id_that_is_not_one(alice_client, plan, name, value):
    response = alice_client.get(reverse("goals:create", args=[plan.pk]), {name: value})
    assert response.status_code == 200
    assert 'name="title"' in response.content.decode()


@pytest.mark.parametrize("value", ODD_IDS)
def test_the_plan_form_ignores_role_ids_that_are_not_ones(alice_client, value):
    response = alice_client.get(reverse("plans:create"), {"current": value, "target": value})
    assert response.status_code == 200
    assert 'name="current_role"' in response.content.decode()


@pytest.mark.parametrize("value", ["²", "12x", ""])
def test_a_goal_form_post_with_a_template_that_is_not_an_id_still_validates(alice_client, plan, value):
    response = alice_client.post(reverse("goals:create", args=[plan.pk]), {"template": value, "title": ""})
    assert response.status_code == 200  # the form again, with its errors
