"""A plan's export carries the standard ids of the ladder entries it embeds (issue 27): an import
keeps them, meets a skill here by its id, and a file from before them imports as it did."""

import copy
import json
from pathlib import Path

import pytest

from goals.portability.checking import check
from goals.portability.export import export_person, validate_export
from goals.portability.writing import import_document
from plans.models import CareerPlan, SkillAssessment
from skills.models import Certification, Industry, Role, Skill, Track
from tests.factories import SkillFactory
from tests.goals.import_fixtures import as_ladder_editor

pytestmark = pytest.mark.usefixtures("frozen_time")

BEFORE_SOURCES = Path(__file__).parent / "data" / "export-before-sources.json"
SKILL = "http://data.europa.eu/esco/skill/44444444-4444-4444-8444-000000000001"
OCCUPATION = "http://data.europa.eu/esco/occupation/44444444-4444-4444-8444-000000000002"


def _sources(ladder: dict) -> dict[str, dict]:
    entries = [*ladder["skills"], *ladder["certifications"]]
    entries += [role for track in ladder["tracks"] for role in track["roles"]]
    return {entry["slug"]: entry["source"] for entry in entries if "source" in entry}


def test_ids_survive_plan_export_and_import_onto_an_instance_without_the_ladder(owned, alice, bob, plan):
    Skill.objects.filter(slug="market-analysis").update(standard="esco", external_id=SKILL)
    Role.objects.filter(pk=plan.target_role_id).update(standard="esco", external_id=OCCUPATION)
    Certification.objects.filter(slug="cpm").update(standard="onet", external_id="11-2021.00")
    exported = json.loads(json.dumps(export_person(alice)))
    assert validate_export(exported) == []
    assert _sources(exported["ladder"]) == {
        "market-analysis": {"standard": "esco", "id": SKILL},
        plan.target_role.slug: {"standard": "esco", "id": OCCUPATION},
        "cpm": {"standard": "onet", "id": "11-2021.00"},
    }
    CareerPlan.objects.all().delete()
    for model in (Track, Skill, Certification, Industry):
        model.objects.all().delete()

    import_document(copy.deepcopy(exported), user=as_ladder_editor(bob), with_ladder=True)

    assert Skill.objects.get(slug="market-analysis").external_id == SKILL
    assert Role.objects.get(slug=plan.target_role.slug).external_id == OCCUPATION
    assert Certification.objects.get(slug="cpm").external_id == "11-2021.00"
    assert _sources(export_person(bob)["ladder"]) == _sources(exported["ladder"])


def test_a_skill_here_with_the_files_id_is_the_one_meant(owned, alice, bob):
    Skill.objects.filter(slug="market-analysis").update(standard="esco", external_id=SKILL)
    exported = json.loads(json.dumps(export_person(alice)))
    # This instance knows the skill by another slug; the file's slug is nowhere here.
    Skill.objects.filter(slug="market-analysis").update(slug="market-research", standard="", external_id="")
    ours = SkillFactory(
        name="Market analysis (ESCO)", slug="analyse-markets", standard="esco", external_id=SKILL
    )

    preview = check(exported, user=bob)
    import_document(exported, user=bob)

    assert preview.lacking["skill"] == [] and preview.left_out == []
    assessed = SkillAssessment.objects.filter(plan__owner=bob).values_list("skill__slug", flat=True)
    assert set(assessed) == {ours.slug}


def test_an_export_from_before_ids_still_imports(db, bob):
    document = json.loads(BEFORE_SOURCES.read_text(encoding="utf-8"))
    assert '"source"' not in BEFORE_SOURCES.read_text(encoding="utf-8")

    report = import_document(document, user=as_ladder_editor(bob), with_ladder=True)

    assert [plan.title for plan in report.plans] == ["Become a Senior PM", "Archived one"]
    assert SkillAssessment.objects.filter(plan__owner=bob, skill__slug="market-analysis").count() == 2
    assert not Skill.objects.exclude(standard="").exists()
