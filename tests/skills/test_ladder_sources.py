"""Skills keep their source (issue 27): a standard's id on a skill, role or certification, through
ladder files (import, export, import again), shared by ladders naming the same id, and refused
with its place when it is not one."""

import copy

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import example, given
from hypothesis import strategies as st

from skills.ladder import LadderError, export_ladder, import_ladder, schema_errors
from skills.models import Certification, Role, RoleSkill, Skill, Track
from tests.core.test_fuzz_forms import FUZZ
from tests.factories import SkillFactory

pytestmark = pytest.mark.django_db

ESCO = "http://data.europa.eu/esco/"
BUDGETS = ESCO + "skill/33333333-3333-4333-8333-000000000001"
ANALYST = ESCO + "occupation/33333333-3333-4333-8333-000000000002"


def ladder(track: str = "analysis", skill_slug: str = "manage-budgets", name: str = "Manage budgets") -> dict:
    """A ladder whose skill, role and certification each carry a standard's id."""
    return {
        "format": "careerpath-ladder",
        "version": 1,
        "skills": [
            {
                "name": name,
                "slug": skill_slug,
                "category": "hard",
                "description": "Plan, monitor and report on the budget.",
                "source": {"standard": "esco", "id": BUDGETS},
            },
            {"name": "Critical thinking", "slug": "critical-thinking", "category": "hard"},
        ],
        "certifications": [
            {
                "name": "Budget analyst certificate",
                "slug": "budget-certificate",
                "source": {"standard": "onet", "id": "13-2031.00"},
                "recommended_for": [f"{track}/analyst"],
            }
        ],
        "tracks": [
            {
                "name": f"Analysis ({track})",
                "slug": track,
                "roles": [
                    {
                        "title": "Analyst",
                        "slug": "analyst",
                        "level": 1,
                        "source": {"standard": "esco", "id": ANALYST},
                        "requirements": [
                            {"skill": skill_slug, "level": 3},
                            {"skill": "critical-thinking", "level": 2},
                        ],
                    }
                ],
            }
        ],
    }


def sources(model) -> set[tuple[str, str, str]]:
    return set(model.objects.exclude(standard="").values_list("slug", "standard", "external_id"))


def test_ids_survive_import_export_import():
    import_ladder(ladder())
    exported = export_ladder(Track.objects.all())
    skills = {skill["slug"]: skill for skill in exported["skills"]}
    assert skills["manage-budgets"]["source"] == {"standard": "esco", "id": BUDGETS}
    assert "source" not in skills["critical-thinking"]  # an entry written here has none
    assert exported["tracks"][0]["roles"][0]["source"] == {"standard": "esco", "id": ANALYST}
    assert exported["certifications"][0]["source"] == {"standard": "onet", "id": "13-2031.00"}
    assert schema_errors(exported) == []
    for model in (Track, Skill, Certification):
        model.objects.all().delete()

    import_ladder(copy.deepcopy(exported))

    assert sources(Skill) == {("manage-budgets", "esco", BUDGETS)}
    assert sources(Role) == {("analyst", "esco", ANALYST)}
    assert sources(Certification) == {("budget-certificate", "onet", "13-2031.00")}
    assert export_ladder(Track.objects.all()) == exported
    assert str(import_ladder(exported)) == "already up to date: nothing created or updated"


def test_a_file_without_ids_imports_and_keeps_the_ids_an_editor_attached():
    import_ladder(ladder())
    older = ladder()
    for entry in [*older["skills"], *older["certifications"], *older["tracks"][0]["roles"]]:
        entry.pop("source", None)
    older["skills"][0]["description"] = "Changed."

    import_ladder(older)

    budgets = Skill.objects.get(slug="manage-budgets")
    assert (budgets.description, budgets.standard, budgets.external_id) == ("Changed.", "esco", BUDGETS)
    assert Role.objects.get(slug="analyst").external_id == ANALYST


def test_two_ladders_naming_the_same_esco_skill_share_one_skill():
    SkillFactory(
        name="Budgeting", slug="budgeting", description="Ours.", standard="esco", external_id=BUDGETS
    )
    import_ladder(ladder("finance", skill_slug="manage-budgets", name="Manage budgets"))
    import_ladder(ladder("public-sector", skill_slug="budget-management", name="Budget management"))

    shared = Skill.objects.get(external_id=BUDGETS)
    assert (shared.slug, shared.name, shared.description) == ("budgeting", "Budgeting", "Ours.")
    assert not Skill.objects.filter(slug__in=["manage-budgets", "budget-management"]).exists()
    requiring = RoleSkill.objects.filter(skill=shared).values_list("role__track__slug", flat=True)
    assert sorted(requiring) == ["finance", "public-sector"]


def test_a_skill_matched_by_its_id_is_not_refused_for_its_name():
    SkillFactory(name="Manage budgets", slug="budgeting", standard="esco", external_id=BUDGETS)
    import_ladder(ladder())  # the file's "Manage budgets" is the one here, not a second of that name
    assert Role.objects.get(slug="analyst").requirements.filter(skill__slug="budgeting").exists()


def test_a_certification_id_another_certification_holds_is_refused():
    Certification.objects.create(name="Other", slug="other", standard="onet", external_id="13-2031.00")
    with pytest.raises(LadderError) as refused:
        import_ladder(ladder())
    assert refused.value.errors == [
        "certifications[0] (budget-certificate): source.id: is already the id of certification 'other'"
    ]
    assert not Track.objects.exists()


def test_an_id_named_twice_in_a_file_is_refused_with_both_places():
    document = ladder()
    document["skills"][1]["source"] = {"standard": "esco", "id": BUDGETS}
    with pytest.raises(LadderError) as refused:
        import_ladder(document)
    assert refused.value.errors == [
        "skills[1] (critical-thinking): source.id: duplicate ESCO id (also at skills[0])"
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"standard": "esco", "id": "https://example.com/skill/1"}, "the id is not an ESCO concept URI"),
        ({"standard": "esco", "id": ESCO + "skill/has space"}, "the id is not an ESCO concept URI"),
        ({"standard": "onet", "id": "Critical thinking"}, "the id is not an O*NET element id"),
        ({"standard": "onet", "id": "1" * 256}, "is too long"),
        ({"standard": "esco"}, "source.id: is required"),
        ({"id": BUDGETS}, "source.standard: is required"),
        ({"standard": "isco", "id": "2512"}, "standard"),
        ({"standard": "esco", "id": ""}, "id"),
    ],
)
def test_a_malformed_source_is_refused_by_name_and_nothing_is_written(source, message):
    document = ladder()
    document["skills"][0]["source"] = source
    with pytest.raises(LadderError) as refused:
        import_ladder(document)
    assert "skills[0] (manage-budgets): source" in str(refused.value)
    assert message in str(refused.value)
    assert not Skill.objects.exists() and not Track.objects.exists()


IDS = st.one_of(
    st.text(max_size=300),
    st.builds(lambda tail: ESCO + tail, st.text(max_size=260)),
    st.from_regex(r"[0-9]{1,3}(\.[0-9A-Za-z]{1,3}){0,4}", fullmatch=True),
    st.just("1" * 256),
)
SOURCES = st.one_of(
    st.fixed_dictionaries({"standard": st.sampled_from(["esco", "onet", "ESCO", "", "isco"]), "id": IDS}),
    st.fixed_dictionaries({"standard": st.sampled_from(["esco", "onet"])}),
    st.fixed_dictionaries({"id": IDS}),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
    st.none(),
    st.text(max_size=20),
)


def test_any_source_is_imported_whole_or_refused_by_name_with_nothing_written():
    @FUZZ
    @given(SOURCES, st.sampled_from(["skills", "roles", "certifications"]))
    @example({"standard": "esco", "id": BUDGETS}, "skills")
    @example({"standard": "onet", "id": "2.A.2.a"}, "skills")
    @example({"standard": "esco", "id": ESCO + "skill/" + "a" * 240}, "roles")
    def attempt(source, where):
        document = ladder()
        entry = {
            "skills": document["skills"][0],
            "roles": document["tracks"][0]["roles"][0],
            "certifications": document["certifications"][0],
        }[where]
        entry["source"] = source
        with transaction.atomic():
            try:
                import_ladder(document)
            except LadderError as refused:
                assert all("source" in line for line in refused.errors), refused.errors
                assert not Track.objects.exists() and not Skill.objects.exists()
            else:
                assert Track.objects.count() == 1 and Skill.objects.count() == 2
            transaction.set_rollback(True)

    attempt()


def test_shipped_ladders_import_unchanged_and_carry_no_ids():
    call_command("load_demo_data", stdout=_Quiet())
    assert not sources(Skill) and not sources(Role) and not sources(Certification)
    exported = export_ladder(Track.objects.all())
    assert all("source" not in skill for skill in exported["skills"])


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
