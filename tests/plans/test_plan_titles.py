"""A plan title the app wrote ("Become a …") follows the target role when the person agrees; a
title the person wrote is never touched; what is sent out carries the title as it is now."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.models import CareerPlan
from plans.sharing.models import Share


def edit_url(plan) -> str:
    return reverse("plans:edit", args=[plan.pk])


def edit_data(plan, **overrides) -> dict:
    """The edit form as the browser sends it for `plan`, the rename box left unticked."""
    data = {
        "title": plan.title,
        "current_role": plan.current_role_id,
        "target_role": plan.target_role_id,
        "target_date": (timezone.localdate() + timedelta(days=365)).isoformat(),
        "vision": plan.vision,
        "change_reason": "",
    }
    return {**data, **overrides}


@pytest.fixture
def app_titled(plan, ladder):
    """Alice's plan under the title the new-plan form suggested for its target, Senior PM."""
    plan.title = "Become a Senior Product Manager"
    plan.save()
    return plan


def test_the_suggested_title_has_one_home_and_its_article(ladder):
    assert CareerPlan.suggested_title(ladder.roles["senior"]) == "Become a Senior Product Manager"
    assert CareerPlan.suggested_title(ladder.roles["apm"]) == "Become an Associate Product Manager"


def test_the_new_plan_form_suggests_that_title(alice_client, ladder):
    response = alice_client.get(reverse("plans:create"), {"target": ladder.roles["apm"].pk})

    assert response.context["form"].initial["title"] == "Become an Associate Product Manager"
    assert "rename_title" not in response.context["form"].fields  # nothing to rename yet


def test_an_app_written_title_is_offered_a_rename_ticked(alice_client, app_titled):
    response = alice_client.get(edit_url(app_titled))

    form = response.context["form"]
    html = response.content.decode()
    assert form["rename_title"].initial is True
    assert list(form.fields).index("rename_title") == list(form.fields).index("target_role") + 1
    assert "Rename the plan to match the target role, if you change it" in html
    assert 'src="/static/js/plan-title.js"' in html


def test_accepting_the_rename_follows_the_new_target(alice_client, app_titled, ladder):
    data = edit_data(app_titled, target_role=ladder.roles["group"].pk, rename_title="on")
    response = alice_client.post(edit_url(app_titled), data)

    assert response.status_code == 302
    app_titled.refresh_from_db()
    assert app_titled.title == "Become a Group Product Manager"
    assert app_titled.target_role == ladder.roles["group"]


def test_unticking_the_rename_keeps_the_title(alice_client, app_titled, ladder):
    alice_client.post(edit_url(app_titled), edit_data(app_titled, target_role=ladder.roles["group"].pk))

    app_titled.refresh_from_db()
    assert app_titled.title == "Become a Senior Product Manager"
    assert app_titled.target_role == ladder.roles["group"]


def test_a_title_typed_in_the_same_save_wins_over_the_rename(alice_client, app_titled, ladder):
    data = edit_data(app_titled, title="Lead a team", target_role=ladder.roles["group"].pk, rename_title="on")
    alice_client.post(edit_url(app_titled), data)

    app_titled.refresh_from_db()
    assert app_titled.title == "Lead a team"


def test_a_title_the_person_wrote_is_never_offered_nor_renamed(alice_client, plan, ladder):
    assert plan.title == "Become a Senior PM"  # close to the app's wording, but their own

    response = alice_client.get(edit_url(plan))
    assert "rename_title" not in response.context["form"].fields
    assert "Rename to" not in response.content.decode()
    assert "plan-title.js" not in response.content.decode()

    data = edit_data(plan, target_role=ladder.roles["group"].pk, rename_title="on")  # a forged tick
    alice_client.post(edit_url(plan), data)
    plan.refresh_from_db()
    assert plan.title == "Become a Senior PM"
    assert plan.target_role == ladder.roles["group"]


def test_a_title_left_behind_by_an_earlier_target_is_offered_unticked(alice_client, plan, ladder):
    """The reported case: "Become a Product Manager" stayed after the target moved to Senior PM."""
    plan.title, plan.target_role = "Become a Product Manager", ladder.roles["pm"]
    services.plan_update(plan=plan)
    plan.target_role = ladder.roles["senior"]
    services.plan_update(plan=plan, reason="Aiming higher")

    response = alice_client.get(edit_url(plan))
    form = response.context["form"]
    assert form["rename_title"].initial is False  # they may have kept it on purpose
    assert "Rename to “Become a Senior Product Manager”" in response.content.decode()

    alice_client.post(edit_url(plan), edit_data(plan))  # saving something else leaves it
    plan.refresh_from_db()
    assert plan.title == "Become a Product Manager"

    alice_client.post(edit_url(plan), edit_data(plan, rename_title="on"))
    plan.refresh_from_db()
    assert plan.title == "Become a Senior Product Manager"


def test_the_offer_names_the_target_the_form_comes_back_with(alice_client, app_titled, ladder):
    data = edit_data(app_titled, target_role=ladder.roles["group"].pk, target_date="2000-01-01")
    response = alice_client.post(edit_url(app_titled), data)

    assert response.status_code == 200  # the past date is refused
    assert "Rename to “Become a Group Product Manager”" in response.content.decode()


def test_the_title_is_escaped_in_the_offer(alice_client, app_titled, ladder):
    ladder.roles["senior"].title = "<b>Senior</b>"
    ladder.roles["senior"].save()
    app_titled.title = "Become a <b>Senior</b>"
    app_titled.save()

    html = alice_client.get(edit_url(app_titled)).content.decode()
    assert "suggested “Become a &lt;b&gt;Senior&lt;/b&gt;”" in html  # escaped once, not twice
    assert "<b>Senior</b>" not in html


def test_the_invitation_carries_the_current_title(alice_client, app_titled, ladder):
    # Invited an hour ago, so a resend is allowed (plans.sharing.throttle.RESEND_COOLDOWN).
    share = Share.objects.create(
        plan=app_titled, email="early@example.com", sent_at=timezone.now() - timedelta(hours=1)
    )
    data = edit_data(app_titled, target_role=ladder.roles["group"].pk, rename_title="on")
    alice_client.post(edit_url(app_titled), data)

    alice_client.post(reverse("plans:share_list", args=[app_titled.pk]), {"email": "mentor@example.com"})
    alice_client.post(reverse("plans:share_resend", args=[app_titled.pk, share.pk]))

    assert [m.to for m in mail.outbox] == [["mentor@example.com"], ["early@example.com"]]
    for (
        message
    ) in mail.outbox:  # the title is in the body (never in the subject: tests/plans/test_sharing.py)
        assert "“Become a Group Product Manager”" in message.body
        assert "Senior Product Manager" not in message.body
