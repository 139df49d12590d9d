"""A new plan's title follows its target role until the person types one (issue 23, item 4): the
form pre-fills "Become a Product Manager", the person picks Senior Product Manager, and the plan is
saved as "Become a Senior Product Manager", without JavaScript too."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from plans.models import CareerPlan

CREATE = reverse("plans:create")


def new_plan_data(ladder, **overrides) -> dict:
    """The new-plan form as a browser sends it after opening it from the Product Manager page."""
    data = {
        "title": "Become a Product Manager",
        "suggested_title": "Become a Product Manager",
        "current_role": ladder.roles["apm"].pk,
        "target_role": ladder.roles["pm"].pk,
        "target_date": (timezone.localdate() + timedelta(days=365)).isoformat(),
        "vision": "",
    }
    return {**data, **overrides}


def test_the_form_says_what_it_suggested(alice_client, ladder):
    response = alice_client.get(CREATE, {"target": ladder.roles["pm"].pk})

    html = response.content.decode()
    assert 'name="suggested_title" value="Become a Product Manager"' in html
    assert response.context["form"]["title"].value() == "Become a Product Manager"
    assert "Named after the target role until you type a title of your own." in html
    assert 'src="/static/js/plan-title.js"' in html


def test_an_untouched_suggestion_follows_the_target_picked(alice_client, alice, ladder):
    response = alice_client.post(CREATE, new_plan_data(ladder, target_role=ladder.roles["senior"].pk))

    assert response.status_code == 302
    plan = CareerPlan.objects.get(owner=alice)
    assert plan.title == "Become a Senior Product Manager"
    assert plan.target_role == ladder.roles["senior"]


def test_a_typed_title_is_kept(alice_client, alice, ladder):
    data = new_plan_data(ladder, title="Lead the payments product", target_role=ladder.roles["senior"].pk)
    assert alice_client.post(CREATE, data).status_code == 302

    assert CareerPlan.objects.get(owner=alice).title == "Lead the payments product"


def test_a_typed_title_that_names_another_role_is_kept(alice_client, alice, ladder):
    """Typed, not suggested: the form suggested nothing (opened without a target)."""
    data = new_plan_data(
        ladder, title="Become a Product Manager", suggested_title="", target_role=ladder.roles["senior"].pk
    )
    alice_client.post(CREATE, data)

    assert CareerPlan.objects.get(owner=alice).title == "Become a Product Manager"


def test_a_form_shown_again_names_the_target_posted(alice_client, alice, ladder):
    data = new_plan_data(ladder, target_role=ladder.roles["senior"].pk, target_date="2000-01-01")
    response = alice_client.post(CREATE, data)

    assert response.status_code == 200  # the past date is refused
    form = response.context["form"]
    assert form["title"].value() == form["suggested_title"].value() == "Become a Senior Product Manager"
    assert not CareerPlan.objects.exists()


def test_bad_input_is_a_field_error_not_a_500(alice_client, ladder):
    too_long = alice_client.post(CREATE, new_plan_data(ladder, title="x" * 201))
    assert too_long.status_code == 200
    assert "title" in too_long.context["form"].errors

    no_role = alice_client.post(
        CREATE, new_plan_data(ladder, target_role="abc", suggested_title="x" * 10_000)
    )
    assert no_role.status_code == 200
    assert "target_role" in no_role.context["form"].errors
    assert no_role.context["form"]["title"].value() == "Become a Product Manager"  # left as posted

    blank = alice_client.post(CREATE, new_plan_data(ladder, title="", target_role=ladder.roles["senior"].pk))
    assert "required" in " ".join(blank.context["form"].errors["title"])  # cleared: no longer untouched
    assert not CareerPlan.objects.exists()


def test_the_edit_form_has_no_following_title(alice_client, plan):
    form = alice_client.get(reverse("plans:edit", args=[plan.pk])).context["form"]

    assert "suggested_title" not in form.fields
