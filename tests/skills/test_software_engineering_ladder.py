"""The software engineering ladder shipped in skills/ladders/, as load_demo_data loads it."""

import pytest

from plans.paths import describe_routes, find_paths
from skills.ladder import load_ladder_file
from skills.management.commands.load_demo_data import LADDERS_DIR
from skills.models import Certification, GoalTemplate, Horizon, Role, Skill, Track, Transition

SHIPPED = LADDERS_DIR / "software-engineering.json"

# slug: (title, entry point)
ROLES = {
    "junior-software-engineer": ("Junior Software Engineer", True),
    "software-engineer": ("Software Engineer", False),
    "senior-software-engineer": ("Senior Software Engineer", False),
    "staff-software-engineer": ("Staff Software Engineer", False),
    "principal-software-engineer": ("Principal Software Engineer", False),
    "engineering-manager": ("Engineering Manager", False),
    "senior-engineering-manager": ("Senior Engineering Manager", False),
    "director-of-engineering": ("Director of Engineering", False),
}
INDIVIDUAL_CONTRIBUTORS = [
    "junior-software-engineer",
    "software-engineer",
    "senior-software-engineer",
    "staff-software-engineer",
    "principal-software-engineer",
]
INTO_PRODUCT_MANAGEMENT = {
    ("software-engineer", "associate-product-manager"),
    ("software-engineer", "product-manager"),
    ("senior-software-engineer", "product-manager"),
}


@pytest.fixture
def loaded(shipped_ladders, db) -> Track:
    """The ladders load_demo_data loads, once for the module (tests/conftest.py)."""
    return Track.objects.get(slug="software-engineering")


def test_roles_run_from_junior_to_principal_with_a_management_branch(loaded):
    roles = {role.slug: role for role in loaded.roles.all()}

    assert {slug: (role.title, role.is_entry_point) for slug, role in roles.items()} == ROLES
    levels = [roles[slug].level for slug in INDIVIDUAL_CONTRIBUTORS]
    assert levels == sorted(set(levels))
    assert roles["engineering-manager"] in roles["senior-software-engineer"].next_roles.all()
    assert roles["director-of-engineering"] in roles["senior-engineering-manager"].next_roles.all()


def test_every_role_has_a_summary_responsibilities_industries_and_requirements(loaded):
    for role in loaded.roles.all():
        assert len(role.summary) > 60, role
        assert 4 <= len(role.responsibility_list()) <= 6, role
        assert role.industries.exists(), role
        assert role.requirements.count() >= 15, role


def test_software_engineers_can_move_into_product_management(loaded):
    crossing = Transition.objects.filter(from_role__track=loaded).exclude(to_role__track=loaded)

    assert {(t.from_role.slug, t.to_role.slug) for t in crossing} == INTO_PRODUCT_MANAGEMENT
    assert {t.to_role.track.slug for t in crossing} == {"product-management"}
    assert all(t.note for t in Transition.objects.filter(from_role__track=loaded))


def test_a_path_from_software_engineer_to_product_manager_shows_a_gap(loaded):
    engineer = Role.objects.get(track=loaded, slug="software-engineer")
    product_manager = Role.objects.get(track__slug="product-management", slug="product-manager")

    routes = find_paths(engineer, product_manager)

    assert [role.slug for role in routes[0]] == ["software-engineer", "product-manager"]
    raised = {requirement.skill.slug for requirement in describe_routes(routes)[0][0].new_requirements}
    # Skills the tracks share are raised (a gap worth planning), product skills are new.
    assert {"stakeholder-management", "communication", "data-analytics"} <= raised
    assert {"customer-research", "market-analysis", "roadmapping-prioritisation"} <= raised


def test_shared_skills_are_the_product_management_ones(loaded):
    """Skills both tracks require are one skill, so a move between tracks compares like with like."""
    pm_skills = {s["slug"] for s in load_ladder_file(LADDERS_DIR / "product-management.json")["skills"]}
    se_skills = {s["slug"] for s in load_ladder_file(SHIPPED)["skills"]}

    assert {"communication", "stakeholder-management", "problem-solving", "mentoring", "leadership"} <= (
        pm_skills & se_skills
    )
    for skill in Skill.objects.filter(requirements__role__track=loaded).distinct():
        # Each description says what growing in the skill means (the scale is shared by all skills).
        assert len(skill.description) > 60, skill


def test_certifications_are_real_with_issuer_link_and_validity(loaded):
    certifications = Certification.objects.filter(roles__track=loaded).distinct()

    assert {c.abbreviation for c in certifications} >= {"AWS SAA", "CKAD"}
    for certification in certifications:
        assert certification.issuer and certification.description, certification
        assert certification.url.startswith("https://"), certification
        assert certification.validity_months, certification


def test_goal_templates_are_measurable_time_bound_and_relevant(loaded):
    templates = GoalTemplate.objects.filter(track=loaded)

    assert {t.horizon for t in templates} == {Horizon.SHORT, Horizon.LONG}
    for template in templates:
        assert template.metric and template.unit and template.target != template.baseline, template
        assert (template.duration_months <= 12) == (template.horizon == Horizon.SHORT), template
        assert template.skill or template.certification or template.role, template
        assert template.role is None or template.role.track == loaded, template


def test_every_engineering_skill_has_a_learning_resource(loaded):
    """The skills only this track requires; the shared ones come with product management's."""
    engineering = (
        Skill.objects.filter(requirements__role__track=loaded)
        .exclude(requirements__role__track__in=Track.objects.exclude(pk=loaded.pk))
        .distinct()
    )

    assert engineering.count() == 11
    assert [skill.slug for skill in engineering if not skill.resources.exists()] == []
