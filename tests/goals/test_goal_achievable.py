"""Achievable made explicit (issue 23, item 12): a goal has a plan of attack, or the person says they
will work out how later; the goal page then asks for the plan, once. Every writer keeps the rule:
the goal form, the admin, drafting from the gap, an import, and the goals saved before it."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from goals.forms import ACHIEVABLE_MISSING, GoalForm
from goals.models import Goal
from goals.portability.export import export_person
from goals.portability.writing import import_document
from goals.smart import LATER_ADVICE, smart_advice
from plans.models import SkillAssessment
from tests.conftest import TODAY
from tests.goals.factories import GoalFactory, goal_admin_data
from tests.goals.test_goal_form import goal_data, post_create

pytestmark = pytest.mark.usefixtures("frozen_time")

LEFT_FOR_LATER = "Left for later."


def goal_form_errors(goal: Goal) -> dict:
    """What the goal form says of the goal saved as it is (its edit page posted unchanged)."""
    shown = GoalForm(instance=goal, plan=goal.plan)
    data = {}
    for name in shown.fields:
        value = shown[name].value()
        if value is True:
            data[name] = "on"
        elif value is not None and value is not False:  # (0 == False)
            data[name] = str(value)
    return GoalForm(data, instance=goal, plan=goal.plan).errors


def edit_url(goal: Goal) -> str:
    return reverse("goals:edit", args=[goal.pk])


# --- The goal form -----------------------------------------------------------------------------


@pytest.mark.parametrize("plan_of_attack", ["", "   "], ids=["empty", "spaces"])
def test_neither_a_plan_of_attack_nor_later_is_a_field_error(alice_client, plan, plan_of_attack):
    response = post_create(alice_client, plan, goal_data(plan_of_attack=plan_of_attack))

    assert response.status_code == 200
    assert response.context["form"].errors == {"plan_of_attack": [ACHIEVABLE_MISSING]}
    html = response.content.decode()
    assert 'href="#id_plan_of_attack"' in html  # the error summary links to the field
    assert "tick “I&#x27;ll work out how later”" in html
    assert not Goal.objects.exists()


def test_a_plan_of_attack_is_enough(alice_client, plan):
    response = post_create(alice_client, plan, goal_data(plan_of_attack="Two intros a week."))

    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.plan_of_attack, goal.attack_later, goal.needs_plan_of_attack) == (
        "Two intros a week.",
        False,
        False,
    )


def test_working_it_out_later_is_enough(alice_client, plan):
    response = post_create(alice_client, plan, goal_data(plan_of_attack="", attack_later="on"))

    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.plan_of_attack, goal.attack_later, goal.needs_plan_of_attack) == ("", True, True)


def test_a_written_plan_is_kept_over_later(alice_client, plan):
    post_create(alice_client, plan, goal_data(plan_of_attack="Two intros a week.", attack_later="on"))

    goal = Goal.objects.get()
    assert (goal.attack_later, goal.needs_plan_of_attack) == (False, False)


def test_editing_a_goal_left_for_later_shows_the_choice_and_writing_a_plan_clears_it(alice_client, plan):
    goal = GoalFactory(plan=plan, plan_of_attack="", attack_later=True)
    form = alice_client.get(edit_url(goal)).context["form"]
    assert form["attack_later"].value() is True

    data = goal_data(
        start_date=goal.start_date.isoformat(),
        deadline=goal.deadline.isoformat(),
        plan_of_attack="Pair with a senior PM on two launches.",
        attack_later="on",
    )
    assert alice_client.post(edit_url(goal), data).status_code == 302

    goal.refresh_from_db()
    assert (goal.attack_later, goal.plan_of_attack) == (False, "Pair with a senior PM on two launches.")


def test_clearing_the_plan_on_edit_asks_for_later(alice_client, plan):
    goal = GoalFactory(plan=plan)
    data = goal_data(
        start_date=goal.start_date.isoformat(), deadline=goal.deadline.isoformat(), plan_of_attack=""
    )

    response = alice_client.post(edit_url(goal), data)

    assert response.context["form"].errors == {"plan_of_attack": [ACHIEVABLE_MISSING]}
    goal.refresh_from_db()
    assert goal.plan_of_attack == GoalFactory.plan_of_attack


# --- The advice on the goal page -------------------------------------------------------------------


def test_the_page_of_a_goal_left_for_later_asks_for_the_plan_once(alice_client, plan):
    response = post_create(alice_client, plan, goal_data(plan_of_attack="", attack_later="on"))
    page = alice_client.get(response["Location"])

    html = page.content.decode()
    assert html.count("add a plan of attack") == 1
    assert LATER_ADVICE.replace("'", "&#x27;") in html
    assert html.count(LEFT_FOR_LATER) == 1  # the Achievable line says where it stands
    assert "No plan of attack yet" not in html
    assert LATER_ADVICE in page.context["advice"]


def test_a_goal_with_a_plan_gets_no_such_advice(alice_client, plan):
    goal = GoalFactory(plan=plan, title="Run 4 customer interviews a month")

    html = alice_client.get(goal.get_absolute_url()).content.decode()

    assert LATER_ADVICE not in smart_advice(goal)
    assert "add a plan of attack" not in html and LEFT_FOR_LATER not in html
    assert GoalFactory.plan_of_attack in html


def test_the_advice_is_the_owners_and_a_mentor_sees_where_it_stands(client, plan, mentor, mentor_share):
    goal = GoalFactory(plan=plan, plan_of_attack="", attack_later=True)
    client.force_login(mentor)

    html = client.get(goal.get_absolute_url()).content.decode()

    assert LEFT_FOR_LATER in html and "add a plan of attack" not in html


@pytest.mark.parametrize(
    "who, status", [("owner", 200), ("other", 404), ("anonymous", 302)], ids=["owner", "other", "anonymous"]
)
@pytest.mark.parametrize("page", ["detail", "edit", "create"])
def test_who_may_open_the_pages(client, alice, bob, plan, who, status, page):
    goal = GoalFactory(plan=plan, plan_of_attack="", attack_later=True)
    url = {
        "detail": goal.get_absolute_url(),
        "edit": edit_url(goal),
        "create": reverse("goals:create", args=[plan.pk]),
    }[page]
    if who != "anonymous":
        client.force_login(alice if who == "owner" else bob)

    response = client.get(url)

    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


def test_another_person_cannot_post_a_goal_onto_the_plan(bob_client, plan):
    response = post_create(bob_client, plan, goal_data(plan_of_attack="", attack_later="on"))
    assert response.status_code == 404 and not Goal.objects.exists()


# --- Every other writer ---------------------------------------------------------------------------


def test_drafted_goals_are_left_for_later_and_pass_the_form(alice_client, plan, ladder):
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["market"], level=2)
    skill = ladder.skills["market"]

    response = alice_client.post(reverse("goals:draft", args=[plan.pk]), {"drafts": [skill.pk]})

    assert response.status_code == 302
    goal = Goal.objects.get(plan=plan, skill=skill)
    assert goal.attack_later and goal.needs_plan_of_attack
    assert goal_form_errors(goal) == {}
    assert LATER_ADVICE in alice_client.get(goal.get_absolute_url()).context["advice"]


def test_an_imported_goal_without_a_plan_of_attack_is_left_for_later(owned, alice, bob):
    document = export_person(alice)
    goals = document["plans"][0]["goals"]
    goals[0]["plan_of_attack"] = ""
    goals[1]["plan_of_attack"] = "Ask sales for intros."

    import_document(document, user=bob)

    imported = {g.title: g for g in Goal.objects.filter(plan__owner=bob)}
    blank, written = imported[goals[0]["title"]], imported[goals[1]["title"]]
    assert (blank.attack_later, written.attack_later) == (True, False)
    assert goal_form_errors(blank) == goal_form_errors(written) == {}


def test_a_goal_left_for_later_round_trips(owned, alice, bob):
    """The file has no field for it: a goal without a plan of attack comes back left for later."""
    Goal.objects.filter(pk=owned.pk).update(plan_of_attack="", attack_later=True)
    exported = export_person(alice)

    import_document(exported, user=bob)

    goal = Goal.objects.get(plan__owner=bob, title=owned.title)
    assert goal.attack_later
    assert {k: v for k, v in export_person(bob).items() if k != "exported_at"} == {
        k: v for k, v in exported.items() if k != "exported_at"
    }


def test_the_admin_keeps_the_rule(admin_client, plan):
    goal = GoalFactory(plan=plan)
    url = reverse("admin:goals_goal_change", args=[goal.pk])

    refused = admin_client.post(url, goal_admin_data(goal, plan_of_attack=""))
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {"plan_of_attack": [ACHIEVABLE_MISSING]}

    saved = admin_client.post(url, goal_admin_data(goal, plan_of_attack="", attack_later="on"))
    assert saved.status_code == 302
    goal.refresh_from_db()
    assert (goal.plan_of_attack, goal.attack_later) == ("", True)


# --- The goals saved before the rule ----------------------------------------------------------------


def test_the_migration_leaves_goals_without_a_plan_of_attack_for_later(plan):
    migration = importlib.import_module("goals.migrations.0014_goal_attack_later")
    blank = GoalFactory(plan=plan, plan_of_attack="")
    spaces = GoalFactory(plan=plan, plan_of_attack=" \n\t ")
    written = GoalFactory(plan=plan, plan_of_attack="Read two books.\n")
    done = GoalFactory(
        plan=plan, plan_of_attack="", status=Goal.Status.COMPLETED, start_date=TODAY - timedelta(days=400)
    )

    migration.mark_blank_plans_later(apps, None)

    later = dict(Goal.objects.values_list("pk", "attack_later"))
    assert later == {blank.pk: True, spaces.pk: True, written.pk: False, done.pk: True}
    assert all(goal_form_errors(goal) == {} for goal in Goal.objects.all())


def test_a_goal_written_in_sql_without_the_choice_is_not_left_for_later(plan):
    """As bench/reminders.py writes goals: the database has the default too."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO goals_goal (title, description, metric, unit, baseline, target, plan_of_attack, "
            "effort, relevance, start_date, deadline, status, reminder_cadence, created_at, plan_id) "
            "VALUES ('Goal', '', 'sessions', 'sessions', 0, 10, '', '', '', %s, %s, 'active', 'weekly', %s, %s)",
            [TODAY, TODAY + timedelta(days=30), timezone.now(), plan.pk],
        )

    goal = Goal.objects.get()
    assert (goal.attack_later, goal.needs_plan_of_attack) == (False, True)
