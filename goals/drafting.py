"""Where a new goal starts: a framework template, the plan's gap, a certification, or drafts.

Each returns initial form data or unsaved proposals; nothing here writes.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import dateformat

from goals.models import Goal
from plans.models import CareerPlan, PlanCertification, SkillGap
from skills.models import (
    DEFAULT_GOAL_MONTHS,
    SHORT_TERM_MONTHS,
    TOP_PROFICIENCY,
    Certification,
    GoalTemplate,
    Skill,
    add_months,
)

# --- Starting points ------------------------------------------------------------------------


def _format_date(day: date) -> str:
    return dateformat.format(day, "j M Y")


def default_deadline(plan: CareerPlan, today: date) -> date:
    """Six months out, or the plan's own target date when that comes sooner."""
    deadline = add_months(today, DEFAULT_GOAL_MONTHS)
    if plan.target_date and today < plan.target_date < deadline:
        return plan.target_date
    return deadline


def goal_templates_for(plan: CareerPlan):
    """The framework's example goals for the plan's track(s), and those for any track."""
    track_ids = {plan.current_role.track_id, plan.target_role.track_id}
    return GoalTemplate.objects.filter(Q(track_id__in=track_ids) | Q(track__isnull=True)).order_by(
        "horizon", "title"
    )


def initial_from_template(template: GoalTemplate, today: date) -> dict:
    return {
        "template": template.pk,
        "title": template.title,
        "description": template.description,
        "metric": template.metric,
        "unit": template.unit,
        "baseline": template.baseline,
        "target": template.target,
        "start_date": today,
        "deadline": add_months(today, template.duration_months),
        "skill": template.skill_id,
        "certification": template.certification_id,
        "role": template.role_id,
    }


def skill_goal_levels(required: int, current: int | None) -> tuple[int, int]:
    """(baseline, target) for closing a skill gap; unassessed counts as level 1."""
    baseline = current if current is not None else 1
    target = required if required > baseline else min(baseline + 1, TOP_PROFICIENCY)
    return baseline, target


def skill_goal_title(skill: Skill, target: int, deadline: date) -> str:
    return f"Reach level {target} in {skill.name} by {_format_date(deadline)}"


def initial_from_skill(plan: CareerPlan, skill: Skill, today: date) -> dict | None:
    """A goal closing the gap in ``skill`` to the target role's level; None if that role doesn't need it."""
    gap = next((g for g in plan.skill_gaps() if g.skill.pk == skill.pk), None)
    if gap is None:
        return None
    baseline, target = skill_goal_levels(gap.required, gap.current)
    deadline = default_deadline(plan, today)
    return {
        "title": skill_goal_title(skill, target, deadline),
        "metric": "Self-assessed level",
        "unit": "level",
        "baseline": baseline,
        "target": target,
        "start_date": today,
        "deadline": deadline,
        "skill": skill.pk,
    }


def certification_goal_title(certification: Certification) -> str:
    return f"Earn the {certification.abbreviation or certification.name}"


def initial_from_certification(plan: CareerPlan, certification: Certification, today: date) -> dict:
    record = PlanCertification.objects.filter(plan=plan, certification=certification).first()
    planned = record.target_date if record and record.target_date and record.target_date > today else None
    return {
        "title": certification_goal_title(certification),
        "metric": "Certification earned",
        "unit": "certification",
        "baseline": 0,
        "target": 1,
        "start_date": today,
        "deadline": planned or default_deadline(plan, today),
        "certification": certification.pk,
    }


# --- Drafting goals from the gap ----------------------------------------------------------


@dataclass
class DraftGoal:
    """A goal proposed from the plan's gap, not saved until the person ticks it."""

    key: str
    title: str
    metric: str
    unit: str
    baseline: Decimal
    target: Decimal
    deadline: date
    skill: Skill | None = None
    certification: Certification | None = None

    def to_goal(self, plan: CareerPlan, today: date) -> Goal:
        return Goal(
            plan=plan, title=self.title, metric=self.metric, unit=self.unit, baseline=self.baseline,
            target=self.target, start_date=today, deadline=self.deadline, skill=self.skill,
            certification=self.certification,
        )  # fmt: skip


@dataclass
class DraftProposal:
    drafts: list[DraftGoal]
    unassessed: list[Skill]
    covered: list[str]  # gaps that already have an active goal on the plan
    horizon_end: date


def spread_deadlines(count: int, today: date, end: date) -> list[date]:
    """``count`` deadlines evenly spaced after today, the last one on ``end``."""
    total = max((end - today).days, count)
    return [today + timedelta(days=max(round(total * (i + 1) / count), 1)) for i in range(count)]


def draft_goals_from_gap(plan: CareerPlan, today: date) -> DraftProposal:
    """One goal per open, assessed skill gap (smallest first) then per recommended certification not earned.

    Unassessed skills are not drafted: their gap is unknown. Gaps already served by an active
    goal on the plan are left out, so drafting twice does not duplicate goals.
    """
    gaps = plan.skill_gaps()
    open_gaps = sorted((g for g in gaps if g.gap), key=lambda g: (g.gap, g.skill.name))
    certifications = _certifications_to_earn(plan, today)
    skills_with_goal, certs_with_goal = _served_by_active_goals(plan)
    covered = [g.skill.name for g in open_gaps if g.skill.pk in skills_with_goal]
    covered += [str(c) for c in certifications if c.pk in certs_with_goal]
    open_gaps = [g for g in open_gaps if g.skill.pk not in skills_with_goal]
    certifications = [c for c in certifications if c.pk not in certs_with_goal]

    end = _draft_horizon_end(plan, today)
    deadlines = iter(spread_deadlines(len(open_gaps) + len(certifications), today, end))
    drafts = [_skill_draft(gap, next(deadlines)) for gap in open_gaps]
    drafts += [_certification_draft(certification, next(deadlines)) for certification in certifications]
    return DraftProposal(
        drafts=drafts, unassessed=[g.skill for g in gaps if not g.assessed], covered=covered, horizon_end=end
    )


def _served_by_active_goals(plan: CareerPlan) -> tuple[set[int], set[int]]:
    """Ids of the skills and of the certifications that an active goal on the plan already serves."""
    active = Goal.objects.filter(plan=plan, status=Goal.Status.ACTIVE)
    skills = set(active.exclude(skill=None).values_list("skill_id", flat=True))
    certifications = set(active.exclude(certification=None).values_list("certification_id", flat=True))
    return skills, certifications


def _certifications_to_earn(plan: CareerPlan, today: date) -> list[Certification]:
    """The target role's recommended certifications that the plan does not hold (a lapsed one counts)."""
    held = PlanCertification.objects.filter(plan=plan, status=PlanCertification.Status.EARNED)
    earned = {
        pc.certification_id
        for pc in held
        if pc.effective_status(today) == PlanCertification.EffectiveStatus.EARNED
    }
    return [c for c in plan.target_role.recommended_certifications.order_by("name") if c.pk not in earned]


def _draft_horizon_end(plan: CareerPlan, today: date) -> date:
    """Drafts are spread up to the plan's target date, or over the short term when it has none ahead."""
    if plan.target_date and plan.target_date > today:
        return plan.target_date
    return add_months(today, SHORT_TERM_MONTHS)


def _skill_draft(gap: SkillGap, deadline: date) -> DraftGoal:
    baseline, target = skill_goal_levels(gap.required, gap.current)
    return DraftGoal(
        key=f"skill-{gap.skill.pk}", title=skill_goal_title(gap.skill, target, deadline),
        metric="Self-assessed level", unit="level", baseline=Decimal(baseline), target=Decimal(target),
        deadline=deadline, skill=gap.skill,
    )  # fmt: skip


def _certification_draft(certification: Certification, deadline: date) -> DraftGoal:
    return DraftGoal(
        key=f"certification-{certification.pk}", title=certification_goal_title(certification),
        metric="Certification earned", unit="certification", baseline=Decimal(0), target=Decimal(1),
        deadline=deadline, certification=certification,
    )  # fmt: skip
