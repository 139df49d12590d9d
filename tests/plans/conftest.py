"""A small branching ladder for plan tests.

analyst(1) ──► apm(2) ──► pm(3) ──► senior(4) ──► leader(6)
                          │  └─────► group(5) ──┘
                          └──────────────────────► (pm → group)
senior ──► group
island(3): no transitions at all
"""

from types import SimpleNamespace

import pytest
from simple_history.utils import bulk_create_with_history

from base import versions
from plans.models import CareerPlan
from plans.sharing.models import Share
from skills.models import Role, RoleSkill, Skill, Transition
from tests.conftest import make_user
from tests.factories import RoleFactory, RoleSkillFactory, SkillFactory, TrackFactory, TransitionFactory
from tests.plans.factories import CareerPlanFactory


@pytest.fixture
def ladder(db):
    """Every plan test starts from it."""
    return write_ladder()


def write_ladder() -> SimpleNamespace:
    """The ladder, written in bulk, a statement a table (with RoleSkill's history, and one move of
    the ladder's version for the lot, as the saves would have made)."""
    track = TrackFactory(name="Product Management", slug="pm-test")
    roles = {
        slug: RoleFactory.build(track=track, title=title, slug=slug, level=level)
        for slug, title, level in [
            ("analyst", "Business Analyst", 1),
            ("apm", "Associate Product Manager", 2),
            ("pm", "Product Manager", 3),
            ("senior", "Senior Product Manager", 4),
            ("group", "Group Product Manager", 5),
            ("leader", "Product Leader", 6),
            ("island", "Island Role", 3),
        ]
    }
    Role.objects.bulk_create(roles.values())
    Transition.objects.bulk_create(
        TransitionFactory.build(from_role=roles[a], to_role=roles[b])
        for a, b in [
            ("analyst", "apm"),
            ("apm", "pm"),
            ("pm", "senior"),
            ("pm", "group"),
            ("senior", "group"),
            ("senior", "leader"),
            ("group", "leader"),
        ]
    )
    skills = {
        "strategy": SkillFactory.build(
            name="Business strategy", slug="strategy", category=Skill.Category.HARD
        ),
        "market": SkillFactory.build(name="Market analysis", slug="market", category=Skill.Category.HARD),
        "communication": SkillFactory.build(
            name="Communication", slug="communication", category=Skill.Category.SOFT
        ),
        "leadership": SkillFactory.build(name="Leadership", slug="leadership", category=Skill.Category.SOFT),
    }
    Skill.objects.bulk_create(skills.values())
    levels = {
        "analyst": {"market": 2, "communication": 2},
        "apm": {"strategy": 1, "market": 2, "communication": 3},
        "pm": {"strategy": 2, "market": 3, "communication": 3, "leadership": 2},
        "senior": {"strategy": 3, "market": 4, "communication": 4, "leadership": 3},
        "group": {"strategy": 4, "market": 4, "communication": 4, "leadership": 4},
        "leader": {"strategy": 5, "market": 4, "communication": 5, "leadership": 5},
    }
    bulk_create_with_history(
        [
            RoleSkillFactory.build(role=roles[role_slug], skill=skills[skill_slug], level=level)
            for role_slug, reqs in levels.items()
            for skill_slug, level in reqs.items()
        ],
        RoleSkill,
    )
    versions.bump(versions.LADDER)
    return SimpleNamespace(track=track, roles=roles, skills=skills)


@pytest.fixture
def plan(alice, ladder):
    return write_plan(alice, ladder)


def write_plan(alice, ladder) -> CareerPlan:
    """Alice's primary plan on the ladder: Associate Product Manager to Senior Product Manager."""
    return CareerPlan.objects.create(
        owner=alice,
        title="Become a Senior PM",
        current_role=ladder.roles["apm"],
        target_role=ladder.roles["senior"],
        is_primary=True,
    )


@pytest.fixture
def bare_plan(alice):
    """Alice's plan between two factory roles that require no skills and have no transitions or
    certifications: for tests that need a plan, but none of the ladder around it."""
    return CareerPlanFactory(owner=alice)


@pytest.fixture
def mentor(db, password):
    return make_user("mentor@example.com", password)


@pytest.fixture
def mentor_share(plan, mentor):
    return Share.objects.create(plan=plan, email=mentor.email, user=mentor)
