"""The import's review page, from goals/portability/preview.py's mutation run (issue 28): a file
holding plans the account already has names them as not imported again, beside those it adds.
The clock ticks (time-machine, tick=True): a plan is known by the moment it was created."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.portability.checking import check
from goals.portability.export import dump, export_person
from goals.portability.reading import ImportRefused
from goals.portability.writing import import_document
from plans.models import CareerPlan
from tests.plans.factories import CareerPlanFactory


@pytest.fixture
def alices_plans(alice, ladder):
    with time_machine.travel(datetime(2026, 6, 15, 9, 0, tzinfo=UTC), tick=True):
        junior, senior = ladder.roles["apm"], ladder.roles["senior"]
        yield [
            CareerPlanFactory(owner=alice, title=title, current_role=junior, target_role=senior)
            for title in ("Become senior", "Side path")
        ]


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
def test_a_plan_whose_roles_this_careerpath_lacks_is_left_out_whole_and_said_so(document, bob):
    track = document["ladder"]["tracks"][0]
    track["roles"] += [
        {"title": title, "slug": title.lower(), "level": 5} for title in ("Storyteller", "Narrator")
    ]
    plan, other = document["plans"]
    plan["current_role"], plan["target_role"] = f"{track['slug']}/storyteller", f"{track['slug']}/narrator"
    said = (
        f"the plan “{plan['title']}”: its role {track['slug']}/storyteller and {track['slug']}/narrator "
        "is not on this CareerPath"
    )

    assert check(document, user=bob).left_out == [said]

    report = import_document(document, user=bob)

    assert report.left_out == [said]
    assert list(CareerPlan.objects.filter(owner=bob).values_list("title", flat=True)) == [other["title"]]
