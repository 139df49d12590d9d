from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import CareerPlan, SkillAssessment
from tests.factories import RoleFactory, TrackFactory, TransitionFactory


def plan_data(ladder, **overrides):
    data = {
        "title": "Senior by next year",
        "current_role": ladder.roles["apm"].pk,
        "target_role": ladder.roles["senior"].pk,
        "target_date": (timezone.localdate() + timedelta(days=365)).isoformat(),
        "vision": "Own a product line end to end.",
    }
    return {**data, **overrides}


# --- create -------------------------------------------------------------------


def test_owner_creates_a_plan_and_the_first_is_primary(alice_client, alice, ladder):
    response = alice_client.post(reverse("plans:create"), plan_data(ladder))

    plan = CareerPlan.objects.get(owner=alice)
    assert response["Location"] == plan.get_absolute_url()
    assert plan.is_primary
    assert plan.target_role == ladder.roles["senior"]

    alice_client.post(reverse("plans:create"), plan_data(ladder, title="Plan B"))
    assert CareerPlan.objects.get(title="Plan B").is_primary is False


def test_create_form_is_prefilled_from_the_query(alice_client, ladder):
    url = reverse("plans:create") + f"?current={ladder.roles['apm'].pk}&target={ladder.roles['pm'].pk}"
    form = alice_client.get(url).context["form"]
    assert form.initial["current_role"] == ladder.roles["apm"].pk
    assert form.initial["target_role"] == ladder.roles["pm"].pk
    assert form.initial["title"] == "Become a Product Manager"


def test_garbage_in_the_prefill_query_is_ignored(alice_client, ladder):
    response = alice_client.get(reverse("plans:create") + "?current=abc&target=999999")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"target_role": "apm"}, "target_role", "the role you already have"),
        ({"target_date": "2001-01-01"}, "target_date", "in the future"),
        ({"title": ""}, "title", "required"),
        ({"target_role": "999999"}, "target_role", "valid choice"),
        ({"target_date": "not a date"}, "target_date", "valid date"),
    ],
)
def test_bad_plan_input_is_a_field_error(alice_client, alice, ladder, overrides, field, message):
    if overrides.get("target_role") == "apm":
        overrides = {"target_role": ladder.roles["apm"].pk}
    response = alice_client.post(reverse("plans:create"), plan_data(ladder, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not CareerPlan.objects.filter(owner=alice).exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("plans:create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- the plan page ------------------------------------------------------------------


def test_plan_page_shows_gap_readiness_and_path(alice_client, plan, ladder):
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["market"], level=2)

    response = alice_client.get(plan.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "Gap to Senior Product Manager" in html
    assert "not assessed" in html
    assert 'data-testid="readiness"' in html and "% ready" in html
    assert [s.role.slug for s in response.context["routes"][0]] == ["pm", "senior"]
    assert "gap-chart-data" in html


def test_plan_without_a_route_says_so_and_still_shows_the_gap(alice_client, alice, ladder):
    plan = CareerPlan.objects.create(
        owner=alice, title="Sideways", current_role=ladder.roles["apm"], target_role=ladder.roles["island"]
    )
    html = alice_client.get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="no-route"' in html
    assert "Gap to Island Role" in html


def test_other_user_gets_404_on_the_plan(bob_client, plan):
    assert bob_client.get(plan.get_absolute_url()).status_code == 404


def test_mentor_reads_the_plan_without_owner_buttons(client, plan, mentor, mentor_share):
    client.force_login(mentor)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Gap to Senior Product Manager" in html
    assert reverse("plans:edit", args=[plan.pk]) not in html
    assert reverse("plans:assess", args=[plan.pk]) not in html


# --- edit, history, archive, primary ----------------------------------------------------


def test_changing_the_target_role_is_kept_in_the_history_timeline(alice_client, plan, ladder):
    data = plan_data(
        ladder, target_role=ladder.roles["group"].pk, change_reason="Reorg opened a Group PM role"
    )
    data["title"] = plan.title
    alice_client.post(reverse("plans:edit", args=[plan.pk]), data)

    plan.refresh_from_db()
    assert plan.target_role == ladder.roles["group"]
    response = alice_client.get(reverse("plans:history", args=[plan.pk]))
    events = response.context["events"]
    change = events[0]
    assert {
        "field": "Target role",
        "old": "Senior Product Manager",
        "new": "Group Product Manager",
    } in change["changes"]
    assert change["reason"] == "Reorg opened a Group PM role"
    assert "Reorg opened a Group PM role" in response.content.decode()


def test_edit_keeps_a_past_target_date_that_was_not_changed(alice_client, plan, ladder):
    CareerPlan.objects.filter(pk=plan.pk).update(target_date="2020-01-01")
    data = plan_data(ladder, target_date="2020-01-01", title="Renamed")
    response = alice_client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Renamed"


def test_archive_and_restore(alice_client, plan):
    alice_client.post(reverse("plans:archive", args=[plan.pk]), {"archive": "1"})
    plan.refresh_from_db()
    assert plan.is_archived and not plan.is_primary
    listing = alice_client.get(reverse("plans:list"))
    assert plan in listing.context["archived"]

    alice_client.post(reverse("plans:archive", args=[plan.pk]), {"archive": "0"})
    plan.refresh_from_db()
    assert not plan.is_archived


def test_make_primary_moves_the_flag(alice_client, alice, plan, ladder):
    other = CareerPlan.objects.create(
        owner=alice, title="Other", current_role=ladder.roles["pm"], target_role=ladder.roles["leader"]
    )
    alice_client.post(reverse("plans:make_primary", args=[other.pk]))
    plan.refresh_from_db()
    other.refresh_from_db()
    assert other.is_primary and not plan.is_primary


def test_archive_needs_post(alice_client, plan):
    assert alice_client.get(reverse("plans:archive", args=[plan.pk])).status_code == 405


# --- self-assessment --------------------------------------------------------------------


def test_assessment_form_lists_every_skill_on_the_path_grouped(alice_client, plan):
    response = alice_client.get(reverse("plans:assess", args=[plan.pk]))
    groups = dict(response.context["form"].rows())
    assert [s.name for s, _, _ in groups["Hard skills"]] == ["Business strategy", "Market analysis"]
    assert [s.name for s, _, _ in groups["Soft skills"]] == ["Communication", "Leadership"]
    assert "Practitioner" in response.content.decode()  # the scale's labels are visible


def test_each_save_keeps_earlier_values(alice_client, plan, ladder):
    url = reverse("plans:assess", args=[plan.pk])
    market = ladder.skills["market"].pk
    alice_client.post(url, {f"level_{market}": "2", f"note_{market}": "Did one sizing"})
    alice_client.post(url, {f"level_{market}": "3", f"note_{market}": "Led the pricing study"})
    alice_client.post(url, {f"level_{market}": "3", f"note_{market}": "Led the pricing study"})  # unchanged

    rows = list(SkillAssessment.objects.filter(plan=plan, skill_id=market).values_list("level", flat=True))
    assert rows == [2, 3]
    page = alice_client.get(url)
    assert "Market analysis" in page.context["history"]


def test_out_of_range_level_is_a_field_error_and_saves_nothing(alice_client, plan, ladder):
    market = ladder.skills["market"].pk
    response = alice_client.post(reverse("plans:assess", args=[plan.pk]), {f"level_{market}": "9"})
    assert response.status_code == 200
    assert response.context["form"].errors[f"level_{market}"]
    assert not SkillAssessment.objects.exists()


# --- dashboard ----------------------------------------------------------------------


def test_new_user_dashboard_offers_a_prefilled_first_plan(alice_client):
    track = TrackFactory(name="Product Management", slug="product-management")
    apm = RoleFactory(
        track=track,
        title="Associate Product Manager",
        slug="associate-product-manager",
        level=2,
        is_entry_point=True,
    )
    pm = RoleFactory(track=track, title="Product Manager", slug="product-manager", level=3)
    # The starter is the ladder's most senior entry point and the first role it leads to.
    RoleFactory(track=track, title="Business Analyst", slug="business-analyst", level=1, is_entry_point=True)
    TransitionFactory(from_role=apm, to_role=pm)

    html = alice_client.get(reverse("home")).content.decode()

    assert "Create your first plan" in html
    assert f"?current={apm.pk}&amp;target={pm.pk}" in html


def test_dashboard_leads_with_the_primary_plan_and_its_readiness(alice_client, alice, plan, ladder):
    CareerPlan.objects.create(
        owner=alice, title="Side plan", current_role=ladder.roles["pm"], target_role=ladder.roles["leader"]
    )
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["market"], level=4)
    response = alice_client.get(reverse("home"))
    cards = response.context["cards"]
    assert cards[0]["plan"] == plan
    assert cards[0]["readiness"].percent == 100  # market 4 of 4, the only assessed skill
    assert "Create your first plan" not in response.content.decode()


def test_dashboard_recent_activity_leaves_out_planned_future_events(alice_client, plan):
    from tests.plans.factories import ActivityFactory

    today = timezone.localdate()
    ActivityFactory(plan=plan, title="Pricing course", date=today - timedelta(days=3))
    ActivityFactory(plan=plan, title="Meetup talk", date=today + timedelta(days=20), status="planned")

    card = alice_client.get(reverse("home")).context["cards"][0]

    assert [a.title for a in card["recent"]] == ["Pricing course"]


def test_readiness_is_explained_wherever_it_is_shown(alice_client, plan, ladder):
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["market"], level=2)
    for url in (plan.get_absolute_url(), reverse("home")):
        html = alice_client.get(url).content.decode()
        assert "% ready" in html and "How is this worked out?" in html
        assert "counts up to the level the role requires" in html
