"""Where a new goal starts: a framework template, the plan's gap, a certification, or drafts.

Each returns initial form data or unsaved proposals; nothing here writes.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

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


def skill_goal_title(skill: Skill, target: int) -> str:
    """No date in it: titles the app writes outlive a moved deadline, which pages show from the field."""
    return f"Reach level {target} in {skill.name}"


def initial_from_skill(plan: CareerPlan, skill: Skill, today: date) -> dict | None:
    """A goal closing the gap in ``skill`` to the target role's level; None if that role doesn't need it."""
    gap = next((g for g in plan.skill_gaps() if g.skill.pk == skill.pk), None)
    if gap is None:
        return None
    baseline, target = skill_goal_levels(gap.required, gap.current)
    deadline = default_deadline(plan, today)
    return {
        "title": skill_goal_title(skill, target),
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


# How drafting proposes without overwhelming: the largest gaps come first and only a few are
# ticked; deadlines give a larger gap more time and stay apart (decisions.md, "Goals").
PRETICKED_GAPS = 3
PRETICKED_CERTIFICATIONS = 1
MONTHS_PER_LEVEL = 3
MIN_DAYS_BETWEEN_DEADLINES = 14


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
    preticked: bool = False  # one of the few the page ticks for the person

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


@dataclass
class _CertificationToEarn:
    certification: Certification
    planned_for: date | None  # the target date the plan already gives it, when that is ahead


def schedule_deadlines(wanted: list[date], today: date, end: date) -> list[date]:
    """Deadlines as near ``wanted`` as the rules allow, in the same order.

    None falls on or before today or after ``end``, and no two are closer than
    MIN_DAYS_BETWEEN_DEADLINES, unless ``end`` leaves too little room: then they are as far
    apart as it allows. A later pass pulls dates back from ``end`` without breaking the spacing.
    """
    count = len(wanted)
    if not count:
        return []
    step = min(MIN_DAYS_BETWEEN_DEADLINES, (end - today).days // count)
    first = today + timedelta(days=1)
    order = sorted(range(count), key=lambda i: (wanted[i], i))
    dates: list[date] = []
    for i in order:  # forward: each no earlier than it wants, nor than `step` after the one before
        earliest = dates[-1] + timedelta(days=step) if dates else first
        dates.append(max(min(wanted[i], end), first, earliest))
    for k in range(count - 1, -1, -1):  # backward: none after `end`, each `step` before the next
        latest = dates[k + 1] - timedelta(days=step) if k + 1 < count else end
        dates[k] = min(dates[k], latest)
    scheduled = dict(zip(order, dates, strict=True))
    return [scheduled[i] for i in range(count)]


def draft_goals_from_gap(plan: CareerPlan, today: date) -> DraftProposal:
    """One goal per open, assessed skill gap (largest first) then per recommended certification not earned.

    Unassessed skills are not drafted: their gap is unknown. Gaps already served by an active
    goal on the plan are left out, so drafting twice does not duplicate goals. Only the
    PRETICKED_GAPS largest gaps and PRETICKED_CERTIFICATIONS certification (one the plan already
    pursues, else the first by name) come ticked. A skill wants MONTHS_PER_LEVEL months per level
    of gap, a certification its planned date or DEFAULT_GOAL_MONTHS; see schedule_deadlines.
    """
    gaps = plan.skill_gaps()
    open_gaps = sorted((g for g in gaps if g.gap), key=lambda g: (-g.gap, g.skill.name))
    certifications = _certifications_to_earn(plan, today)
    skills_with_goal, certs_with_goal = _served_by_active_goals(plan)
    covered = [g.skill.name for g in open_gaps if g.skill.pk in skills_with_goal]
    covered += [str(c.certification) for c in certifications if c.certification.pk in certs_with_goal]
    open_gaps = [g for g in open_gaps if g.skill.pk not in skills_with_goal]
    certifications = [c for c in certifications if c.certification.pk not in certs_with_goal]

    end = _draft_horizon_end(plan, today)
    wanted = [add_months(today, MONTHS_PER_LEVEL * gap.gap) for gap in open_gaps]
    wanted += [c.planned_for or add_months(today, DEFAULT_GOAL_MONTHS) for c in certifications]
    deadlines = iter(schedule_deadlines(wanted, today, end))
    drafts = [_skill_draft(gap, next(deadlines), i < PRETICKED_GAPS) for i, gap in enumerate(open_gaps)]
    pursued = sorted(certifications, key=lambda c: (c.planned_for is None, c.planned_for or end))
    ticked = {c.certification.pk for c in pursued[:PRETICKED_CERTIFICATIONS]}
    drafts += [
        _certification_draft(c.certification, next(deadlines), c.certification.pk in ticked)
        for c in certifications
    ]
    return DraftProposal(
        drafts=drafts, unassessed=[g.skill for g in gaps if not g.assessed], covered=covered, horizon_end=end
    )


def _served_by_active_goals(plan: CareerPlan) -> tuple[set[int], set[int]]:
    """Ids of the skills and of the certifications that an active goal on the plan already serves."""
    active = Goal.objects.filter(plan=plan, status=Goal.Status.ACTIVE)
    skills = set(active.exclude(skill=None).values_list("skill_id", flat=True))
    certifications = set(active.exclude(certification=None).values_list("certification_id", flat=True))
    return skills, certifications


def _certifications_to_earn(plan: CareerPlan, today: date) -> list[_CertificationToEarn]:
    """The target role's recommended certifications that the plan does not hold (a lapsed one counts),
    by name, each with the target date the plan sets for it when that is still ahead."""
    records = {pc.certification_id: pc for pc in PlanCertification.objects.filter(plan=plan)}
    to_earn = []
    for certification in plan.target_role.recommended_certifications.order_by("name"):
        record = records.get(certification.pk)
        if record and record.effective_status(today) == PlanCertification.EffectiveStatus.EARNED:
            continue
        # A lapsed certification's next date is its past expiry, so only a pursued one keeps a date.
        ahead = record.next_date if record and record.next_date and record.next_date > today else None
        to_earn.append(_CertificationToEarn(certification, ahead))
    return to_earn


def _draft_horizon_end(plan: CareerPlan, today: date) -> date:
    """Drafts are due by the plan's target date, or within the short term when it has none ahead."""
    if plan.target_date and plan.target_date > today:
        return plan.target_date
    return add_months(today, SHORT_TERM_MONTHS)


def _skill_draft(gap: SkillGap, deadline: date, preticked: bool) -> DraftGoal:
    baseline, target = skill_goal_levels(gap.required, gap.current)
    return DraftGoal(
        key=f"skill-{gap.skill.pk}", title=skill_goal_title(gap.skill, target), metric="Self-assessed level",
        unit="level", baseline=Decimal(baseline), target=Decimal(target), deadline=deadline, skill=gap.skill,
        preticked=preticked,
    )  # fmt: skip


def _certification_draft(certification: Certification, deadline: date, preticked: bool) -> DraftGoal:
    return DraftGoal(
        key=f"certification-{certification.pk}", title=certification_goal_title(certification),
        metric="Certification earned", unit="certification", baseline=Decimal(0), target=Decimal(1),
        deadline=deadline, certification=certification, preticked=preticked,
    )  # fmt: skip
