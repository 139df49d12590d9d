"""Edges of a standard's id (skills/sources.py, issue 27), found by mutation testing
(docs/mutation-testing.md): an id as long as the field holds is an id, one character more is not."""

import pytest

from skills.ladder import LadderError, export_ladder, import_ladder
from skills.models import Skill, Track
from skills.sources import EXTERNAL_ID_LENGTH
from tests.skills.test_ladder_sources import ESCO, ladder

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
