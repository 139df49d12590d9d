"""The taxonomy catalogue in the admin (issue 27): searched, read, never edited by hand."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skills.models import Skill, TaxonomyOccupation, Track, Transition
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


# --- Drafting a ladder from the catalogue -------------------------------------------------------

DRAFT = "admin:skills_taxonomy_draft"


@pytest.fixture
def editor_client(client, password):
    editor = make_user("editor@example.com", password)
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name="Ladder editors"))
    client.force_login(editor)
    return client


def draft_post(client, **changes) -> HttpResponse:
    data = {
        "standard": "onet",
        "occupations": "13-1082.00\n11-2021.00\n11-1021.00",
        "track": "Operations (O*NET)",
        "chain": "on",
        **changes,
    }
    return client.post(reverse(DRAFT), data)


def test_an_editor_drafts_a_ladder_previews_and_applies_it(editor_client):
    load("onet")

    answer = draft_post(editor_client)

    assert answer.status_code == 302
    assert answer["Location"] == reverse("admin:skills_ladder_import_preview")
    preview = editor_client.get(answer["Location"]).content.decode()
    assert "operations-onet.yaml" in preview
    assert "Project Management Specialists" in preview and "General and Operations Managers" in preview
    assert not Track.objects.exists()  # a preview writes nothing
    digest = editor_client.session["pending_ladder_import"]["digest"]

    editor_client.post(reverse("admin:skills_ladder_import_preview"), {"digest": digest})

    track = Track.objects.get(name="Operations (O*NET)")
    assert [r.title for r in track.roles.order_by("level")] == [
        "Project Management Specialists",
        "Marketing Managers",
        "General and Operations Managers",
    ]
    assert Transition.objects.filter(from_role__track=track).count() == 2
    # The standard's ids came along as data: the occupations' on the roles, the elements' on the skills
    assert [(r.standard, r.external_id) for r in track.roles.order_by("level")] == [
        ("onet", "13-1082.00"),
        ("onet", "11-2021.00"),
        ("onet", "11-1021.00"),
    ]
    assert Skill.objects.get(name="Critical Thinking").external_id == "2.A.2.a"


def test_an_unknown_occupation_is_a_field_error(editor_client):
    load("onet")

    page = draft_post(editor_client, occupations="13-1082.00\n99-0000.00")

    assert page.status_code == 200
    assert "No O*NET occupation in the catalogue has this id: 99-0000.00." in page.content.decode()
    assert "pending_ladder_import" not in editor_client.session


def test_the_selected_occupations_open_the_draft_form(editor_client):
    load("esco")
    chosen = TaxonomyOccupation.objects.filter(title__startswith="product")
    changelist = reverse("admin:skills_taxonomyoccupation_changelist")

    answer = editor_client.post(
        changelist,
        {"action": "draft_ladder", "_selected_action": [o.pk for o in chosen]},
    )

    assert answer.status_code == 302 and answer["Location"].startswith(reverse(DRAFT))
    form = editor_client.get(answer["Location"]).content.decode()
    assert "occupation/11111111-1111-4111-8111-000000000002\nhttp" in form
    assert 'value="esco" selected' in form


def test_staff_who_are_not_ladder_editors_get_403_and_visitors_the_sign_in(client, password):
    assert client.get(reverse(DRAFT))["Location"].startswith(reverse("admin:login"))
    staff = make_user("staff@example.com", password)
    staff.is_staff = True
    staff.save()
    client.force_login(staff)

    assert client.get(reverse(DRAFT)).status_code == 403
    assert draft_post(client).status_code == 403


ONET_CODES = ["13-1082.00", "11-2021.00", "11-1021.00", "99-0000.00"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    standard=st.sampled_from(["esco", "onet", "", "x"]),
    occupations=st.one_of(st.text(max_size=200), st.lists(st.sampled_from(ONET_CODES)).map("\n".join)),
    track=st.text(max_size=200),
    chain=st.sampled_from(["", "on", "garbage"]),
)
def test_any_draft_input_is_a_preview_or_a_field_error(editor_client, standard, occupations, track, chain):
    if not TaxonomyOccupation.objects.exists():
        load("onet")
    answer = editor_client.post(
        reverse(DRAFT),
        {"standard": standard, "occupations": occupations, "track": track, "chain": chain},
    )

    # 400: a NUL byte, which the site's middleware refuses before any form (careerpath.middleware)
    assert answer.status_code in (200, 302, 400)
    if answer.status_code == 302:
        assert answer["Location"] == reverse("admin:skills_ladder_import_preview")
    assert not Track.objects.exists()  # a draft writes nothing until its preview is applied
