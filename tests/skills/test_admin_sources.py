"""An editor attaches a standard's id to an existing skill in the admin (issue 27), and a ladder
upload with a malformed id is refused with its place, nothing written."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from skills.models import Skill, Track
from tests.conftest import make_user
from tests.factories import SkillFactory

pytestmark = pytest.mark.django_db

BUDGETS = "http://data.europa.eu/esco/skill/33333333-3333-4333-8333-000000000001"


@pytest.fixture
def editor_client(client, password):
    editor = make_user("editor@example.com", password)
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name="Ladder editors"))
    client.force_login(editor)
    return client


def change(client, skill: Skill, **fields):
    data = {"name": skill.name, "slug": skill.slug, "category": skill.category, "description": ""}
    data |= {"resources-TOTAL_FORMS": "0", "resources-INITIAL_FORMS": "0"}
    return client.post(reverse("admin:skills_skill_change", args=[skill.pk]), {**data, **fields})


def test_the_skill_form_offers_the_standard_and_its_id_with_help(editor_client):
    skill = SkillFactory(name="Budgeting")
    page = editor_client.get(reverse("admin:skills_skill_change", args=[skill.pk])).content.decode()
    assert 'name="standard"' in page and 'name="external_id"' in page
    assert "ESCO: the concept URI" in page and "Source" in page


def test_an_editor_attaches_an_esco_id_to_a_skill(editor_client):
    skill = SkillFactory(name="Budgeting")

    answer = change(editor_client, skill, standard="esco", external_id=BUDGETS)

    assert answer.status_code == 302
    skill.refresh_from_db()
    assert (skill.standard, skill.external_id) == ("esco", BUDGETS)
    found = editor_client.get(reverse("admin:skills_skill_changelist"), {"q": "33333333-3333"})
    assert list(found.context["cl"].result_list) == [skill]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"standard": "", "external_id": BUDGETS}, "standard", "An id needs its standard."),
        ({"standard": "esco", "external_id": ""}, "external_id", "An ESCO source needs its id."),
        (
            {"standard": "esco", "external_id": "https://example.com/budgets"},
            "external_id",
            "The id is not an ESCO concept URI",
        ),
        ({"standard": "onet", "external_id": BUDGETS}, "external_id", "The id is not an O*NET element id"),
    ],
)
def test_a_half_or_malformed_source_is_a_field_error(editor_client, fields, field, message):
    skill = SkillFactory(name="Budgeting")
    answer = change(editor_client, skill, **fields)
    assert answer.status_code == 200
    assert message in " ".join(answer.context["adminform"].form.errors[field])
    skill.refresh_from_db()
    assert (skill.standard, skill.external_id) == ("", "")


def test_an_id_another_skill_holds_is_refused(editor_client):
    SkillFactory(name="Manage budgets", standard="esco", external_id=BUDGETS)
    skill = SkillFactory(name="Budgeting")
    answer = change(editor_client, skill, standard="esco", external_id=BUDGETS)
    assert answer.status_code == 200
    assert "Another skill already has this standard id." in answer.content.decode()


def test_an_upload_with_a_malformed_id_is_refused_by_place_and_writes_nothing(editor_client):
    document = {
        "format": "careerpath-ladder",
        "version": 1,
        "skills": [
            {
                "name": "Manage budgets",
                "slug": "manage-budgets",
                "category": "hard",
                "source": {"standard": "esco", "id": "budgets"},
            }
        ],
        "tracks": [{"name": "Finance", "slug": "finance", "roles": []}],
    }
    upload = SimpleUploadedFile("finance.json", json.dumps(document).encode(), "application/json")

    answer = editor_client.post(reverse("admin:skills_ladder_import"), {"file": upload})

    assert answer.status_code == 200
    assert answer.context["problems"] == [
        "skills[0] (manage-budgets): source.id: the id is not an ESCO concept URI "
        "(http://data.europa.eu/esco/<kind>/<id>)"
    ]
    assert not Skill.objects.exists() and not Track.objects.exists()
