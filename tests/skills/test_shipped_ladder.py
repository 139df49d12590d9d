"""The product management ladder shipped in skills/ladders/, as load_demo_data loads it.

The checks every shipped ladder passes (schema, re-import, reachability, export form) are in
test_every_shipped_ladder.py."""

from collections import deque
from io import StringIO

import pytest
from django.core.management import call_command

from skills.ladder import export_ladder
from skills.models import (
    Certification,
    GoalTemplate,
    Horizon,
    Industry,
    Role,
    RoleSkill,
    Skill,
    Track,
    Transition,
)

# slug: (title, entry point, levels it may sit at)
ROLES = {
    "business-analyst": ("Business Analyst", True, {1, 2}),
    "project-manager": ("Project Manager", True, {1, 2}),
    "junior-product-manager": ("Junior Product Manager", True, {1, 2}),
    "associate-product-manager": ("Associate Product Manager", True, {1, 2}),
    "product-owner": ("Product Owner", True, {1, 2}),
    "product-manager": ("Product Manager", False, {3}),
    "senior-product-manager": ("Senior Product Manager", False, {4, 5}),
    "group-product-manager": ("Group Product Manager", False, {4, 5}),
    "product-leader": ("Product Leader", False, {6}),
}
TRANSITIONS = {
    ("business-analyst", "associate-product-manager"),
    ("project-manager", "associate-product-manager"),
    ("project-manager", "product-owner"),
    ("junior-product-manager", "associate-product-manager"),
    ("associate-product-manager", "product-manager"),
    ("product-owner", "product-manager"),
    ("product-manager", "senior-product-manager"),
    ("product-manager", "group-product-manager"),
    ("senior-product-manager", "group-product-manager"),
    ("senior-product-manager", "product-leader"),
    ("group-product-manager", "product-leader"),
}
HARD_SKILLS = {
    "business-strategy",
    "market-analysis",
    "project-management",
    "product-lifecycle-management",
    "technical-skills",
    "data-analytics",
    "customer-research",
    "roadmapping-prioritisation",
    "digital-transformation",
    "ai-literacy",
}
SOFT_SKILLS = {
    "communication",
    "leadership",
    "problem-solving",
    "decision-making",
    "strategic-thinking",
    "cross-functional-collaboration",
    "conflict-management",
    "cultural-intelligence",
    "adaptability",
    "stakeholder-management",
    "mentoring",
}
GOAL_TEMPLATES = {
    "learn-a-new-skill": Horizon.SHORT,
    "earn-a-certification": Horizon.SHORT,
    "get-a-promotion": Horizon.SHORT,
    "become-a-senior-product-manager": Horizon.LONG,
    "lead-a-product-team": Horizon.LONG,
    "start-your-own-company": Horizon.LONG,
}


@pytest.fixture
def loaded(shipped_ladders, db) -> Track:
    """The ladders load_demo_data loads, once for the module (tests/conftest.py)."""
    return Track.objects.get(slug="product-management")


def test_load_demo_data_creates_every_role_with_its_entry_point_flag(loaded):
    roles = {role.slug: role for role in loaded.roles.all()}

    assert set(roles) == set(ROLES)
    for slug, (title, entry_point, levels) in ROLES.items():
        assert (roles[slug].title, roles[slug].is_entry_point) == (title, entry_point), slug
        assert roles[slug].level in levels, slug


def test_every_role_has_a_summary_responsibilities_and_requirements(loaded):
    for role in loaded.roles.all():
        assert len(role.summary) > 60, role
        assert 4 <= len(role.responsibility_list()) <= 6, role
        assert role.requirements.count() >= 4, role


def test_transitions_form_the_progression_graph_with_notes(loaded):
    transitions = Transition.objects.filter(from_role__track=loaded).select_related("from_role", "to_role")

    assert {(t.from_role.slug, t.to_role.slug) for t in transitions} == TRANSITIONS
    assert all(t.note for t in transitions)


def test_every_entry_point_leads_to_product_leader(loaded):
    for start in Role.objects.filter(track=loaded, is_entry_point=True):
        seen, queue = {start}, deque([start])
        while queue:
            for following in queue.popleft().next_roles.all():
                if following not in seen:
                    seen.add(following)
                    queue.append(following)
        assert "product-leader" in {role.slug for role in seen}, start


def test_required_levels_never_fall_along_a_transition(loaded):
    required = {
        (requirement.role_id, requirement.skill.slug): requirement.level
        for requirement in RoleSkill.objects.filter(role__track=loaded).select_related("skill")
    }
    falls = [
        f"{t.from_role.slug} → {t.to_role.slug}: {skill} {level} → {required[t.to_role_id, skill]}"
        for t in Transition.objects.filter(from_role__track=loaded).select_related("from_role", "to_role")
        for (role_id, skill), level in required.items()
        if role_id == t.from_role_id and required.get((t.to_role_id, skill), level) < level
    ]
    assert falls == []


def test_hard_and_soft_skills_from_the_seed_exist_with_descriptions(loaded):
    skills = {skill.slug: skill for skill in Skill.objects.all()}

    hard = {slug for slug, skill in skills.items() if skill.category == Skill.Category.HARD}
    soft = {slug for slug, skill in skills.items() if skill.category == Skill.Category.SOFT}
    assert HARD_SKILLS - hard == set()
    assert SOFT_SKILLS - soft == set()
    assert all(len(skill.description) > 30 for skill in skills.values())


def test_cpm_cpo_and_cpl_are_recommended_for_the_right_roles(loaded):
    certifications = Certification.objects.filter(roles__track=loaded).distinct()
    recommended = {
        certification.abbreviation: {role.slug for role in certification.roles.all()}
        for certification in certifications
    }

    assert set(recommended) == {"CPM", "CPO", "CPL"}
    assert "product-owner" in recommended["CPO"]
    assert "product-manager" in recommended["CPM"]
    assert {"senior-product-manager", "group-product-manager", "product-leader"} <= recommended["CPL"]
    assert all(certification.issuer and certification.description for certification in certifications)


def test_industries_are_the_ones_the_seed_names(loaded):
    assert set(Industry.objects.values_list("slug", flat=True)) == {
        "technology-software",
        "startups",
        "healthcare",
        "finance",
    }
    assert all(role.industries.exists() for role in loaded.roles.all())


def test_six_goal_templates_are_measurable_time_bound_and_relevant(loaded):
    templates = {template.slug: template for template in GoalTemplate.objects.filter(track=loaded)}

    assert {slug: template.horizon for slug, template in templates.items()} == GOAL_TEMPLATES
    for template in templates.values():
        assert template.track == loaded
        assert template.metric and template.unit and template.target != template.baseline, template
        assert (template.duration_months <= 12) == (template.horizon == Horizon.SHORT), template
        assert template.skill or template.certification or template.role, template
    assert templates["earn-a-certification"].certification.abbreviation == "CPM"
    assert templates["become-a-senior-product-manager"].role.slug == "senior-product-manager"


def test_running_load_demo_data_twice_is_a_no_op(loaded):
    tables = [Track, Role, Transition, Skill, RoleSkill, Industry, Certification, GoalTemplate]
    before = {model: model.objects.count() for model in tables}
    exported = export_ladder([loaded])
    out = StringIO()

    call_command("load_demo_data", stdout=out)

    assert "already up to date: nothing created or updated" in out.getvalue()
    assert {model: model.objects.count() for model in tables} == before
    assert export_ladder([loaded]) == exported
