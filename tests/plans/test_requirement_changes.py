"""An editor changes a role's requirements: the plans that target it (or start from it) say so
beside the gap and on their history; other plans don't; the plan page costs the same queries."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from plans.models import CareerPlan
from plans.readiness import REQUIREMENT_CHANGES_DAYS
from plans.services import plan_update
from skills.history import net_requirement_changes, requirement_changes
from skills.ladder import export_ladder, import_ladder
from skills.models import RoleSkill
from tests.conftest import NOW, make_user
from tests.factories import RoleSkillFactory, SkillFactory
from tests.skills.test_admin import add_inline_row, form_data

LATER = NOW + timedelta(days=3)


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:skills_roleskill_{name}", args=args)


@pytest.fixture
def editor_client(db, password):
    user = make_user("editor@example.com", password)
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pricing(db):
    return SkillFactory(name="Pricing", slug="pricing")


def requirement(ladder, role: str, skill: str) -> RoleSkill:
    return RoleSkill.objects.get(role=ladder.roles[role], skill=ladder.skills[skill])


def edit_in_admin(editor_client, ladder, pricing) -> None:
    """Through the admin, on Senior PM: Market analysis 4 → 5, Pricing added at 2, Leadership removed."""
    market = requirement(ladder, "senior", "market")
    response = editor_client.post(
        admin_url("change", market.pk), {"role": market.role_id, "skill": market.skill_id, "level": 5}
    )
    assert response.status_code == 302
    response = editor_client.post(
        admin_url("add"), {"role": ladder.roles["senior"].pk, "skill": pricing.pk, "level": 2}
    )
    assert response.status_code == 302
    leadership = requirement(ladder, "senior", "leadership")
    assert editor_client.post(admin_url("delete", leadership.pk), {"post": "yes"}).status_code == 302


def notice(response) -> str:
    """The notice's text, one space between words; empty when the page has none."""
    html = response.content.decode()
    start = html.find('data-testid="requirement-changes"')
    if start == -1:
        return ""
    return " ".join(strip_tags(html[html.index(">", start) + 1 : html.find("</div>", start)]).split())


# --- The plan page -------------------------------------------------------------------------


def test_admin_changes_show_beside_the_targeting_plans_gap(
    frozen_time, alice_client, plan, editor_client, ladder, pricing
):
    with time_machine.travel(LATER, tick=False):
        edit_in_admin(editor_client, ladder, pricing)
        response = alice_client.get(plan.get_absolute_url())

    text = notice(response)
    assert "Since you last changed this plan on 15 Jun 2026" in text
    assert "15 Jun 2026, the requirements of Senior Product Manager changed: " in text
    assert "Market analysis 4 → 5" in text
    assert "Pricing added at level 2" in text
    assert "Leadership removed (was 3)" in text
    # Inside the gap section, which already uses the new requirements.
    html = response.content.decode()
    assert html.index('id="gap"') < html.index('data-testid="requirement-changes"') < html.index('id="path"')
    assert [g.skill.name for g in response.context["gaps"] if g.skill.name in ("Pricing", "Leadership")] == [
        "Pricing"
    ]


def test_admin_inline_edit_on_the_role_page_shows_too(
    frozen_time, alice_client, plan, editor_client, ladder, pricing
):
    role = ladder.roles["senior"]
    page = editor_client.get(reverse("admin:skills_role_change", args=[role.pk]))
    data = form_data(page)
    add_inline_row(data, "requirements", skill=pricing.pk, level=3)
    with time_machine.travel(LATER, tick=False):
        assert (
            editor_client.post(reverse("admin:skills_role_change", args=[role.pk]), data).status_code == 302
        )
        response = alice_client.get(plan.get_absolute_url())

    assert "Pricing added at level 3" in notice(response)


def test_ladder_import_changes_show(frozen_time, alice_client, plan, ladder):
    document = export_ladder([ladder.track])
    senior = next(r for r in document["tracks"][0]["roles"] if r["slug"] == "senior")
    next(r for r in senior["requirements"] if r["skill"] == "strategy")["level"] = 4
    with time_machine.travel(LATER, tick=False):
        import_ladder(document)
        response = alice_client.get(plan.get_absolute_url())

    assert "Business strategy 3 → 4" in notice(response)


def test_current_role_changes_are_named_as_such(
    frozen_time, alice_client, plan, editor_client, ladder, pricing
):
    with time_machine.travel(LATER, tick=False):
        edit_in_admin(editor_client, ladder, pricing)
        response = editor_client.post(
            admin_url("add"), {"role": ladder.roles["apm"].pk, "skill": pricing.pk, "level": 1}
        )
        assert response.status_code == 302
        text = notice(alice_client.get(plan.get_absolute_url()))

    assert "the requirements of Senior Product Manager changed: " in text
    assert (
        "The requirements of Associate Product Manager, the current role, changed too: "
        "Pricing added at level 1 (assess Pricing)." in text
    )


def test_unrelated_plans_show_nothing(frozen_time, bob, ladder, editor_client, pricing, client, plan):
    bobs = CareerPlan.objects.create(
        owner=bob, title="Bob's plan", current_role=ladder.roles["pm"], target_role=ladder.roles["group"]
    )
    client.force_login(bob)
    with time_machine.travel(LATER, tick=False):
        edit_in_admin(editor_client, ladder, pricing)
        response = client.get(bobs.get_absolute_url())
        history = client.get(reverse("plans:history", args=[bobs.pk]))

    assert response.context["page"].requirement_changes is None
    assert 'data-testid="requirement-changes"' not in response.content.decode()
    assert 'data-testid="requirement-change"' not in history.content.decode()


def test_changes_before_the_plans_last_change_are_not_repeated(
    frozen_time, alice_client, plan, editor_client, ladder, pricing
):
    with time_machine.travel(LATER, tick=False):
        edit_in_admin(editor_client, ladder, pricing)
    with time_machine.travel(LATER + timedelta(days=1), tick=False):
        plan.target_date = NOW.date() + timedelta(days=400)
        plan_update(plan=plan, reason="New date")
        response = alice_client.get(plan.get_absolute_url())
        history = alice_client.get(reverse("plans:history", args=[plan.pk]))

    assert response.context["page"].requirement_changes is None
    assert "Market analysis</strong>: 4 → 5" in history.content.decode()  # the history keeps it


def test_a_level_raised_and_lowered_back_is_no_change(frozen_time, alice_client, plan, ladder):
    market = requirement(ladder, "senior", "market")
    with time_machine.travel(LATER, tick=False):
        market.level = 5
        market.save()
        market.level = 4
        market.save()
        response = alice_client.get(plan.get_absolute_url())

    assert response.context["page"].requirement_changes is None


def test_an_old_plan_sees_the_last_90_days(frozen_time, alice_client, alice, plan, ladder):
    much_later = NOW + timedelta(days=REQUIREMENT_CHANGES_DAYS + 30)
    with time_machine.travel(NOW + timedelta(days=10), tick=False):
        RoleSkill.objects.filter(pk=requirement(ladder, "senior", "communication").pk).get().delete()
    with time_machine.travel(much_later, tick=False):
        market = requirement(ladder, "senior", "market")
        market.level = 5
        market.save()
        alice_client.force_login(alice)  # the session from NOW has expired
        response = alice_client.get(plan.get_absolute_url())

    text = notice(response)
    assert "In the last 90 days, since" in text
    assert "Market analysis 4 → 5" in text
    assert "Communication" not in text  # removed 120 days ago


def test_mentor_sees_the_notice_about_the_owner(frozen_time, client, plan, mentor, mentor_share, ladder):
    client.force_login(mentor)
    with time_machine.travel(LATER, tick=False):
        market = requirement(ladder, "senior", "market")
        market.level = 5
        market.save()
        text = notice(client.get(plan.get_absolute_url()))

    assert "Since the owner last changed this plan" in text and "Market analysis 4 → 5" in text


def test_an_added_skill_links_the_owner_to_its_assessment(
    frozen_time, alice_client, plan, editor_client, ladder, pricing
):
    """Issue 23, item 5: the readiness drops to "3 of 4 assessed" with a link straight to the new
    skill on the assessment page, not in silence."""
    with time_machine.travel(LATER, tick=False):
        response = editor_client.post(
            admin_url("add"), {"role": ladder.roles["senior"].pk, "skill": pricing.pk, "level": 2}
        )
        assert response.status_code == 302
        response = alice_client.get(plan.get_absolute_url())

    assert "Pricing added at level 2 (assess Pricing)." in notice(response)
    link = f'href="{reverse("plans:assess", args=[plan.pk])}#skill-{pricing.pk}"'
    html = response.content.decode()
    assert link in html[html.index('data-testid="requirement-changes"') :]


def test_the_mentor_gets_no_assessment_link(frozen_time, client, plan, mentor, mentor_share, ladder, pricing):
    client.force_login(mentor)
    with time_machine.travel(LATER, tick=False):
        RoleSkillFactory(role=ladder.roles["senior"], skill=pricing, level=2)
        response = client.get(plan.get_absolute_url())

    assert "Pricing added at level 2." in notice(response)
    assert 'data-testid="assess-added-skill"' not in response.content.decode()


# --- The history page ----------------------------------------------------------------------


def test_history_dates_requirement_changes_among_the_revisions(
    frozen_time, alice_client, plan, editor_client, ladder, pricing
):
    with time_machine.travel(LATER, tick=False):
        edit_in_admin(editor_client, ladder, pricing)
    with time_machine.travel(LATER + timedelta(days=1), tick=False):
        plan.target_role = ladder.roles["group"]
        plan_update(plan=plan, reason="Aiming higher")
    with time_machine.travel(LATER + timedelta(days=2), tick=False):
        # The plan no longer targets Senior PM: this change is not the plan's.
        strategy = requirement(ladder, "senior", "strategy")
        strategy.level = 5
        strategy.save()
        response = alice_client.get(reverse("plans:history", args=[plan.pk]))

    html = response.content.decode()
    events = response.context["events"]
    assert [("requirements" in e, e["date"]) for e in events] == [
        (False, LATER + timedelta(days=1)),  # retargeted
        (True, LATER),  # one event for the editor's three saves
        (False, NOW),  # created
    ]
    assert html.count('data-testid="requirement-change"') == 1
    framework = html[html.index('data-testid="requirement-change"') :]
    assert "18 Jun 2026" in framework[:300]
    assert "Senior Product Manager's requirements changed" in framework
    assert "<strong>Leadership</strong>: removed (was 3)" in framework
    assert "<strong>Market analysis</strong>: 4 → 5" in framework
    assert "<strong>Pricing</strong>: added at level 2" in framework
    assert "Business strategy" not in html


# --- The rules in skills.history -------------------------------------------------------------


def test_a_requirement_moved_to_another_role_leaves_one_and_joins_the_other(frozen_time, ladder):
    negotiation = RoleSkillFactory(
        role=ladder.roles["island"], skill=SkillFactory(name="Negotiation"), level=2
    )
    with time_machine.travel(LATER, tick=False):
        negotiation.role = ladder.roles["senior"]
        negotiation.save()

    changes = requirement_changes([ladder.roles["island"].pk, ladder.roles["senior"].pk], since=NOW)
    assert {(c.role_id, c.skill_name, c.before, c.after) for c in changes} == {
        (ladder.roles["island"].pk, "Negotiation", 2, None),
        (ladder.roles["senior"].pk, "Negotiation", None, 2),
    }
    net = net_requirement_changes([ladder.roles["senior"].pk], since=NOW)
    assert [(c.skill_name, c.added) for c in net] == [("Negotiation", True)]


# --- Queries -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_plan_page_queries_do_not_grow_with_changes(
    frozen_time, alice_client, plan, ladder, size, django_assert_max_num_queries
):
    with time_machine.travel(LATER, tick=False):
        market = requirement(ladder, "senior", "market")
        market.level = 5
        market.save()
        baseline_response = alice_client.get(plan.get_absolute_url())
        assert baseline_response.context["page"].requirement_changes is not None
        cache.clear()  # both views measured cold: the ladder's cached routes, too, are gone after a change
        with CaptureQueriesContext(connection) as ctx:
            alice_client.get(plan.get_absolute_url())
        baseline = len(ctx.captured_queries)
        for i in range(size):
            RoleSkillFactory(
                role=ladder.roles["senior"], skill=SkillFactory(name=f"Skill {i:02}"), level=1 + i % 5
            )
            RoleSkillFactory(role=ladder.roles["apm"], skill=SkillFactory(name=f"Other {i:02}"), level=2)
        # Same as before: the requirement changes are one query, whatever their number.
        cache.clear()
        with django_assert_max_num_queries(baseline):
            response = alice_client.get(plan.get_absolute_url())

    assert f"Skill {size - 1:02} added" in notice(response)
    assert f"Other {size - 1:02} added" in notice(response)
