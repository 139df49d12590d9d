"""The import's review page, from goals/portability/preview.py's mutation run (issue 28): a file
holding plans the account already has names them as not imported again, beside those it adds.
The clock ticks (time-machine, tick=True): a plan is known by the moment it was created."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.models import Goal
from goals.portability.checking import check
from goals.portability.export import dump, export_person
from goals.portability.reading import ImportRefused
from goals.portability.writing import import_document
from plans.models import CareerPlan
from skills.models import GoalTemplate
from tests.factories import GoalTemplateFactory, IndustryFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import CareerPlanFactory


@pytest.fixture
def alices_plans(alice, ladder):
    with time_machine.travel(datetime(2026, 6, 15, 9, 0, tzinfo=UTC), tick=True):
        junior, senior = ladder.roles["apm"], ladder.roles["senior"]
        plans = [
            CareerPlanFactory(owner=alice, title=title, current_role=junior, target_role=senior)
            for title in ("Become senior", "Side path")
        ]
        GoalFactory(plan=plans[0], title="Ship the pricing page")
        yield plans


def _review(client, user, document: dict) -> str:
    client.force_login(user)
    file = SimpleUploadedFile("careerpath.json", dump(document).encode(), content_type="application/json")
    assert client.post(reverse("goals:import"), {"file": file}).status_code == 302
    return client.get(reverse("goals:import_confirm")).content.decode()


def test_the_review_names_the_plans_already_in_the_account_apart_from_those_it_adds(
    client, alice, alices_plans
):
    exported = export_person(alice)
    alices_plans[1].delete()  # since the export: the file adds it back

    review = _review(client, alice, exported)

    assert "<li>Side path</li>" in review and "<li>Become senior</li>" not in review
    assert "Already in your account, so not imported again: “Become senior”." in review
    assert "With 0 goals, 0 check-ins" in review  # what the file adds: Side path's, not Become senior's
    assert 'data-testid="import-go"' in review


def test_a_file_of_plans_new_to_the_account_names_none_as_already_there(client, alice, alices_plans, bob):
    review = _review(client, bob, export_person(alice))

    assert "<li>Side path</li>" in review and "<li>Become senior</li>" in review
    assert "Already in your account" not in review


@pytest.mark.usefixtures("frozen_time")
def test_every_place_naming_an_entry_neither_side_has_is_named_once_each(document, bob):
    """A slug neither this CareerPath nor the file's ladder has, wherever a plan names it: each
    place in the file is its own line, in the file's order, and nothing is written."""
    plan = document["plans"][0]
    track = document["ladder"]["tracks"][0]["slug"]
    plan["current_role"] = plan["target_role"] = f"{track}/chief-wizard"
    plan["industry"] = "space-travel"
    plan["assessments"][1]["skill"] = "telepathy"
    plan["certifications"][0]["certification"] = "wizardry"
    plan["activities"][0]["skills"].append("telepathy")
    plan["goals"][1].update(
        skill="telepathy", certification="wizardry", role=f"{track}/chief-wizard", template="moonshot"
    )

    with pytest.raises(ImportRefused) as refused:
        check(document, user=bob)

    neither = "neither this CareerPath nor the file's ladder has"
    title, goal = f"plans[0] ('{plan['title']}')", "plans[0].goals[1] ('Run 6 customer interviews')"
    assert refused.value.problems == [
        f"{title}: current_role: '{track}/chief-wizard' is a role {neither}",
        f"{title}: target_role: '{track}/chief-wizard' is a role {neither}",
        f"{title}: industry: 'space-travel' is an industry {neither}",
        f"{title}: assessments[1].skill: 'telepathy' is a skill {neither}",
        f"{title}: certifications[0].certification: 'wizardry' is a certification {neither}",
        f"plans[0].activities[0] ('Pricing course'): skills[1]: 'telepathy' is a skill {neither}",
        f"{goal}: skill: 'telepathy' is a skill {neither}",
        f"{goal}: certification: 'wizardry' is a certification {neither}",
        f"{goal}: role: '{track}/chief-wizard' is a role {neither}",
        f"{goal}: template: 'moonshot' is a goal template {neither}",
    ]
    assert not CareerPlan.objects.filter(owner=bob).exists()


@pytest.mark.usefixtures("frozen_time")
@pytest.mark.parametrize(
    "lacking", [("current_role", "target_role"), ("target_role",), ("current_role",)], ids=" and ".join
)
def test_a_plan_whose_roles_this_careerpath_lacks_is_left_out_whole_and_said_so(document, bob, lacking):
    track = document["ladder"]["tracks"][0]
    track["roles"] += [
        {"title": title, "slug": title.lower(), "level": 5} for title in ("Storyteller", "Narrator")
    ]
    plan, other = document["plans"]
    for key, role in zip(lacking, ("storyteller", "narrator"), strict=False):
        plan[key] = f"{track['slug']}/{role}"
    roles = " and ".join(plan[key] for key in lacking)
    said = f"the plan “{plan['title']}”: its role {roles} is not on this CareerPath"

    assert check(document, user=bob).left_out == [said]

    report = import_document(document, user=bob)

    assert report.left_out == [said]
    assert list(CareerPlan.objects.filter(owner=bob).values_list("title", flat=True)) == [other["title"]]


@pytest.mark.usefixtures("frozen_time")
def test_an_activity_and_a_goal_lose_only_what_this_careerpath_lacks_and_the_review_names_it(
    from_elsewhere, bob
):
    listening = {**from_elsewhere["ladder"]["skills"][-1], "name": "Listening", "slug": "listening"}
    from_elsewhere["ladder"]["skills"].append(listening)
    plan = from_elsewhere["plans"][0]
    activity = plan["activities"][0]
    activity["skills"] += ["storytelling", "listening"]
    goal = plan["goals"][1]
    goal["certification"] = "cst"  # and its skill, storytelling

    left_out = check(from_elsewhere, user=bob).left_out

    assert (
        f"“{plan['title']}”: the activity “{activity['title']}” loses the skill storytelling, listening"
        in left_out
    )
    assert f"“{plan['title']}”: the goal “{goal['title']}” loses its link to storytelling, cst" in left_out
    import_document(from_elsewhere, user=bob)
    imported = CareerPlan.objects.get(owner=bob, title=plan["title"]).activities.get()
    assert [skill.slug for skill in imported.skills.all()] == ["market-analysis"]
    imported_goal = Goal.objects.get(plan__owner=bob, title=goal["title"])
    assert (imported_goal.skill, imported_goal.certification) == (None, None)


@pytest.mark.usefixtures("frozen_time")
def test_a_files_ladder_may_leave_out_every_section_when_this_careerpath_has_what_the_plans_name(
    document, bob
):
    """The ladder file format makes every section optional: a file from a CareerPath with the same
    ladder needs none of them."""
    document["ladder"] = {"format": document["ladder"]["format"], "version": document["ladder"]["version"]}

    preview = check(document, user=bob)

    assert not preview.lacks_ladder_entries and preview.left_out == []
    assert [plan.title for plan in import_document(document, user=bob).plans] == [
        plan["title"] for plan in document["plans"]
    ]


@pytest.mark.usefixtures("frozen_time")
def test_an_industry_both_this_careerpath_and_the_file_have_is_kept_and_not_listed_as_lacking(
    client, owned, plan, alice, bob
):
    """The file's ladder carries every industry its plans name, this CareerPath's too: one both
    sides have is neither lacking nor left out, and the imported plan keeps it."""
    plan.industry = IndustryFactory(name="Healthcare")
    plan.save()
    document = export_person(alice)
    assert {"name": "Healthcare", "slug": "healthcare"} in document["ladder"]["industries"]

    review = _review(client, bob, document)

    assert 'data-testid="import-lacking"' not in review and "healthcare" not in review
    assert check(document, user=bob).lacking["industry"] == []
    import_document(document, user=bob)
    assert CareerPlan.objects.get(owner=bob, title=plan.title).industry.slug == "healthcare"


@pytest.mark.usefixtures("frozen_time")
def test_a_goal_template_this_careerpath_lacks_and_the_file_carries_is_named_and_the_goal_kept(
    owned, alice, bob
):
    """A goal started from a template the other CareerPath has, one of no track (a ladder editor's
    general template): the file's ladder carries it, the review names it as lacking and the goal
    as losing its link to it, and skipping it imports the goal without one. Before, the export
    carried only the templates of the tracks it exported, and such a file was refused whole."""
    owned.template = GoalTemplateFactory(title="Interview customers", track=None, role=None)
    owned.save()
    document = export_person(alice)
    assert "interview-customers" in [t["slug"] for t in document["ladder"]["goal_templates"]]
    GoalTemplate.objects.filter(slug="interview-customers").delete()
    title = document["plans"][0]["title"]

    preview = check(document, user=bob)

    assert preview.lacking["template"] == ["interview-customers"]
    assert f"“{title}”: the goal “{owned.title}” loses its link to interview-customers" in preview.left_out
    import_document(document, user=bob)
    assert Goal.objects.get(plan__owner=bob, title=owned.title).template is None
