"""A ladder drafted from a standard's occupations (issue 27): a ladder file like any other."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from plans.models import CareerPlan, SkillAssessment
from skills.ladder import load_ladder_file, schema_errors
from skills.models import Role, Skill, Track
from skills.taxonomy.drafting import esco_level, onet_level
from tests.conftest import make_user
from tests.factories import SkillFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "taxonomy_data"
OCCUPATION = "http://data.europa.eu/esco/occupation/11111111-1111-4111-8111-00000000000{}"
OWNER, MANAGER, HEAD = (OCCUPATION.format(n) for n in (1, 2, 3))


class _Quiet:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def draft(standard: str, occupations: list[str], out: Path, *extra: str) -> str:
    call_command("import_taxonomy", standard, str(DATA / standard), stdout=_Quiet(), stderr=_Quiet())
    said = _Quiet()
    args = [f"--occupation={o}" for o in occupations]
    call_command(
        "taxonomy_ladder",
        standard,
        *args,
        "--track",
        "Product (ESCO)",
        "--out",
        str(out),
        *extra,
        stdout=said,
    )
    return said.text


def test_three_esco_occupations_make_a_ladder_that_imports(tmp_path):
    out = tmp_path / "product.yaml"

    said = draft("esco", [OWNER, MANAGER, HEAD], out, "--chain")

    assert "Wrote" in said and "3 roles, 6 new skills, 11 skill requirements" in said
    document = load_ladder_file(out)
    assert schema_errors(document) == []
    call_command("import_ladder", str(out), stdout=_Quiet())
    track = Track.objects.get(name="Product (ESCO)")
    roles = list(track.roles.order_by("level"))
    assert [(r.title, r.level) for r in roles] == [
        ("Product owner", 1),
        ("Product manager", 2),
        ("Head of product", 3),
    ]
    assert roles[0].is_entry_point
    manager_needs = {r.skill.name: r.level for r in roles[1].requirements.select_related("skill")}
    # essential at the second role: 3; optional: 2
    assert manager_needs == {
        "Perform market research": 3,
        "Manage product backlog": 3,
        "Pricing strategies": 2,
        "Lead a team": 2,
    }
    assert [(t.from_role.level, t.to_role.level) for t in roles[0].transitions_out.all()] == [(1, 2)]
    market = Skill.objects.get(name="Perform market research")
    assert (market.standard, market.external_id) == (
        "esco",
        "http://data.europa.eu/esco/skill/22222222-2222-4222-8222-000000000002",
    )
    assert market.description == "Gather and analyse data about target markets and customers."
    assert [(r.standard, r.external_id) for r in roles] == [("esco", o) for o in (OWNER, MANAGER, HEAD)]


def test_without_chain_there_are_no_transitions(tmp_path):
    out = tmp_path / "product.json"
    draft("esco", [OWNER, MANAGER], out)

    assert "transitions" not in json.loads(out.read_text())["tracks"][0]


def test_a_plan_on_a_drafted_ladder_shows_its_gap_readiness_and_route(client, password, tmp_path):
    out = tmp_path / "product.json"
    draft("esco", [OWNER, MANAGER, HEAD], out, "--chain")
    call_command("import_ladder", str(out), stdout=_Quiet())
    owner_role, head = Role.objects.get(title="Product owner"), Role.objects.get(title="Head of product")
    alice = make_user("alice@example.com", password)
    plan = CareerPlan.objects.create(
        owner=alice, title="Lead product", current_role=owner_role, target_role=head
    )
    strategy = Skill.objects.get(name="Define product strategy")
    SkillAssessment.objects.create(plan=plan, skill=strategy, level=2)

    gaps = {gap.skill.name: gap for gap in plan.skill_gaps()}
    assert (gaps["Define product strategy"].required, gaps["Define product strategy"].current) == (4, 2)
    assert plan.readiness().open_gaps == 1
    assert [[role.title for role in path] for path in plan.paths()] == [
        ["Product owner", "Product manager", "Head of product"]
    ]
    client.force_login(alice)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Define product strategy" in page and "Head of product" in page


def test_onet_levels_are_mapped_and_unimportant_skills_left_out(tmp_path):
    out = tmp_path / "ops.json"
    said = draft("onet", ["13-1082.00", "11-1021.00"], out)

    # Management of Personnel Resources is 2.75 important to 13-1082.00: under the threshold
    assert "2 roles, 4 new skills, 7 skill requirements" in said
    document = json.loads(out.read_text())
    first, second = document["tracks"][0]["roles"]
    assert [r["level"] for r in (first, second)] == [1, 2]
    needs = {r["skill"]: r["level"] for r in second["requirements"]}
    # LV 5.12 -> 3.66 -> 4; 4.88 -> 3.49 -> 3; 4.62 -> 3.3 -> 3; 4.25 -> 3.04 -> 3
    assert needs == {
        "management-of-personnel-resources": 4,
        "critical-thinking": 3,
        "reading-comprehension": 3,
        "social-perceptiveness": 3,
    }
    categories = {s["slug"]: s["category"] for s in document["skills"]}
    assert categories["social-perceptiveness"] == "soft"
    assert categories["critical-thinking"] == "hard"


def test_a_skill_careerpath_has_by_that_name_is_used_not_rewritten(tmp_path):
    SkillFactory(name="Lead a team", slug="leadership", description="Ours.")
    out = tmp_path / "product.json"
    draft("esco", [MANAGER], out)
    call_command("import_ladder", str(out), stdout=_Quiet())

    assert Skill.objects.get(slug="leadership").description == "Ours."
    manager = Role.objects.get(title="Product manager")
    assert manager.requirements.filter(skill__slug="leadership", level=1).exists()


def test_an_occupation_not_in_the_catalogue_is_named(tmp_path):
    with pytest.raises(CommandError, match="not in the catalogue: 99-0000.00"):
        draft("onet", ["13-1082.00", "99-0000.00"], tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("0", 1),
        ("2.09", 1),
        ("2.10", 2),
        ("3.49", 2),
        ("3.50", 3),
        ("4.89", 3),
        ("4.90", 4),
        ("6.29", 4),
        ("6.30", 5),
        ("7", 5),
    ],
)
def test_onet_level_bands(level, expected):
    assert onet_level(Decimal(level)) == expected


def test_esco_levels_rise_with_the_role():
    assert [esco_level("essential", p) for p in range(1, 7)] == [2, 3, 4, 5, 5, 5]
    assert [esco_level("optional", p) for p in range(1, 7)] == [1, 2, 3, 4, 4, 4]


def test_a_skill_here_with_the_standard_id_is_used_whatever_its_name(tmp_path):
    draft("esco", [OWNER], tmp_path / "first.json")
    call_command("import_ladder", str(tmp_path / "first.json"), stdout=_Quiet())
    Skill.objects.filter(name="Manage product backlog").update(name="Backlog", slug="backlog")

    draft("esco", [MANAGER], tmp_path / "second.json")

    document = json.loads((tmp_path / "second.json").read_text())
    assert "Manage product backlog" not in {skill["name"] for skill in document["skills"]}
    needs = {r["skill"] for r in document["tracks"][0]["roles"][0]["requirements"]}
    assert "backlog" in needs
