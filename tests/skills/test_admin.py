"""The career framework admin, as a superuser and as a staff member of "Ladder editors"."""

import json
from collections.abc import Iterator

import factory
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from skills.models import (
    Certification,
    GoalTemplate,
    Industry,
    LearningResource,
    Role,
    RoleSkill,
    Skill,
    Track,
    Transition,
)
from tests.conftest import make_user
from tests.factories import (
    CertificationFactory,
    GoalTemplateFactory,
    IndustryFactory,
    LearningResourceFactory,
    RoleFactory,
    RoleSkillFactory,
    SkillFactory,
    TrackFactory,
    TransitionFactory,
)
from tests.shared_rows import rows_kept_until_exit

SKILLS_MODELS = [
    Track,
    Industry,
    Role,
    Transition,
    Skill,
    RoleSkill,
    Certification,
    GoalTemplate,
    LearningResource,
]
EDITORS = "Ladder editors"

# Every test here uses the database. Said up front because pytest-django decides which test
# databases to create from the collected tests' fixtures, and `staff_client` reaches the
# database only through getfixturevalue: without this mark, a run selecting only such tests
# would talk to the development database.
pytestmark = pytest.mark.django_db


# --- People and data -----------------------------------------------------------------------


@pytest.fixture
def superuser(db, password):
    user = make_user("root@example.com", password)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def editor(db, password):
    """A staff member whose only powers come from the group the migration creates."""
    user = make_user("editor@example.com", password)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture(params=["superuser", "editor"])
def staff_client(request, client, db):
    client.force_login(request.getfixturevalue(request.param))
    # An editor's permissions cost two queries per request (their own and their groups').
    client.permission_queries = 0 if request.param == "superuser" else 2
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def write_framework() -> dict:
    """One small ladder with a row of every skills model; answers each row's model and id."""
    track = TrackFactory(name="Product Management", slug="product-management")
    apm = RoleFactory(
        track=track, title="Associate Product Manager", slug="apm", level=1, is_entry_point=True
    )
    pm = RoleFactory(track=track, title="Product Manager", slug="pm", level=2)
    industry = IndustryFactory(name="Fintech")
    pm.industries.add(industry)
    discovery = SkillFactory(name="Product discovery")
    stakeholders = SkillFactory(name="Stakeholder management", category=Skill.Category.SOFT)
    RoleSkillFactory(role=pm, skill=discovery, level=3)
    RoleSkillFactory(role=pm, skill=stakeholders, level=4)
    transition = TransitionFactory(from_role=apm, to_role=pm, note="Ships a feature end to end.")
    cpm = CertificationFactory(name="Certified Product Manager", abbreviation="CPM")
    cpm.roles.add(pm)
    template = GoalTemplateFactory(title="Finish a discovery course", track=track, skill=discovery)
    resource = LearningResourceFactory(
        skill=discovery, title="Continuous Discovery Habits", kind=LearningResource.Kind.BOOK, level=3
    )
    rows = {
        Track: track,
        Role: pm,
        Industry: industry,
        Skill: discovery,
        RoleSkill: pm.requirements.first(),
        Transition: transition,
        Certification: cpm,
        GoalTemplate: template,
        LearningResource: resource,
        "apm": apm,
    }
    return {key: (type(row), row.pk) for key, row in rows.items()}


@pytest.fixture(scope="module")
def written_framework(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """The framework written once for the module (~45 statements, which 80 tests wrote each): it
    stays in a transaction rolled back after the module's last test (tests/shared_rows.py), and
    what a test writes is undone after it, as always."""
    with rows_kept_until_exit(django_db_blocker, write_framework) as rows:
        yield rows


@pytest.fixture
def framework(db, written_framework) -> dict:
    """One small ladder with a row of every skills model, read afresh for each test, so no object
    a test changes in memory reaches the next."""
    return {key: model.objects.get(pk=pk) for key, (model, pk) in written_framework.items()}


def admin_url(model, page: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


# --- Building POST data from a rendered change form --------------------------------------


def _put(data: dict, key: str, value) -> None:
    if value is None or value is False:
        return
    if value is True:
        data[key] = "on"
    elif isinstance(value, list | tuple):
        data[key] = [str(v) for v in value]
    else:
        data[key] = str(value)


def form_data(response) -> dict:
    """What the browser would POST back unchanged: the main form, every inline and its management form."""
    data: dict = {}
    form = response.context["adminform"].form
    for name in form.fields:
        _put(data, form.add_prefix(name), form[name].value())
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            _put(data, formset.management_form.add_prefix(name), formset.management_form[name].value())
        for subform in formset.forms:
            for name in subform.fields:
                _put(data, subform.add_prefix(name), subform[name].value())
    return data


def add_inline_row(data: dict, prefix: str, **fields) -> None:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = str(value)
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)


def errors_of(response) -> str:
    """Every error on the re-rendered change form, main form and inlines, as one string."""
    assert response.status_code == 200, "an invalid form is shown again, not redirected or a 500"
    messages = [str(e) for e in response.context["errors"]]
    for inline in response.context["inline_admin_formsets"]:
        messages += [str(e) for e in inline.formset.errors if e] + [
            str(e) for e in inline.formset.non_form_errors()
        ]
    return " ".join(messages)


# --- The group the migration creates -------------------------------------------------------


def test_ladder_editors_group_has_exactly_the_skills_permissions(db):
    group = Group.objects.get(name=EDITORS)
    expected = {
        f"{action}_{model._meta.model_name}"
        for model in SKILLS_MODELS
        for action in ("add", "change", "delete", "view")
    }
    # the taxonomy catalogue (0008): searched, never edited by hand
    expected |= {"view_taxonomyoccupation", "view_taxonomyskill", "view_taxonomyrelation"}
    granted = group.permissions.values_list("content_type__app_label", "codename")
    assert {app for app, _ in granted} == {"skills"}
    assert {codename for _, codename in granted} == expected
    assert group.permissions.count() == 4 * len(SKILLS_MODELS) + 3


def test_through_tables_have_no_permissions_of_their_own(db):
    assert not Permission.objects.filter(codename__contains="certification_roles").exists()
    assert not Permission.objects.filter(codename__contains="role_industries").exists()


# --- Every page renders, for both kinds of staff ----------------------------------------------


def test_admin_index_lists_the_career_framework(staff_client, framework):
    response = staff_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Career framework" in response.text
    assert admin_url(Role, "changelist") in response.text


@pytest.mark.parametrize("model", SKILLS_MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_render(staff_client, framework, model):
    obj = framework[model]
    for url in (admin_url(model, "changelist"), admin_url(model, "add"), admin_url(model, "change", obj.pk)):
        response = staff_client.get(url)
        assert response.status_code == 200, url
    assert str(obj) in response.text


@pytest.mark.parametrize("model", SKILLS_MODELS, ids=lambda m: m.__name__)
def test_changelist_search_finds_the_row(staff_client, framework, model):
    obj = framework[model]
    response = staff_client.get(admin_url(model, "changelist"), {"q": str(obj).split()[0]})
    assert response.status_code == 200
    assert obj in list(response.context["cl"].result_list)


def test_role_changelist_shows_requirement_counts_and_filters(staff_client, framework):
    response = staff_client.get(
        admin_url(Role, "changelist"), {"industries__id__exact": framework[Industry].pk}
    )
    rows = list(response.context["cl"].result_list)
    assert [r.title for r in rows] == ["Product Manager"]
    assert rows[0].requirement_count == 2


def test_track_page_lists_its_roles_in_ladder_order(staff_client, framework):
    track = framework[Track]
    RoleFactory(track=track, title="Group Product Manager", slug="gpm", level=4)
    RoleFactory(track=track, title="Senior Product Manager", slug="spm", level=3)
    response = staff_client.get(admin_url(Track, "change", track.pk))
    roles_inline = response.context["inline_admin_formsets"][0]
    titles = [form.instance.title for form in roles_inline.formset.initial_forms]
    assert titles == [
        "Associate Product Manager",
        "Product Manager",
        "Senior Product Manager",
        "Group Product Manager",
    ]
    assert admin_url(Role, "change", framework[Role].pk) in response.text  # show_change_link


def test_role_page_shows_where_the_role_is_reached_from(staff_client, framework):
    response = staff_client.get(admin_url(Role, "change", framework[Role].pk))
    assert "Associate Product Manager (Product Management)" in response.text


@pytest.mark.parametrize(
    ("model", "field"),
    [(RoleSkill, "skill"), (Transition, "to_role"), (Certification.roles.through, "certification")],
    ids=["requirement-skill", "transition-to-role", "certification"],
)
def test_autocomplete_answers_for_inline_fields(staff_client, framework, model, field):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "skills", "model_name": model._meta.model_name, "field_name": field, "term": "Pro"},
    )
    assert response.status_code == 200
    assert response.json()["results"], "the typed text matches something in the framework"


# --- The editor is confined to the framework ----------------------------------------------------


NON_SKILLS_MODELS = [model for model in admin.site._registry if model._meta.app_label != "skills"]


@pytest.mark.parametrize("model", NON_SKILLS_MODELS, ids=lambda m: m._meta.label)
def test_editor_is_refused_outside_the_framework(editor_client, model):
    assert editor_client.get(admin_url(model, "changelist")).status_code == 403
    assert editor_client.get(admin_url(model, "add")).status_code == 403


def test_editor_cannot_open_users_or_groups(editor_client, editor):
    from django.contrib.auth import get_user_model

    assert editor_client.get(admin_url(get_user_model(), "changelist")).status_code == 403
    assert editor_client.get(admin_url(get_user_model(), "change", editor.pk)).status_code == 403
    assert editor_client.get(admin_url(Group, "changelist")).status_code == 403


def test_editor_index_shows_only_the_framework(editor_client):
    response = editor_client.get(reverse("admin:index"))
    apps = {app["app_label"] for app in response.context["app_list"]}
    assert apps == {"skills"}


def test_staff_without_the_group_sees_no_framework(client, bob):
    bob.is_staff = True
    bob.save()
    client.force_login(bob)
    assert client.get(admin_url(Role, "changelist")).status_code == 403


# --- Editing a role through its inlines ----------------------------------------------------------


def test_editor_adds_a_requirement_inline(editor_client, framework):
    role = framework[Role]
    roadmapping = SkillFactory(name="Roadmapping")
    data = form_data(editor_client.get(admin_url(Role, "change", role.pk)))
    add_inline_row(data, "requirements", skill=roadmapping.pk, level=2)

    response = editor_client.post(admin_url(Role, "change", role.pk), data)

    assert response.status_code == 302, errors_of(response)
    assert RoleSkill.objects.get(role=role, skill=roadmapping).level == 2
    assert role.requirements.count() == 3


def test_editor_adds_a_transition_and_a_certification_inline(editor_client, framework):
    role = framework[Role]
    senior = RoleFactory(track=role.track, title="Senior Product Manager", slug="spm", level=3)
    cpo = CertificationFactory(name="Certified Product Owner", abbreviation="CPO")
    data = form_data(editor_client.get(admin_url(Role, "change", role.pk)))
    add_inline_row(data, "transitions_out", to_role=senior.pk, note="Leads a product area.")
    add_inline_row(data, "Certification_roles", certification=cpo.pk)

    response = editor_client.post(admin_url(Role, "change", role.pk), data)

    assert response.status_code == 302, errors_of(response)
    assert Transition.objects.filter(from_role=role, to_role=senior).exists()
    assert set(role.recommended_certifications.values_list("abbreviation", flat=True)) == {"CPM", "CPO"}


def test_recommended_certification_rows_read_as_what_they_mean(editor_client, framework):
    # The row shows the certification it picks, with no caption over it (issue 23).
    html = editor_client.get(admin_url(Role, "change", framework[Role].pk)).content.decode()
    cpm = framework[Certification]
    assert f'<option value="{cpm.pk}" selected>Certified Product Manager (CPM)</option>' in html
    assert "Certification_roles object" not in html


def test_deleting_a_role_lists_its_links_by_name(staff_client, framework):
    html = staff_client.get(admin_url(Role, "delete", framework[Role].pk)).content.decode()
    assert "Product Manager in Fintech" in html
    assert "Certified Product Manager (CPM) recommended for Product Manager" in html
    assert "_industries object" not in html and "Certification_roles object" not in html


def test_unchanged_resubmission_changes_nothing(editor_client, framework):
    role = framework[Role]
    before = list(role.requirements.values_list("skill_id", "level"))
    response = editor_client.post(
        admin_url(Role, "change", role.pk), form_data(editor_client.get(admin_url(Role, "change", role.pk)))
    )
    assert response.status_code == 302, errors_of(response)
    assert list(role.requirements.values_list("skill_id", "level")) == before


def test_save_as_new_clones_the_role_with_its_requirements(editor_client, framework):
    role = framework[Role]
    data = form_data(editor_client.get(admin_url(Role, "change", role.pk)))
    data.update(title="Product Manager, Platform", slug="pm-platform", _saveasnew="Save as new")

    response = editor_client.post(admin_url(Role, "change", role.pk), data)

    assert response.status_code == 302, errors_of(response)
    clone = Role.objects.get(slug="pm-platform")
    assert clone.pk != role.pk and clone.track == role.track and clone.level == role.level
    requirements = lambda r: sorted(r.requirements.values_list("skill__name", "level"))  # noqa: E731
    assert (
        requirements(clone) == requirements(role) == [("Product discovery", 3), ("Stakeholder management", 4)]
    )
    assert list(clone.industries.all()) == list(role.industries.all())
    assert list(clone.recommended_certifications.all()) == [framework[Certification]]
    # The original keeps its own rows: they were copied, not moved.
    assert role.requirements.count() == 2 and role.recommended_certifications.count() == 1
    assert Role.objects.get(pk=role.pk).title == "Product Manager"


def test_save_as_new_skips_rows_marked_for_deletion(editor_client, framework):
    role = framework[Role]
    data = form_data(editor_client.get(admin_url(Role, "change", role.pk)))
    data.update(title="PM, Growth", slug="pm-growth", _saveasnew="Save as new")
    data["requirements-0-DELETE"] = "on"

    response = editor_client.post(admin_url(Role, "change", role.pk), data)

    assert response.status_code == 302, errors_of(response)
    assert Role.objects.get(slug="pm-growth").requirements.count() == 1
    assert role.requirements.count() == 2


def test_save_as_new_with_the_same_slug_asks_for_another(editor_client, framework):
    role = framework[Role]
    data = form_data(editor_client.get(admin_url(Role, "change", role.pk)))
    data["_saveasnew"] = "Save as new"

    response = editor_client.post(admin_url(Role, "change", role.pk), data)

    assert "Track and Slug already exists" in errors_of(response)
    assert Role.objects.filter(track=role.track).count() == 2


# --- Bad input is a form error, never a 500 ------------------------------------------------------


def test_duplicate_requirement_for_the_same_skill_is_a_form_error(editor_client, framework):
    role = framework[Role]
    data = form_data(editor_client.get(admin_url(Role, "change", role.pk)))
    add_inline_row(data, "requirements", skill=framework[Skill].pk, level=5)

    response = editor_client.post(admin_url(Role, "change", role.pk), data)

    assert "duplicate" in errors_of(response).lower()
    assert role.requirements.count() == 2


def test_two_new_rows_for_the_same_skill_are_a_form_error(editor_client, framework):
    role = framework[Role]
    skill = SkillFactory(name="Pricing")
    data = form_data(editor_client.get(admin_url(Role, "change", role.pk)))
    add_inline_row(data, "requirements", skill=skill.pk, level=2)
    add_inline_row(data, "requirements", skill=skill.pk, level=3)

    response = editor_client.post(admin_url(Role, "change", role.pk), data)

    assert "duplicate" in errors_of(response).lower()
    assert not RoleSkill.objects.filter(skill=skill).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level": "21"}, "less than or equal to 20"),
        ({"level": "0"}, "greater than or equal to 1"),
        ({"requirements-0-level": "6"}, "Select a valid choice"),
        ({"requirements-0-level": "0"}, "Select a valid choice"),
        ({"title": ""}, "This field is required"),
    ],
    ids=["role-level-too-high", "role-level-zero", "proficiency-too-high", "proficiency-zero", "no-title"],
)
def test_out_of_range_values_are_form_errors(editor_client, framework, change, message):
    role = framework[Role]
    data = form_data(editor_client.get(admin_url(Role, "change", role.pk)))
    data.update(change)

    response = editor_client.post(admin_url(Role, "change", role.pk), data)

    assert message in errors_of(response)
    assert Role.objects.get(pk=role.pk).level == 2
    assert sorted(role.requirements.values_list("level", flat=True)) == [3, 4]


def test_a_role_cannot_lead_to_itself(editor_client, framework):
    role = framework[Role]
    data = form_data(editor_client.get(admin_url(Role, "change", role.pk)))
    add_inline_row(data, "transitions_out", to_role=role.pk)

    response = editor_client.post(admin_url(Role, "change", role.pk), data)

    assert "cannot lead to itself" in errors_of(response)


def test_a_transition_added_twice_is_a_form_error(editor_client, framework):
    apm = framework["apm"]
    data = form_data(editor_client.get(admin_url(Role, "change", apm.pk)))
    add_inline_row(data, "transitions_out", to_role=framework[Role].pk)

    response = editor_client.post(admin_url(Role, "change", apm.pk), data)

    assert "already exists" in errors_of(response) or "duplicate" in errors_of(response).lower()
    assert apm.transitions_out.count() == 1


def test_two_roles_with_the_same_slug_on_a_track_are_a_form_error(editor_client, framework):
    track = framework[Track]
    data = form_data(editor_client.get(admin_url(Track, "change", track.pk)))
    add_inline_row(data, "roles", title="Another PM", slug="pm", level=2)

    response = editor_client.post(admin_url(Track, "change", track.pk), data)

    assert "already exists" in errors_of(response) or "duplicate" in errors_of(response).lower()
    assert track.roles.count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"target": "0"}, "must differ from the baseline"),
        ({"horizon": "short", "duration_months": "18"}, "at most 12 months"),
        ({"horizon": "long", "duration_months": "6"}, "more than 12 months"),
    ],
    ids=["target-equals-baseline", "short-but-18-months", "long-but-6-months"],
)
def test_goal_template_rules_are_form_errors(editor_client, framework, change, message):
    template = framework[GoalTemplate]
    data = form_data(editor_client.get(admin_url(GoalTemplate, "change", template.pk)))
    data.update(change)

    response = editor_client.post(admin_url(GoalTemplate, "change", template.pk), data)

    assert message in errors_of(response)


def test_editor_creates_a_track_with_its_first_roles(editor_client, db):
    data = form_data(editor_client.get(admin_url(Track, "add")))
    data.update(name="Data Science", slug="data-science")
    add_inline_row(data, "roles", title="Data Analyst", slug="data-analyst", level=1, is_entry_point="on")
    add_inline_row(data, "roles", title="Data Scientist", slug="data-scientist", level=2)

    response = editor_client.post(admin_url(Track, "add"), data)

    assert response.status_code == 302, errors_of(response)
    track = Track.objects.get(slug="data-science")
    assert list(track.roles.values_list("slug", "is_entry_point")) == [
        ("data-analyst", True),
        ("data-scientist", False),
    ]


# --- Learning resources -----------------------------------------------------------------------------


def test_staff_add_a_learning_resource(staff_client, framework):
    data = form_data(staff_client.get(admin_url(LearningResource, "add")))
    data.update(
        skill=framework[Skill].pk,
        title="Inspired",
        slug="inspired",
        kind="book",
        level="3",
        provider="Marty Cagan (Wiley)",
        url="svpg.com/inspired-how-to-create-products-customers-love/",
        hours="12",
    )

    response = staff_client.post(admin_url(LearningResource, "add"), data)

    assert response.status_code == 302, errors_of(response)
    resource = LearningResource.objects.get(slug="inspired")
    assert (resource.skill, resource.kind, resource.level, resource.hours) == (
        framework[Skill],
        "book",
        3,
        12,
    )
    assert resource.url == "https://svpg.com/inspired-how-to-create-products-customers-love/"


def test_editor_adds_a_resource_on_the_skills_page(editor_client, framework):
    skill = framework[Skill]
    data = form_data(editor_client.get(admin_url(Skill, "change", skill.pk)))
    add_inline_row(
        data,
        "resources",
        title="Product discovery community",
        slug="discovery-community",
        kind="community",
        level=2,
        provider="Mind the Product",
        url="https://www.mindtheproduct.com/",
    )

    response = editor_client.post(admin_url(Skill, "change", skill.pk), data)

    assert response.status_code == 302, errors_of(response)
    resource = LearningResource.objects.get(slug="discovery-community")
    assert (resource.skill, resource.kind, resource.hours) == (skill, "community", None)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hours": "0"}, "greater than or equal to 1"),
        ({"level": "6"}, "Select a valid choice"),
        ({"kind": "podcast"}, "Select a valid choice"),
        ({"url": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"slug": "Not a slug"}, "slug"),
    ],
)
def test_learning_resource_rules_are_form_errors(editor_client, framework, change, message):
    resource = framework[LearningResource]
    data = form_data(editor_client.get(admin_url(LearningResource, "change", resource.pk)))
    data.update(change)

    response = editor_client.post(admin_url(LearningResource, "change", resource.pk), data)

    assert message in errors_of(response)


def test_resource_list_filters_by_kind_and_finds_by_provider(staff_client, framework):
    LearningResourceFactory(title="Mind the Product", kind="community", provider="Mind the Product Ltd")
    books = staff_client.get(admin_url(LearningResource, "changelist"), {"kind__exact": "book"})
    assert [r.title for r in books.context["cl"].result_list] == ["Continuous Discovery Habits"]
    found = staff_client.get(admin_url(LearningResource, "changelist"), {"q": "Ltd"})
    assert [r.title for r in found.context["cl"].result_list] == ["Mind the Product"]


# --- Exporting ladders from the track list ---------------------------------------------------------


def test_export_action_downloads_the_selected_tracks_as_a_ladder_file(staff_client, framework):
    other = TrackFactory(name="Design", slug="design")
    response = staff_client.post(
        admin_url(Track, "changelist"),
        {"action": "export_ladder_file", "_selected_action": [framework[Track].pk]},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="ladder-product-management.json"'
    document = json.loads(response.content)
    assert [track["slug"] for track in document["tracks"]] == ["product-management"]
    assert other.slug not in response.text
    roles = [role["slug"] for role in document["tracks"][0]["roles"]]
    assert roles == ["apm", "pm"]


def test_export_action_names_the_file_after_every_selected_track(staff_client, framework):
    design = TrackFactory(name="Design", slug="design")
    response = staff_client.post(
        admin_url(Track, "changelist"),
        {"action": "export_ladder_file", "_selected_action": [framework[Track].pk, design.pk]},
    )
    assert response["Content-Disposition"] == 'attachment; filename="ladder-design_product-management.json"'
    assert {track["slug"] for track in json.loads(response.content)["tracks"]} == {
        "design",
        "product-management",
    }


def test_exported_file_imports_back(staff_client, framework):
    from skills.ladder import import_ladder

    response = staff_client.post(
        admin_url(Track, "changelist"),
        {"action": "export_ladder_file", "_selected_action": [framework[Track].pk]},
    )
    result = import_ladder(json.loads(response.content))
    assert not sum(result.created.values()), "every row in the file already exists"


# --- List pages cost the same at any size -------------------------------------------------------


def make_rows(count: int) -> None:
    """`count` rows of every skills model, each with related rows a list column could follow."""
    track = TrackFactory()
    industry = IndustryFactory()
    skills = SkillFactory.create_batch(3)
    certification = CertificationFactory()
    roles = RoleFactory.create_batch(count, track=track, level=factory.Iterator(range(1, 21)))
    for role in roles:
        role.industries.add(industry)
        for skill in skills:
            RoleSkillFactory(role=role, skill=skill)
        GoalTemplateFactory(track=track, role=role, skill=skills[0], certification=certification)
        LearningResourceFactory(skill=skills[role.level % 3])
    certification.roles.add(*roles)
    for from_role, to_role in zip(roles, roles[1:] + roles[:1], strict=True):
        TransitionFactory(from_role=from_role, to_role=to_role)
    TrackFactory.create_batch(count)
    IndustryFactory.create_batch(count)
    SkillFactory.create_batch(count)
    CertificationFactory.create_batch(count)


# Queries per changelist, for a superuser: session, user, the paginator's count, the unfiltered
# count ("N total"), the page of rows with its joins and count annotations, then one query per
# list filter that lists choices from the database. Nothing per row: related columns come from
# list_select_related, counts from annotations.
# The session, the user, two counts and the rows, then one query per filter with values from the
# database.
LIST_QUERIES = {
    Track: 5,  # no filters
    Industry: 5,
    Skill: 5,  # category filter: choices, no query
    Role: 8,  # track, level (distinct values), industries
    Transition: 6,  # track of the from_role
    RoleSkill: 6,  # track of the role (level and category are choices)
    Certification: 6,  # issuer (distinct values)
    GoalTemplate: 7,  # track, industries
    LearningResource: 7,  # skill, industries (kind, level and category are choices)
}


# 25 rows: a query a row would be 20 more than with 5, past any list's budget above.
@pytest.fixture(scope="class", params=[5, 25], ids=lambda rows: f"{rows}-rows")
def rows(request, django_db_setup, django_db_blocker) -> Iterator[int]:
    """`make_rows` once per size for the class's 18 tests (9 lists, 2 kinds of staff), which only
    read them: writing 25 rows of everything costs ~1,000 statements, and a test 10."""
    with rows_kept_until_exit(django_db_blocker, lambda: make_rows(request.param)):
        yield request.param


# pytest runs the class's tests by size, so each size is written once (in each xdist worker that
# runs some of them: a worker is handed tests in collection order and never comes back to the class).
@pytest.mark.parametrize("model", SKILLS_MODELS, ids=lambda m: m.__name__)
class TestChangelistQueryCount:
    def test_does_not_grow_with_rows(self, staff_client, django_assert_max_num_queries, model, rows):
        with django_assert_max_num_queries(LIST_QUERIES[model] + staff_client.permission_queries):
            response = staff_client.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) >= 5


# --- Industry tags ----------------------------------------------------------------------------


@pytest.mark.parametrize("model", [GoalTemplate, LearningResource])
def test_editor_tags_templates_and_resources_with_industries(editor_client, framework, model):
    entry, industry = framework[model], framework[Industry]
    response = editor_client.get(admin_url(model, "change", entry.pk))
    widget = response.context["adminform"].form.fields["industries"].widget.widget  # inside the +/edit links
    assert widget.__class__.__name__ == "AutocompleteSelectMultiple"
    data = form_data(response)
    data["industries"] = [str(industry.pk)]

    response = editor_client.post(admin_url(model, "change", entry.pk), data)

    assert response.status_code == 302, errors_of(response)
    assert list(entry.industries.all()) == [industry]
    tagged = editor_client.get(admin_url(model, "changelist"), {"industries__id__exact": industry.pk})
    assert list(tagged.context["cl"].result_list) == [entry]
