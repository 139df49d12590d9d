"""A plan started from a role page asks only what it does not know (issue 23, item 6): the role
page sends the target; the current role comes from the person's own plan, and a person with no plan
sees first the roles that lead to the target."""

import pytest
from django.urls import reverse

from plans import services
from plans.models import CareerPlan
from tests.factories import RoleFactory, TransitionFactory

CREATE = reverse("plans:create")


def from_role_page(client, role):
    """The new-plan form as the role page's "Plan towards this role" opens it."""
    return client.get(CREATE, {"target": role.pk})


def test_the_current_role_comes_from_the_primary_plan(alice_client, plan, ladder):
    response = from_role_page(alice_client, ladder.roles["group"])

    form = response.context["form"]
    assert form.initial["current_role"] == ladder.roles["apm"].pk  # Alice's plan: APM → Senior PM
    assert form.initial["target_role"] == ladder.roles["group"].pk
    assert form.initial["title"] == "Become a Group Product Manager"
    note = response.content.decode().split('data-testid="current-role-source"')[1].split("</p>")[0]
    assert "Your current role, Associate Product Manager, comes from your plan “Become a Senior PM”" in note


def test_the_primary_plan_wins_over_a_newer_one(alice_client, alice, plan, ladder):
    CareerPlan.objects.create(
        owner=alice, title="Side plan", current_role=ladder.roles["analyst"], target_role=ladder.roles["pm"]
    )
    form = from_role_page(alice_client, ladder.roles["group"]).context["form"]

    assert form.initial["current_role"] == ladder.roles["apm"].pk


def test_an_archived_plan_says_nothing(alice_client, plan, ladder):
    services.plan_set_archived(plan=plan, archived=True)
    response = from_role_page(alice_client, ladder.roles["group"])

    assert "current_role" not in response.context["form"].initial
    assert 'data-testid="current-role-source"' not in response.content.decode()


def test_the_role_page_of_the_role_the_person_holds_asks_for_the_target(alice_client, plan, ladder):
    response = from_role_page(alice_client, ladder.roles["apm"])

    form = response.context["form"]
    assert form.initial == {"current_role": ladder.roles["apm"].pk}  # no target, no title
    note = response.content.decode().split('data-testid="current-role-source"')[1].split("</p>")[0]
    assert "Associate Product Manager is the role you hold now, says your plan “Become a Senior PM”" in note
    assert "pick the role you want next" in note


def test_a_current_role_in_the_link_wins(alice_client, plan, ladder):
    url = f"{CREATE}?current={ladder.roles['analyst'].pk}&target={ladder.roles['group'].pk}"
    response = alice_client.get(url)

    assert response.context["form"].initial["current_role"] == ladder.roles["analyst"].pk
    assert 'data-testid="current-role-source"' not in response.content.decode()


def test_without_a_plan_the_roles_that_lead_to_the_target_come_first(alice_client, ladder):
    outside = RoleFactory(title="Software Engineer", slug="software-engineer", level=2)  # another track
    TransitionFactory(from_role=outside, to_role=ladder.roles["pm"])
    response = from_role_page(alice_client, ladder.roles["pm"])

    assert "current_role" not in response.context["form"].initial
    html = response.content.decode()
    select = html.split('name="current_role"')[1].split("</select>")[0]
    first = select.split('<optgroup label="Roles that lead to Product Manager">')[1].split("</optgroup>")[0]
    assert "Associate Product Manager" in first and "Software Engineer" in first
    assert "Senior Product Manager" not in first
    assert '<optgroup label="Other roles">' in select


def test_another_persons_plan_is_never_read(bob_client, plan, ladder):
    response = from_role_page(bob_client, ladder.roles["group"])

    assert "current_role" not in response.context["form"].initial
    assert "Become a Senior PM" not in response.content.decode()


def test_anonymous_visitors_sign_in_first(client, ladder):
    response = from_role_page(client, ladder.roles["pm"])

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_creating_from_the_prefilled_form_works(alice_client, alice, plan, ladder):
    form = from_role_page(alice_client, ladder.roles["group"]).context["form"]
    data = {
        name: form[name].value() or "" for name in ("title", "suggested_title", "current_role", "target_role")
    }
    response = alice_client.post(f"{CREATE}?target={ladder.roles['group'].pk}", data)

    assert response.status_code == 302
    new = CareerPlan.objects.get(owner=alice, target_role=ladder.roles["group"])
    assert new.current_role == ladder.roles["apm"] and new.title == "Become a Group Product Manager"


@pytest.mark.parametrize("who", ["no plan", "plans"])
def test_query_count_does_not_grow_with_plans_or_roles(
    alice_client, alice, ladder, who, django_assert_max_num_queries
):
    """The session and the user, the roles in the link, the person's plan, the roles for the
    suggested titles, the current and target roles' options and the industries': 8 queries; 9
    without a plan, where the moves into the target group the current roles."""
    if who == "plans":
        services.plan_create(
            plan=CareerPlan(title="First", current_role=ladder.roles["apm"], target_role=ladder.roles["pm"]),
            owner=alice,
        )
    counts = []
    for extra in (0, 30):
        for i in range(extra):
            role = RoleFactory(track=ladder.track, title=f"Role {i}", slug=f"role-{i}", level=2)
            TransitionFactory(from_role=role, to_role=ladder.roles["group"])
            if who == "plans":
                CareerPlan.objects.create(owner=alice, title=f"Plan {i}", current_role=role, target_role=role)
        with django_assert_max_num_queries(9 if who == "no plan" else 8) as captured:
            assert from_role_page(alice_client, ladder.roles["group"]).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
