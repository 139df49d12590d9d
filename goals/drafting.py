"""Where a new goal starts: a framework template, the plan's gap, a certification, or drafts.

Each returns initial form data or unsaved proposals; nothing here writes.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from goals.models import Goal
from plans.models import Activity, CareerPlan, PlanCertification
from plans.page import industry_resource_ids, role_resources
from plans.readiness import SkillGap
from skills.models import (
    DEFAULT_GOAL_MONTHS,
    SHORT_TERM_MONTHS,
    TOP_PROFICIENCY,
    Certification,
    GoalTemplate,
    LearningResource,
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


# --- Drafting from the gap: goals, activities and certifications -----------------------------


# How drafting proposes without overwhelming: the largest gaps come first and only a few are
# ticked; deadlines give a larger gap more time and stay apart; each gap offers its next few
# learning resources (decisions.md, "Goals").
PRETICKED_GAPS = 3
PRETICKED_CERTIFICATIONS = 1
MONTHS_PER_LEVEL = 3
MIN_DAYS_BETWEEN_DEADLINES = 14
RESOURCES_PER_GAP = 2

# What a curated learning resource becomes on a plan: the same kind where both lists have it (a
# community, online or a club, is a community or forum); a mentoring resource is being mentored; a
# certificate programme is studied like a course (the certifications a role recommends go to the
# plan's certifications instead). No resource is a part-time job or a social media post: a person
# logs those. decisions.md, "Goals".
ACTIVITY_KINDS = {
    LearningResource.Kind.COURSE: Activity.Kind.COURSE,
    LearningResource.Kind.BOOK: Activity.Kind.BOOK,
    LearningResource.Kind.WORKSHOP: Activity.Kind.WORKSHOP,
    LearningResource.Kind.WEBINAR: Activity.Kind.WEBINAR,
    LearningResource.Kind.CONFERENCE: Activity.Kind.CONFERENCE,
    LearningResource.Kind.COMMUNITY: Activity.Kind.COMMUNITY,
    LearningResource.Kind.MENTORING: Activity.Kind.MENTORED,
    LearningResource.Kind.CERTIFICATION: Activity.Kind.COURSE,
}


@dataclass
class DraftGoal:
    """A goal closing one skill gap, not saved until the person ticks it."""

    skill: Skill
    title: str
    metric: str
    unit: str
    baseline: Decimal
    target: Decimal
    deadline: date
    preticked: bool = False  # one of the few the page ticks for the person

    @property
    def key(self) -> int:
        return self.skill.pk

    def to_goal(self, plan: CareerPlan, today: date) -> Goal:
        return Goal(
            plan=plan,
            title=self.title,
            metric=self.metric,
            unit=self.unit,
            baseline=self.baseline,
            target=self.target,
            start_date=today,
            deadline=self.deadline,
            skill=self.skill,
            attack_later=True,  # how to close the gap is the person's to write (GoalForm's rule)
        )


@dataclass
class DraftActivity:
    """A learning resource of a gap's skill, proposed as a planned activity on that day."""

    resource: LearningResource
    skill: Skill
    date: date
    preticked: bool = False

    @property
    def key(self) -> int:
        return self.resource.pk

    @property
    def kind(self) -> Activity.Kind:
        return ACTIVITY_KINDS[LearningResource.Kind(self.resource.kind)]

    @property
    def note(self) -> str:
        """Where the activity came from, in the resource's own words (its kind may differ from the activity's)."""
        source = self.resource.get_kind_display()
        if self.resource.provider:
            source += f" by {self.resource.provider}"
        if self.resource.hours:
            source += f", about {self.resource.hours} h"
        return f"{source}. Helps reach level {self.resource.level} in {self.skill.name}."

    def to_activity(self, plan: CareerPlan) -> Activity:
        return Activity(
            plan=plan,
            kind=self.kind,
            title=self.resource.title,
            date=self.date,
            link=self.resource.url,
            note=self.note,
            status=Activity.Status.PLANNED,
        )


@dataclass
class DraftCertification:
    """A certification the target role recommends, proposed as a planned certification on the plan."""

    certification: Certification
    target_date: date
    preticked: bool = False

    @property
    def key(self) -> int:
        return self.certification.pk

    def to_record(self, plan: CareerPlan) -> PlanCertification:
        return PlanCertification(
            plan=plan,
            certification=self.certification,
            status=PlanCertification.Status.PLANNED,
            target_date=self.target_date,
        )


@dataclass
class DraftProposal:
    goals: list[DraftGoal]
    activities: list[DraftActivity]
    certifications: list[DraftCertification]
    unassessed: list[Skill]
    covered: list[str]  # gaps that already have an active goal on the plan
    horizon_end: date

    @property
    def total(self) -> int:
        return len(self.goals) + len(self.activities) + len(self.certifications)


@dataclass
class OnPlan:
    """What the plan already holds, so that drafting never proposes it again: the skills its active
    goals serve, its activities' titles (case-insensitive) and links, its certifications. Three
    queries, read by the page and again by the service inside its transaction."""

    goal_skills: set[int | None]  # None once a goal with no skill was kept
    activity_titles: set[str]
    activity_links: set[str]
    certifications: set[int]

    @classmethod
    def read(cls, plan: CareerPlan) -> "OnPlan":
        goal_skills = Goal.objects.filter(plan=plan, status=Goal.Status.ACTIVE).exclude(skill=None)
        activities = list(Activity.objects.filter(plan=plan).order_by().values_list("title", "link"))
        return cls(
            goal_skills=set(goal_skills.values_list("skill_id", flat=True)),
            activity_titles={_same_title(title) for title, _ in activities},
            activity_links={link for _, link in activities if link},
            certifications=set(
                PlanCertification.objects.filter(plan=plan).values_list("certification_id", flat=True)
            ),
        )

    def has_activity(self, title: str, link: str) -> bool:
        return _same_title(title) in self.activity_titles or bool(link and link in self.activity_links)

    def add_activity(self, title: str, link: str) -> None:
        self.activity_titles.add(_same_title(title))
        if link:
            self.activity_links.add(link)


def _same_title(title: str) -> str:
    return " ".join(title.split()).casefold()


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


def draft_from_gap(plan: CareerPlan, today: date) -> DraftProposal:
    """What the plan's gap calls for, none of it on the plan yet: a goal per open, assessed skill gap
    (largest first), the next learning resources of those skills as planned activities, and the
    target role's recommended certifications the plan does not have, as planned certifications.

    Unassessed skills are not drafted: their gap is unknown. A gap an active goal already serves gets
    no second goal, but still its resources. Ticked for the person: the PRETICKED_GAPS largest gaps,
    the first resource of each, and PRETICKED_CERTIFICATIONS certification. A skill's goal wants
    MONTHS_PER_LEVEL months per level of gap and a certification DEFAULT_GOAL_MONTHS, scheduled
    together (schedule_deadlines); a resource is planned for when its level is due on that pace, never
    after its skill's goal. Reads the target role's resources from plans.page.role_resources (cached
    per ladder version), so the number of queries does not grow with the ladder.
    """
    gaps = plan.skill_gaps()
    open_gaps = sorted((g for g in gaps if g.gap), key=lambda g: (-cast(int, g.gap), g.skill.name))
    on_plan = OnPlan.read(plan)
    goal_gaps = [g for g in open_gaps if g.skill.pk not in on_plan.goal_skills]
    certifications = [
        c
        for c in plan.target_role.recommended_certifications.order_by("name")
        if c.pk not in on_plan.certifications
    ]

    end = _draft_horizon_end(plan, today)
    wanted = [add_months(today, MONTHS_PER_LEVEL * cast(int, gap.gap)) for gap in goal_gaps]  # open: a gap
    wanted += [add_months(today, DEFAULT_GOAL_MONTHS)] * len(certifications)
    deadlines = iter(schedule_deadlines(wanted, today, end))
    goals = [_skill_draft(gap, next(deadlines), i < PRETICKED_GAPS) for i, gap in enumerate(goal_gaps)]
    drafted_certifications = [
        DraftCertification(c, next(deadlines), i < PRETICKED_CERTIFICATIONS)
        for i, c in enumerate(certifications)
    ]
    return DraftProposal(
        goals=goals,
        activities=_activity_drafts(plan, open_gaps, goals, on_plan, today, end),
        certifications=drafted_certifications,
        unassessed=[g.skill for g in gaps if not g.assessed],
        covered=[g.skill.name for g in open_gaps if g.skill.pk in on_plan.goal_skills],
        horizon_end=end,
    )


def _activity_drafts(
    plan: CareerPlan,
    open_gaps: list[SkillGap],
    goals: list[DraftGoal],
    on_plan: OnPlan,
    today: date,
    end: date,
) -> list[DraftActivity]:
    """Per open gap, largest first, its next RESOURCES_PER_GAP resources not on the plan: those of the
    plan's industry first, as the gap table lists them, each part lowest level first; the first one
    ticked when the gap's goal is."""
    if not open_gaps:
        return []
    resources = role_resources(plan.target_role)
    industry = industry_resource_ids(plan.industry_id) if plan.industry_id else set()
    goal_by_skill = {goal.skill.pk: goal for goal in goals}
    first_day = today + timedelta(days=1)
    drafts = []
    for gap in open_gaps:
        goal = goal_by_skill.get(gap.skill.pk)
        latest = goal.deadline if goal else end
        helpful = sorted(gap.helpful(resources.get(gap.skill.pk, [])), key=lambda r: r.pk not in industry)
        fresh = [r for r in helpful if not on_plan.has_activity(r.title, r.url)]
        for i, resource in enumerate(fresh[:RESOURCES_PER_GAP]):
            due = add_months(today, MONTHS_PER_LEVEL * (resource.level - cast(int, gap.current)))  # assessed
            drafts.append(
                DraftActivity(
                    resource=resource,
                    skill=gap.skill,
                    date=max(min(due, latest), first_day),
                    preticked=i == 0 and goal is not None and goal.preticked,
                )
            )
    return drafts


def _draft_horizon_end(plan: CareerPlan, today: date) -> date:
    """Drafts are due by the plan's target date, or within the short term when it has none ahead."""
    if plan.target_date and plan.target_date > today:
        return plan.target_date
    return add_months(today, SHORT_TERM_MONTHS)


def _skill_draft(gap: SkillGap, deadline: date, preticked: bool) -> DraftGoal:
    baseline, target = skill_goal_levels(gap.required, gap.current)
    return DraftGoal(
        skill=gap.skill,
        title=skill_goal_title(gap.skill, target),
        metric="Self-assessed level",
        unit="level",
        baseline=Decimal(baseline),
        target=Decimal(target),
        deadline=deadline,
        preticked=preticked,
    )
