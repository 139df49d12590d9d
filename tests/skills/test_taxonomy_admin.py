"""The taxonomy catalogue in the admin (issue 27): searched, read, never edited by hand."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skills.models import TaxonomyOccupation
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "taxonomy_data"


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def load(standard: str) -> None:
    call_command("import_taxonomy", standard, str(DATA / standard), stdout=_Quiet(), stderr=_Quiet())


@pytest.fixture
def admin_client(client, password):
    user = make_user("root@example.com", password)
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def test_searching_skills_finds_them_by_name_and_other_names(admin_client):
    load("esco")

    page = admin_client.get(reverse("admin:skills_taxonomyskill_changelist"), {"q": "leadership"})

    text = page.content.decode()
    assert "lead a team" in text
    assert "perform market research" not in text


def test_an_occupation_page_lists_the_skills_it_needs(admin_client):
    load("onet")
    gm = TaxonomyOccupation.objects.get(external_id="11-1021.00")

    page = admin_client.get(reverse("admin:skills_taxonomyoccupation_change", args=[gm.pk]))

    text = page.content.decode()
    assert "Skills it needs" in text
    assert "Management of Personnel Resources" in text
    assert "5.12" in text
    assert 'name="_save"' not in text  # read-only: the download is the source


def test_a_ladder_editor_searches_the_catalogue_but_cannot_change_it(client, password):
    editor = make_user("editor@example.com", password)
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name="Ladder editors"))
    client.force_login(editor)
    load("onet")
    gm = TaxonomyOccupation.objects.get(external_id="11-1021.00")

    found = client.get(reverse("admin:skills_taxonomyoccupation_changelist"), {"q": "operations"})
    page = client.get(reverse("admin:skills_taxonomyoccupation_change", args=[gm.pk]))

    assert "General and Operations Managers" in found.content.decode()
    assert "Management of Personnel Resources" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:skills_taxonomyskill_add")).status_code == 403
    delete = reverse("admin:skills_taxonomyoccupation_delete", args=[gm.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert TaxonomyOccupation.objects.filter(pk=gm.pk).exists()


def test_the_catalogue_cannot_be_added_to_by_hand(admin_client):
    for model in ("taxonomyoccupation", "taxonomyskill", "taxonomyrelation"):
        assert admin_client.get(reverse(f"admin:skills_{model}_add")).status_code == 403


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["taxonomyoccupation", "taxonomyskill", "taxonomyrelation"])
def test_changelists_cost_the_same_queries_with_one_or_two_standards(admin_client, name):
    # session, user, the count, the filtered count, the page of rows (with counts or joined names)
    url = reverse(f"admin:skills_{name}_changelist")
    load("esco")
    small = count_queries(admin_client, url)
    load("onet")

    assert count_queries(admin_client, url) == small
