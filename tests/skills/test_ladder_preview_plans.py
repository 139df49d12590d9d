"""The ladder import's preview says how many plans each change to what a role requires reaches
(issue 23): plans whose current or target role is that role, counted in one query however many
changes the file makes."""

import copy
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import CareerPlan
from skills.admin_import import PENDING
from skills.ladder import import_ladder
from skills.ladder.preview import preview_ladder
from skills.models import Role
from tests.conftest import make_user
from tests.plans.factories import CareerPlanFactory
from tests.skills.test_admin_ladder_upload import json_file, ladder

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:skills_ladder_import")
PREVIEW = reverse("admin:skills_ladder_import_preview")


@pytest.fixture
def roles(db) -> dict[str, Role]:
    """The small ladder of tests/skills/test_admin_ladder_upload.py with a third role no plan names,
    imported, and plans on it: 3 from Analyst to Senior Analyst, 1 from Senior Analyst elsewhere,
    1 archived from Analyst to Senior Analyst, 1 elsewhere entirely."""
    import_ladder(base_ladder())
    found = {role.slug: role for role in Role.objects.filter(track__slug="analysis")}
    elsewhere = CareerPlanFactory()
    CareerPlanFactory.create_batch(3, current_role=found["analyst"], target_role=found["senior-analyst"])
    CareerPlanFactory(current_role=found["senior-analyst"], target_role=elsewhere.target_role)
    CareerPlanFactory(
        current_role=found["analyst"], target_role=found["senior-analyst"], status=CareerPlan.Status.ARCHIVED
    )
    return found


def base_ladder() -> dict:
    document = ladder()
    document["tracks"][0]["roles"].append(
        {
            "title": "Principal Analyst",
            "slug": "principal-analyst",
            "level": 3,
            "requirements": [{"skill": "data-analytics", "level": 4}],
        }
    )
    return document


def changed_ladder() -> dict:
    """What plans need changes on every role: Senior Analyst's data analytics goes up a level,
    Analyst gains communication, Principal Analyst (no plan) changes its level; a new role
    arrives with a requirement; a skill's description changes."""
    document = copy.deepcopy(base_ladder())
    analyst, senior, principal = document["tracks"][0]["roles"]
    senior["requirements"][0]["level"] = 5
    analyst["requirements"].append({"skill": "communication", "level": 1})
    principal["requirements"][0]["level"] = 5
    document["tracks"][0]["roles"].append(
        {
            "title": "Lead Analyst",
            "slug": "lead-analyst",
            "level": 4,
            "requirements": [{"skill": "communication", "level": 5}],
        }
    )
    document["skills"][0]["description"] = "Reading numbers."
    return document


def reach(preview) -> dict[str, int | None]:
    return {str(change): change.plans for kind in preview.kinds for change in kind.created + kind.updated}


def test_each_requirement_change_counts_the_plans_naming_its_role(roles):
    assert reach(preview_ladder(changed_ladder())) == {
        # Every plan whose current or target role it is, archived ones included.
        "Senior Analyst: Data analytics at Expert": 5,
        "Analyst: Communication at Awareness": 4,
        "Principal Analyst: Data analytics at Expert": 0,
        # A role the file creates: no plan can name it yet, so nothing to count.
        "Lead Analyst: Communication at Expert": None,
        "Lead Analyst": None,
        # Not a change to what a role requires.
        "Data analytics": None,
    }


def test_plans_are_counted_in_one_query_however_many_changes(roles):
    with CaptureQueriesContext(connection) as queries:
        preview_ladder(changed_ladder())
    assert sum("plans_careerplan" in query["sql"] for query in queries.captured_queries) == 1


def test_no_change_to_requirements_counts_nothing(roles):
    document = base_ladder()
    document["skills"][0]["description"] = "Reading numbers."
    with CaptureQueriesContext(connection) as queries:
        preview = preview_ladder(document)
    assert reach(preview) == {"Data analytics": None}
    assert not any("plans_careerplan" in query["sql"] for query in queries.captured_queries)


def test_a_plan_that_starts_and_ends_on_the_role_counts_once(roles):
    CareerPlanFactory(current_role=roles["principal-analyst"], target_role=roles["principal-analyst"])
    assert reach(preview_ladder(changed_ladder()))["Principal Analyst: Data analytics at Expert"] == 1


@pytest.fixture(params=["superuser", "editor"])
def ladder_editor_client(request, client, password):
    """A superuser, or a staff member whose only powers come from the "Ladder editors" group."""
    person = make_user(f"{request.param}@example.com", password)
    person.is_staff = True
    person.is_superuser = request.param == "superuser"
    person.save()
    if request.param == "editor":
        person.groups.add(Group.objects.get(name="Ladder editors"))
    client.force_login(person)
    return client


def test_staff_who_are_not_ladder_editors_see_no_preview(client, bob, roles):
    bob.is_staff = True
    bob.save()
    client.force_login(bob)
    assert client.get(PREVIEW).status_code == 403


def test_the_preview_page_names_the_plans_each_change_affects(ladder_editor_client, roles):
    ladder_editor_client.post(UPLOAD, {"file": json_file(changed_ladder())})
    response = ladder_editor_client.get(PREVIEW)

    assert response.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))
    assert "Senior Analyst: Data analytics at Expert — affects 5 plans" in text
    assert "Analyst: Communication at Awareness — affects 4 plans" in text
    assert "Principal Analyst: Data analytics at Expert — affects 0 plans" in text
    assert "Lead Analyst: Communication at Expert —" not in text
    assert "Data analytics —" not in text
    assert "A plan is affected when the role is its current or target role" in text


def test_applying_still_imports_and_the_plans_keep_their_roles(ladder_editor_client, roles):
    ladder_editor_client.post(UPLOAD, {"file": json_file(changed_ladder())})
    digest = ladder_editor_client.session[PENDING]["digest"]

    response = ladder_editor_client.post(PREVIEW, {"digest": digest})

    assert response.status_code == 302
    assert roles["senior-analyst"].requirements.get(skill__slug="data-analytics").level == 5
    assert CareerPlan.objects.filter(target_role=roles["senior-analyst"]).count() == 4
