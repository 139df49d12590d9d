"""The plan page's actions: deleting the plan sits with archive, print and export, for its owner
only (issue 23, item 8)."""

import re

import pytest
from django.urls import reverse

from plans import services


def actions(html: str) -> str:
    """The plan page's action bar, where Edit, Print, Export and Archive are."""
    match = re.search(r'data-testid="plan-actions">(.*?)</div>', html, re.S)
    assert match, "the plan page has an action bar"
    return match.group(1)


def test_owner_finds_delete_with_the_plans_other_actions(alice_client, plan):
    bar = actions(alice_client.get(plan.get_absolute_url()).content.decode())
    delete = reverse("plans:delete", args=[plan.pk])
    assert f'href="{delete}"' in bar
    assert "Archive" in bar and "Export" in bar and "Delete plan" in bar
    assert alice_client.get(delete).status_code == 200  # the page that says what goes with it


def test_an_archived_plan_can_be_deleted_from_its_page(alice_client, plan):
    services.plan_set_archived(plan=plan, archived=True)
    bar = actions(alice_client.get(plan.get_absolute_url()).content.decode())
    assert "Restore" in bar and reverse("plans:delete", args=[plan.pk]) in bar


def test_a_mentor_sees_no_delete(client, mentor, mentor_share, plan):
    client.force_login(mentor)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("plans:delete", args=[plan.pk]) not in html
    assert "Delete plan" not in html


@pytest.mark.parametrize("person, status", [("stranger", 404), ("anonymous", 302)])
def test_no_plan_page_for_anyone_else(client, request, plan, person, status):
    from tests.conftest import sign_in

    sign_in(client, request, person)
    response = client.get(plan.get_absolute_url())
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))
