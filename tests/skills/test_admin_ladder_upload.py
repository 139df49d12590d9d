"""Importing a ladder file from the admin: upload, preview (a dry run), apply; ladder editors only."""

import json

import pytest
import yaml
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from skills.admin_import import PENDING
from skills.ladder.preview import preview_ladder
from skills.ladder.reading import MAX_BYTES
from skills.models import Role, RoleSkill, Skill, Track, Transition
from tests.conftest import make_user
from tests.factories import SkillFactory

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:skills_ladder_import")
PREVIEW = reverse("admin:skills_ladder_import_preview")
TRACKS = reverse("admin:skills_track_changelist")


# --- People and files ----------------------------------------------------------------------------


@pytest.fixture
def superuser(db, password):
    user = make_user("root@example.com", password)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def editor(db, password):
    """A staff member whose only powers come from the group the migrations create."""
    user = make_user("editor@example.com", password)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Ladder editors"))
    return user


@pytest.fixture(params=["superuser", "editor"])
def ladder_editor_client(request, client):
    client.force_login(request.getfixturevalue(request.param))
    return client


def ladder() -> dict:
    """Two roles on one track, two skills, a transition: small enough to name every entry."""
    return {
        "format": "careerpath-ladder",
        "version": 1,
        "skills": [
            {"name": "Data analytics", "slug": "data-analytics", "category": "hard"},
            {"name": "Communication", "slug": "communication", "category": "soft"},
        ],
        "tracks": [
            {
                "name": "Analysis",
                "slug": "analysis",
                "roles": [
                    {
                        "title": "Analyst",
                        "slug": "analyst",
                        "level": 1,
                        "entry_point": True,
                        "requirements": [{"skill": "data-analytics", "level": 2}],
                    },
                    {
                        "title": "Senior Analyst",
                        "slug": "senior-analyst",
                        "level": 2,
                        "requirements": [
                            {"skill": "data-analytics", "level": 4},
                            {"skill": "communication", "level": 3},
                        ],
                    },
                ],
                "transitions": [{"from": "analyst", "to": "senior-analyst"}],
            }
        ],
    }


def json_file(document: dict, name: str = "analysis.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(document).encode(), content_type="application/json")


def yaml_file(text: str, name: str = "analysis.yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/yaml")


def framework_rows() -> list[int]:
    return [model.objects.count() for model in (Track, Role, Transition, Skill, RoleSkill)]


def problems_of(response) -> list[str]:
    return [str(problem) for problem in response.context["problems"]]


# --- Upload and preview ------------------------------------------------------------------------------


def test_upload_page_renders_with_a_labelled_file_field(ladder_editor_client):
    response = ladder_editor_client.get(UPLOAD)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Import a ladder file</h1>" in page
    assert '<label for="id_file" class="required">Ladder file:</label>' in page
    assert 'aria-describedby="id_file_helptext"' in page
    assert 'accept=".json,.yaml,.yml"' in page


@pytest.mark.parametrize("url", [TRACKS, reverse("admin:app_list", args=["skills"])])
def test_track_list_and_framework_index_link_to_the_import(ladder_editor_client, url):
    response = ladder_editor_client.get(url)
    assert (
        f'<a href="{UPLOAD}" data-testid="ladder-import-link">Import a ladder file</a>'
        in response.content.decode()
    )


def test_upload_previews_what_will_be_created_and_writes_nothing(ladder_editor_client):
    response = ladder_editor_client.post(UPLOAD, {"file": json_file(ladder())})

    assert response.status_code == 302 and response.url == PREVIEW
    assert framework_rows() == [0, 0, 0, 0, 0]
    response = ladder_editor_client.get(PREVIEW)
    assert response.status_code == 200
    assert framework_rows() == [0, 0, 0, 0, 0], "the preview is a dry run"
    preview = response.context["preview"]
    created = {kind.plural: [str(change) for change in kind.created] for kind in preview.kinds}
    assert created == {
        "tracks": ["Analysis"],
        "roles": ["Analyst", "Senior Analyst"],
        "transitions": ["Analyst → Senior Analyst"],
        "skills": ["Communication", "Data analytics"],
        "skill requirements": [
            "Analyst: Data analytics at Working knowledge",
            "Senior Analyst: Communication at Practitioner",
            "Senior Analyst: Data analytics at Advanced",
        ],
    }
    assert not any(kind.updated for kind in preview.kinds)
    page = response.content.decode()
    assert (
        "Applying it will create 1 track, 2 roles, 1 transition, 2 skills, 3 skill requirements; "
        "update nothing." in page
    )
    assert "<li>Senior Analyst: Communication at Practitioner</li>" in page
    assert '<th scope="row">Skill requirements</th><td>3</td><td>0</td>' in page
    assert "Apply: import analysis.json" in page


def test_preview_names_what_will_be_updated(ladder_editor_client):
    SkillFactory(name="Data analytics", slug="data-analytics", description="Old words.")
    document = ladder()
    document["skills"][1]["name"] = "Talking"

    ladder_editor_client.post(UPLOAD, {"file": json_file(document)})
    response = ladder_editor_client.get(PREVIEW)

    skills = next(kind for kind in response.context["preview"].kinds if kind.plural == "skills")
    assert [str(change) for change in skills.created] == ["Talking"]
    # Data analytics: its description empties, as the file leaves it out.
    assert [str(change) for change in skills.updated] == ["Data analytics"]
    assert Skill.objects.get(slug="data-analytics").description == "Old words."


def test_apply_imports_the_previewed_file_in_one_go(ladder_editor_client):
    ladder_editor_client.post(UPLOAD, {"file": json_file(ladder())})
    digest = ladder_editor_client.session[PENDING]["digest"]

    response = ladder_editor_client.post(PREVIEW, {"digest": digest}, follow=True)

    assert response.redirect_chain[-1][0] == TRACKS
    assert framework_rows() == [1, 2, 1, 2, 3]
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "Imported analysis.json: created 1 track, 2 roles, 1 transition, 2 skills, 3 skill requirements; "
        "updated nothing."
    ]
    assert PENDING not in ladder_editor_client.session


def test_the_same_file_again_previews_nothing_to_change(ladder_editor_client):
    ladder_editor_client.post(UPLOAD, {"file": json_file(ladder())})
    ladder_editor_client.post(PREVIEW, {"digest": ladder_editor_client.session[PENDING]["digest"]})

    ladder_editor_client.post(UPLOAD, {"file": json_file(ladder())})
    response = ladder_editor_client.get(PREVIEW)

    assert response.context["preview"].nothing_to_change
    page = response.content.decode()
    assert "Nothing to change" in page
    assert "Apply:" not in page, "nothing to apply"


def test_yaml_files_are_read_too(ladder_editor_client):
    response = ladder_editor_client.post(UPLOAD, {"file": yaml_file(yaml.safe_dump(ladder()), "a.yml")})

    assert response.status_code == 302
    assert ladder_editor_client.get(PREVIEW).context["preview"].result.created["roles"] == 2


def test_apply_imports_the_file_previewed_in_this_tab_only(ladder_editor_client):
    """Another upload (another tab) replaces the file in the session: Apply from the first
    preview must not import the second file unseen."""
    ladder_editor_client.post(UPLOAD, {"file": json_file(ladder())})
    first = ladder_editor_client.session[PENDING]["digest"]
    other = ladder()
    other["tracks"][0]["name"] = "Insight"
    ladder_editor_client.post(UPLOAD, {"file": json_file(other, "other.json")})

    response = ladder_editor_client.post(PREVIEW, {"digest": first})

    assert response.status_code == 302 and response.url == PREVIEW
    assert framework_rows() == [0, 0, 0, 0, 0]


def test_preview_without_an_upload_sends_to_the_upload_page(ladder_editor_client):
    assert ladder_editor_client.get(PREVIEW).url == UPLOAD
    assert ladder_editor_client.post(PREVIEW, {"digest": "x"}).url == UPLOAD
    assert framework_rows() == [0, 0, 0, 0, 0]


def test_a_file_the_database_no_longer_accepts_is_refused_at_apply(ladder_editor_client):
    ladder_editor_client.post(UPLOAD, {"file": json_file(ladder())})
    SkillFactory(name="Data analytics", slug="analytics")  # the name is taken meanwhile

    response = ladder_editor_client.post(PREVIEW, {"digest": ladder_editor_client.session[PENDING]["digest"]})

    assert response.status_code == 200
    assert problems_of(response) == [
        "skills[0] (data-analytics): name: 'Data analytics' is already the name of skill 'analytics'"
    ]
    assert Track.objects.count() == 0
    assert PENDING not in ladder_editor_client.session


# --- Refused files: every problem, nothing written ----------------------------------------------


def refused(client, upload) -> list[str]:
    response = client.post(UPLOAD, {"file": upload})
    assert response.status_code == 200
    assert PENDING not in client.session
    assert framework_rows() == [0, 0, 0, 0, 0]
    page = response.content.decode()
    assert "Nothing was imported." in page
    for problem in response.context["problems"]:
        assert f"<li>{escape(problem)}</li>" in page
    return problems_of(response)


def test_schema_errors_are_listed_by_entry_and_field(ladder_editor_client):
    document = ladder()
    document["tracks"][0]["roles"][1]["level"] = 30
    del document["tracks"][0]["roles"][0]["title"]
    document["skills"][0]["category"] = "medium"

    assert refused(ladder_editor_client, json_file(document)) == [
        "skills[0] (data-analytics): category: 'medium' is not one of 'hard', 'soft'",
        "tracks[0].roles[0] (analyst): title: is required",
        "tracks[0].roles[1] (senior-analyst): level: 30 is out of range 1..20",
    ]


def test_a_bad_reference_is_listed(ladder_editor_client):
    document = ladder()
    document["tracks"][0]["roles"][1]["requirements"][1]["skill"] = "market-sizing"
    document["tracks"][0]["transitions"][0]["to"] = "cto"

    assert refused(ladder_editor_client, json_file(document)) == [
        "tracks[0].roles[1] (senior-analyst): requirements[1].skill: unknown skill 'market-sizing'",
        "tracks[0].transitions[0] (analyst → cto): to: unknown role 'cto' on track 'analysis'",
    ]


def test_invalid_yaml_is_refused_with_its_position(ladder_editor_client):
    problems = refused(ladder_editor_client, yaml_file("format: careerpath-ladder\nskills: [a, b\n"))
    assert len(problems) == 1
    assert problems[0].startswith("line 3, column 1: invalid YAML: ")


def test_yaml_aliases_are_refused(ladder_editor_client):
    text = "format: careerpath-ladder\nversion: 1\nskills: &s []\nindustries: *s\n"
    assert refused(ladder_editor_client, yaml_file(text)) == [
        "line 4, column 13: YAML anchors and aliases (& and *) are not allowed in a ladder file: "
        "write each entry out"
    ]


@pytest.mark.parametrize("level", ["0x1F", "0b101", "017", "1:30"])
def test_a_yaml_number_not_written_in_decimal_is_refused_naming_entry_and_field(ladder_editor_client, level):
    """YAML reads 0x1F as 31, 017 as 15, 1:30 as 90: refused (it was a ValueError, a 500)."""
    text = yaml.safe_dump(ladder(), sort_keys=False).replace("level: 1\n", f"level: {level}\n", 1)
    assert f"level: {level}\n" in text

    assert refused(ladder_editor_client, yaml_file(text)) == [
        "tracks[0].roles[0] (analyst): level: not a number written in decimal (YAML reads 0x1F, 0b101, 017 "
        "and 1:30 as hexadecimal, binary, octal and base 60); write numbers in a ladder file in decimal, "
        "or text in quotes"
    ]


def test_a_file_too_large_is_refused_unread(ladder_editor_client):
    text = json.dumps(ladder()) + " " * MAX_BYTES
    assert refused(ladder_editor_client, json_file_text(text)) == [
        f"the file is {len(text):,} bytes; a ladder file may be {MAX_BYTES:,} bytes at most"
    ]


def json_file_text(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("big.json", text.encode(), content_type="application/json")


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("ladder.txt", b"{}", "unsupported file type '.txt': use .json, .yaml or .yml"),
        ("ladder", b"{}", "unsupported file type '(none)': use .json, .yaml or .yml"),
        ("ladder.json", b"\xff\xfe{}", "the file is not UTF-8 text: save it as UTF-8 and upload it again"),
        (
            "ladder.json",
            b'{"format": ',
            "line 1, column 12: invalid JSON: Expecting value (the file ends there: is it cut short?)",
        ),
        ("ladder.json", b"[]", "(document): must be an object, not a list"),
    ],
)
def test_files_that_are_no_ladder_are_refused(ladder_editor_client, name, content, problem):
    assert refused(ladder_editor_client, SimpleUploadedFile(name, content)) == [problem]


def test_no_file_chosen_is_a_field_error(ladder_editor_client):
    response = ladder_editor_client.post(UPLOAD, {})
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["This field is required."]}


# --- Who may import ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [UPLOAD, PREVIEW])
def test_staff_who_are_not_ladder_editors_get_403(client, bob, url):
    bob.is_staff = True
    bob.save()
    client.force_login(bob)

    assert client.get(url).status_code == 403
    assert client.post(url, {"file": json_file(ladder()), "digest": "x"}).status_code == 403
    assert framework_rows() == [0, 0, 0, 0, 0]


@pytest.mark.parametrize("url", [TRACKS, reverse("admin:app_list", args=["skills"])])
def test_no_import_link_for_staff_who_cannot_import(client, bob, url):
    bob.is_staff = True
    bob.save()
    bob.user_permissions.add(Permission.objects.get(codename="view_track"))
    client.force_login(bob)

    response = client.get(url)
    assert response.status_code == 200
    assert UPLOAD not in response.content.decode()


@pytest.mark.parametrize("url", [UPLOAD, PREVIEW])
def test_signed_in_people_who_are_not_staff_are_sent_to_the_admin_sign_in(alice_client, url):
    response = alice_client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


@pytest.mark.parametrize("url", [UPLOAD, PREVIEW])
def test_anonymous_visitors_are_sent_to_the_admin_sign_in(client, url):
    response = client.post(url, {"file": json_file(ladder())})
    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"
    assert framework_rows() == [0, 0, 0, 0, 0]


# --- The dry run is exact ------------------------------------------------------------------------


def test_preview_names_exactly_what_import_counts_and_writes_nothing():
    from skills.ladder import load_ladder_file
    from skills.ladder.writing import KINDS

    document = load_ladder_file("skills/ladders/product-management.json")
    preview = preview_ladder(document)

    assert framework_rows() == [0, 0, 0, 0, 0]
    by_plural = {kind.plural: kind for kind in preview.kinds}
    for key, _one, many in KINDS:
        names = by_plural[many].created if many in by_plural else []
        assert len(names) == preview.result.created[key], many
    assert preview.result.total_updated == 0
