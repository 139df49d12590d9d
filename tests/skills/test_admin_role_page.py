"""The admin's role page with a real role's many requirements, and the pickers that fill its rows
(issue 23): as many queries for 24 requirements as for 5, each row read once (no caption over it
repeating the role and the row), and a picker that offers what its typed text names."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from skills.models import Certification, Role, RoleSkill, Skill, Transition
from tests.conftest import make_user
from tests.skills.test_admin import form_data

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = reverse("admin:autocomplete")


@pytest.fixture(autouse=True)
def _ladders(shipped_ladders):
    """The shipped ladders, loaded once for the module (tests.conftest.shipped_ladders)."""


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
def staff_client(request, client):
    client.force_login(request.getfixturevalue(request.param))
    # An editor's permissions cost two queries per request (their own and their groups').
    client.permission_queries = 0 if request.param == "superuser" else 2
    return client


def senior_pm(requirements: int) -> Role:
    """The shipped Senior Product Manager with exactly `requirements` skill requirements: the
    ladder's own, dropped or topped up with the ladder's other skills (at Practitioner)."""
    role = Role.objects.get(track__slug="product-management", slug="senior-product-manager")
    have = role.requirements.order_by("skill__name")
    RoleSkill.objects.filter(pk__in=have.values("pk")[requirements:]).delete()
    more = Skill.objects.exclude(requirements__role=role).order_by("name")
    for skill in more[: max(requirements - role.requirements.count(), 0)]:
        RoleSkill.objects.create(role=role, skill=skill, level=3)
    assert role.requirements.count() == requirements
    return role


def change_page(client, role: Role):
    response = client.get(reverse("admin:skills_role_change", args=[role.pk]))
    assert response.status_code == 200
    return response


# --- The page ------------------------------------------------------------------------------------

# The session and the user (an editor's permissions: two more); the role; its industries (the
# form's initial value); the rows of each inline with the rows they pick joined (requirements and
# their skills, next roles, recommended certifications); the track's and the industries' pickers;
# the roles it is reached from; the role's content type, for the "View on site" link (asked on a
# process's first page, then cached by Django). None per row: Django's own pickers asked once per
# row for the picked row's name, and each row's caption for its role (64 queries for 24
# requirements).
ROLE_PAGE_QUERIES = 11


@pytest.mark.parametrize("requirements", [5, 24])
def test_role_page_queries_do_not_grow_with_requirements(
    staff_client, django_assert_max_num_queries, requirements
):
    role = senior_pm(requirements)
    with django_assert_max_num_queries(ROLE_PAGE_QUERIES + staff_client.permission_queries):
        response = change_page(staff_client, role)
    requirement_rows = response.context["inline_admin_formsets"][0].formset.initial_forms
    assert len(requirement_rows) == requirements


def test_each_requirement_row_shows_its_skill_and_level_once(staff_client):
    role = senior_pm(24)
    page = change_page(staff_client, role).text

    for requirement in role.requirements.select_related("skill"):
        assert str(requirement) not in page, "no caption repeating the role over every row"
        assert (
            page.count(f'<option value="{requirement.skill_id}" selected>{requirement.skill}</option>') == 1
        )
    for transition in Transition.objects.filter(from_role=role):
        assert str(transition) not in page
    for link in Certification.roles.through.objects.filter(role=role):
        assert str(link) not in page
    assert page.count(role.title) <= 4, "the title field, the heading, the breadcrumbs and the page title"


def test_editor_changes_a_level_on_the_long_page(client, editor):
    role = senior_pm(24)
    client.force_login(editor)
    response = change_page(client, role)
    data = form_data(response)
    first = response.context["inline_admin_formsets"][0].formset.forms[0]
    data[first.add_prefix("level")] = "5"

    response = client.post(reverse("admin:skills_role_change", args=[role.pk]), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert RoleSkill.objects.get(pk=first.instance.pk).level == 5
    assert role.requirements.count() == 24


def test_a_row_picked_anew_keeps_the_new_name_when_the_form_comes_back(client, editor):
    """A refused save shows each row as it was sent: the picker names the skill chosen, not the
    one the row had."""
    role = senior_pm(5)
    client.force_login(editor)
    response = change_page(client, role)
    data = form_data(response)
    forms = response.context["inline_admin_formsets"][0].formset.forms
    other = Skill.objects.exclude(requirements__role=role).order_by("name").first()
    data[forms[0].add_prefix("skill")] = str(other.pk)
    data[forms[1].add_prefix("level")] = "9"  # no such level: the form comes back

    response = client.post(reverse("admin:skills_role_change", args=[role.pk]), data)

    assert response.status_code == 200
    assert f'<option value="{other.pk}" selected>{other.name}</option>' in response.text
    was = forms[0].instance.skill
    assert f'<option value="{was.pk}" selected>{was.name}</option>' not in response.text


def test_role_page_without_the_permission_is_refused(client, bob):
    bob.is_staff = True
    bob.save()
    client.force_login(bob)
    role = Role.objects.get(track__slug="product-management", slug="senior-product-manager")
    assert client.get(reverse("admin:skills_role_change", args=[role.pk])).status_code == 403


# --- The pickers ---------------------------------------------------------------------------------


def offered(client, model, field: str, term: str) -> list[str]:
    response = client.get(
        AUTOCOMPLETE,
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
            "term": term,
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_skill_picker_matches_names_not_descriptions(staff_client):
    # Go-to-market's description speaks of "regulatory requirements".
    assert offered(staff_client, RoleSkill, "skill", "Requirements") == ["Requirements analysis"]
    assert offered(staff_client, RoleSkill, "skill", "Go-to") == ["Go-to-market"]


@pytest.mark.parametrize(
    ("model", "field", "term", "not_offered"),
    [
        # Skill: its description and slug.
        (RoleSkill, "skill", "regulatory", "Go-to-market"),
        # Role: its summary and its track's name.
        (Transition, "to_role", "portfolio", "Senior Product Manager"),
        (Transition, "to_role", "Management", "Senior Product Manager"),
        # Track: its description.
        (Role, "track", "lifecycle", "Product Management"),
        # Certification: its issuer.
        (Certification.roles.through, "certification", "AIPMM", "Certified Product Manager (CPM)"),
        # Industry: its slug.
        (Role, "industries", "technology-software", "Technology and software"),
    ],
    ids=["skill", "role-summary", "role-track", "track", "certification", "industry"],
)
def test_pickers_match_the_name_they_show(staff_client, model, field, term, not_offered):
    assert not_offered not in offered(staff_client, model, field, term)


@pytest.mark.parametrize(
    ("model", "field", "term", "wanted"),
    [
        (RoleSkill, "skill", "market", "Go-to-market"),
        (Transition, "to_role", "senior product", "Senior Product Manager"),
        (Role, "track", "product", "Product Management"),
        (Certification.roles.through, "certification", "CPM", "Certified Product Manager (CPM)"),
        (
            Certification.roles.through,
            "certification",
            "certified product",
            "Certified Product Manager (CPM)",
        ),
        (Role, "industries", "software", "Technology and software"),
    ],
    ids=["skill", "role", "track", "certification-abbreviation", "certification-name", "industry"],
)
def test_pickers_offer_what_the_name_says(staff_client, model, field, term, wanted):
    assert wanted in offered(staff_client, model, field, term)


@pytest.mark.parametrize(
    ("model", "term", "found"),
    [(Skill, "regulatory", "Go-to-market"), (Role, "portfolio", "Senior Product Manager")],
)
def test_the_lists_search_box_still_reads_descriptions(staff_client, model, term, found):
    """The list's search answers "which skills mention X?": it keeps the fields it had."""
    url = reverse(f"admin:skills_{model._meta.model_name}_changelist")
    response = staff_client.get(url, {"q": term})
    assert found in [str(row) for row in response.context["cl"].result_list]


def test_pickers_answer_only_staff_who_may_see_the_page(client, bob):
    params = {"app_label": "skills", "model_name": "roleskill", "field_name": "skill", "term": "Go-to"}
    assert client.get(AUTOCOMPLETE, params).status_code == 302, "anonymous: the admin's sign-in"
    client.force_login(bob)
    assert client.get(AUTOCOMPLETE, params).status_code == 302, "not staff: the admin's sign-in"
    bob.is_staff = True
    bob.save()
    assert client.get(AUTOCOMPLETE, params).status_code == 403, "staff outside the framework"
