"""Edges of a standard's id (skills/sources.py, issue 27), found by mutation testing
(docs/mutation-testing.md): an id as long as the field holds is an id, one character more is not."""

import pytest

from skills.ladder import LadderError, export_ladder, import_ladder
from skills.models import Certification, Role, Skill, Track
from skills.sources import EXTERNAL_ID_LENGTH
from tests.factories import SkillFactory
from tests.skills.test_ladder_sources import ANALYST, BUDGETS, ESCO, ladder

pytestmark = pytest.mark.django_db


def esco_id(length: int) -> str:
    prefix = ESCO + "skill/"
    return prefix + "a" * (length - len(prefix))


def test_an_id_as_long_as_the_field_imports_and_exports():
    document = ladder()
    document["skills"][0]["source"] = {"standard": "esco", "id": esco_id(EXTERNAL_ID_LENGTH)}

    import_ladder(document)

    assert Skill.objects.get(slug="manage-budgets").external_id == esco_id(EXTERNAL_ID_LENGTH)
    exported = {skill["slug"]: skill for skill in export_ladder(Track.objects.all())["skills"]}
    assert exported["manage-budgets"]["source"]["id"] == esco_id(EXTERNAL_ID_LENGTH)


def test_an_id_one_character_longer_is_refused_with_its_place():
    document = ladder()
    document["skills"][0]["source"] = {"standard": "esco", "id": esco_id(EXTERNAL_ID_LENGTH + 1)}

    with pytest.raises(LadderError) as refused:
        import_ladder(document)

    assert "skills[0] (manage-budgets): source.id" in str(refused.value)
    assert not Skill.objects.exists()


def test_a_ladder_file_without_a_skills_section_imports():
    """The ladder format requires only its format and version: a file of a track whose roles name
    no skill, and a certification, is a ladder (matching skills by their ids reads the section)."""
    document = {
        "format": "careerpath-ladder",
        "version": 1,
        "certifications": [{"name": "Budget analyst certificate", "slug": "budget-certificate"}],
        "tracks": [
            {
                "name": "Analysis",
                "slug": "analysis",
                "roles": [{"title": "Analyst", "slug": "analyst", "level": 1}],
            }
        ],
    }

    result = import_ladder(document)

    assert result.total_created == 3
    assert Track.objects.get().roles.get().title == "Analyst"
    assert not Skill.objects.exists()


def refusal(document: dict) -> list[str]:
    with pytest.raises(LadderError) as refused:
        import_ladder(document)
    assert not Track.objects.exists()  # nothing written
    return refused.value.errors


def test_a_skill_after_one_matched_by_its_id_is_still_refused_for_a_name_another_skill_has():
    SkillFactory(name="Budgeting", slug="budgeting", standard="esco", external_id=BUDGETS)
    SkillFactory(name="Critical thinking", slug="thinking")

    errors = refusal(ladder())  # skills[0] is "budgeting" by its id; skills[1] takes another's name

    assert errors == [
        "skills[1] (critical-thinking): name: 'Critical thinking' is already the name of skill 'thinking'"
    ]


def test_a_malformed_id_after_an_entry_without_one_is_refused_with_its_place():
    document = ladder()
    document["skills"][0].pop("source")
    document["skills"][1]["source"] = {"standard": "onet", "id": BUDGETS}

    errors = refusal(document)

    assert len(errors) == 1 and errors[0].startswith(
        "skills[1] (critical-thinking): source.id: the id is not"
    )


def test_a_malformed_role_id_is_refused_with_its_place():
    document = ladder()
    document["tracks"][0]["roles"][0]["source"] = {"standard": "esco", "id": "13-2031.00"}

    errors = refusal(document)

    assert len(errors) == 1 and "roles[0] (analyst): source.id: the id is not an ESCO" in errors[0]
    assert errors[0].startswith("tracks[0]")


def test_two_roles_of_one_track_may_come_from_one_occupation():
    document = ladder()
    senior = {
        **document["tracks"][0]["roles"][0],
        "title": "Senior analyst",
        "slug": "senior-analyst",
        "level": 2,
    }
    document["tracks"][0]["roles"].append(senior)

    import_ladder(document)

    assert set(Role.objects.filter(external_id=ANALYST).values_list("slug", flat=True)) == {
        "analyst",
        "senior-analyst",
    }


def test_a_malformed_certification_id_is_refused_with_its_place():
    document = ladder()
    document["certifications"][0]["source"] = {"standard": "onet", "id": BUDGETS}

    errors = refusal(document)

    assert len(errors) == 1
    assert errors[0].startswith("certifications[0] (budget-certificate): source.id: the id is not an O*NET")
    assert not Certification.objects.exists()


def test_two_certifications_naming_one_id_are_refused_with_both_places():
    document = ladder()
    document["certifications"].append(
        {**document["certifications"][0], "name": "Budget analyst II", "slug": "budget-certificate-2"}
    )

    errors = refusal(document)

    assert errors == [
        "certifications[1] (budget-certificate-2): source.id: duplicate O*NET id (also at certifications[0])"
    ]
