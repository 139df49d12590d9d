"""Gap and readiness arithmetic."""

from datetime import timedelta

from django.utils import timezone

from plans.models import CareerPlan, SkillAssessment
from plans.readiness import Readiness


def assess(plan, skill, level, days_ago=0):
    return SkillAssessment.objects.create(
        plan=plan, skill=skill, level=level, assessed_at=timezone.now() - timedelta(days=days_ago)
    )


def test_unassessed_skills_are_unknown_not_zero_and_come_last(plan, ladder):
    assess(plan, ladder.skills["market"], 2)

    gaps = plan.skill_gaps()

    assert [g.skill.slug for g in gaps][0] == "market"
    assert gaps[0].gap == 2  # senior needs 4
    unassessed = [g for g in gaps if not g.assessed]
    assert {g.skill.slug for g in unassessed} == {"strategy", "communication", "leadership"}
    assert all(g.current is None and g.gap is None for g in unassessed)


def test_gaps_are_ordered_largest_first(plan, ladder):
    assess(plan, ladder.skills["strategy"], 2)  # needs 3: gap 1
    assess(plan, ladder.skills["market"], 1)  # needs 4: gap 3
    assess(plan, ladder.skills["communication"], 4)  # needs 4: gap 0
    assess(plan, ladder.skills["leadership"], 1)  # needs 3: gap 2

    assert [(g.skill.slug, g.gap) for g in plan.skill_gaps()] == [
        ("market", 3),
        ("leadership", 2),
        ("strategy", 1),
        ("communication", 0),
    ]


def test_readiness_caps_skills_above_requirement(plan, ladder):
    assess(plan, ladder.skills["strategy"], 5)  # needs 3: counts as 3, not 5
    assess(plan, ladder.skills["market"], 2)  # needs 4: 2

    readiness = plan.readiness()

    assert readiness.percent == round(100 * (3 + 2) / (3 + 4))
    assert (readiness.assessed, readiness.total, readiness.open_gaps) == (2, 4, 1)
    assert {s.slug for s in readiness.unassessed} == {"communication", "leadership"}


def test_readiness_is_unknown_until_something_is_assessed(plan):
    readiness = plan.readiness()
    assert readiness.percent is None
    assert readiness.assessed == 0 and readiness.total == 4


def test_full_readiness_when_every_requirement_is_met(plan, ladder):
    for slug, level in {"strategy": 3, "market": 4, "communication": 5, "leadership": 3}.items():
        assess(plan, ladder.skills[slug], level)
    assert plan.readiness().percent == 100
    assert plan.readiness().open_gaps == 0


def test_latest_assessment_counts_and_history_is_kept(plan, ladder):
    assess(plan, ladder.skills["market"], 1, days_ago=30)
    assess(plan, ladder.skills["market"], 3, days_ago=1)

    gap = next(g for g in plan.skill_gaps() if g.skill.slug == "market")

    assert gap.current == 3
    assert plan.assessments.filter(skill=ladder.skills["market"]).count() == 2


def test_gap_against_another_role_on_the_path(plan, ladder):
    assess(plan, ladder.skills["leadership"], 2)
    gaps = {g.skill.slug: g for g in plan.skill_gaps(role=ladder.roles["leader"])}
    assert gaps["leadership"].required == 5 and gaps["leadership"].gap == 3


def test_role_without_requirements_has_no_gaps(alice, ladder):
    plan = CareerPlan.objects.create(
        owner=alice, title="x", current_role=ladder.roles["apm"], target_role=ladder.roles["island"]
    )
    assert plan.skill_gaps() == []
    assert plan.readiness() == Readiness(percent=None, assessed=0, total=0, open_gaps=0, unassessed=[])
