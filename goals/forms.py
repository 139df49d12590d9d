"""Goal forms: the SMART rules as field errors, and the starting points (template, gap, certification).

Forms validate and convert; the views save through goals.services.goal_save.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import dateformat, timezone

from goals.models import Goal
from plans.models import CareerPlan, PlanCertification, add_months
from skills.models import Certification, GoalTemplate, Role, Skill

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER_INPUT = forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
DEFAULT_DURATION_MONTHS = 6
DRAFT_HORIZON_MONTHS = 12

# (legend, hint, field names): the five SMART parts, then reminders.
FIELDSETS = [
    ("Specific", "What exactly will you achieve? Say it in one line.", ["title", "description"]),
    (
        "Measurable",
        "How will you know you got there? Pick a number you can check in on. "
        "The target may be below where you are today, e.g. “reduce churn to 2 %”.",
        ["metric", "unit", "baseline", "target"],
    ),
    (
        "Achievable",
        "How will you get there, and how much time can you give it?",
        ["plan_of_attack", "effort"],
    ),
    (
        "Relevant",
        "Which skill, certification or role does it serve? If none fits, say why it matters to you.",
        ["skill", "certification", "role", "relevance"],
    ),
    ("Time-bound", "When do you start, and by when will it be done?", ["start_date", "deadline"]),
    ("Reminders", "We email you a nudge to check in on your progress.", ["reminder_cadence"]),
]


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, role: Role) -> str:
        return f"{role.title} (level {role.level})"


class GoalForm(forms.ModelForm):
    """Creates a goal on ``plan`` or edits one; every SMART rule a field error a person understands."""

    role = RoleChoiceField(
        queryset=Role.objects.none(), required=False, help_text="A role this goal moves you towards."
    )

    class Meta:
        model = Goal
        fields = [name for _, _, names in FIELDSETS for name in names] + ["template"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "baseline": NUMBER_INPUT,
            "target": NUMBER_INPUT,
            "plan_of_attack": forms.Textarea(attrs={"rows": 3}),
            "relevance": forms.Textarea(attrs={"rows": 2}),
            "start_date": DATE_INPUT,
            "deadline": DATE_INPUT,
            "template": forms.HiddenInput,
        }
        labels = {
            "title": "Goal",
            "plan_of_attack": "Plan of attack",
            "relevance": "Why it matters",
            "start_date": "Start",
            "reminder_cadence": "Remind me",
        }
        help_texts = {
            "title": "e.g. “Run 5 customer interviews a month by June”.",
            "metric": "What you will count or measure, e.g. “Customer interviews a month”.",
            "baseline": "Where you are today.",
            "target": "Where you want to be by the deadline.",
            "plan_of_attack": "The steps, resources or help you will use.",
            "skill": "A skill your plan's roles require.",
            "relevance": "Needed only when no skill, certification or role fits.",
        }
        error_messages = {
            "title": {"required": "Give the goal a title: what will you achieve?"},
            "metric": {"required": "Say what you will measure, e.g. “Courses completed”."},
            "unit": {"required": "Give the unit you measure in, e.g. courses, %, interviews."},
            "baseline": {"required": "Where are you today? Enter a number (0 is fine)."},
            "target": {"required": "Where do you want to be? Enter a number."},
            "start_date": {"required": "When do you start? Pick a date."},
            "deadline": {"required": "A goal needs a deadline: by when will it be done?"},
            "reminder_cadence": {"required": "Choose how often to remind you, or “No reminders”."},
        }

    def __init__(self, *args, plan: CareerPlan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        self.template = self._template()
        self.fields["skill"].queryset = self._skill_choices()
        self.fields["certification"].queryset = Certification.objects.order_by("name")
        self.fields["role"].queryset = self._role_choices()
        self.fields["skill"].empty_label = self.fields["certification"].empty_label = "—"
        self.fields["role"].empty_label = "—"

    def _template(self) -> GoalTemplate | None:
        pk = self.data.get("template") if self.is_bound else self.initial.get("template")
        pk = pk or self.instance.template_id
        return GoalTemplate.objects.filter(pk=pk).first() if str(pk or "").isdigit() else None

    def _kept(self, name: str) -> Q:
        """The goal's own choice and its example's stay selectable even outside the usual list."""
        kept = {self.initial.get(name), getattr(self.instance, f"{name}_id", None)}
        if self.template:
            kept.add(getattr(self.template, f"{name}_id"))
        return Q(pk__in=[getattr(pk, "pk", pk) for pk in kept if pk])

    def _skill_choices(self):
        role_ids = [self.plan.current_role_id, self.plan.target_role_id]
        return Skill.objects.filter(Q(requirements__role_id__in=role_ids) | self._kept("skill")).distinct()

    def _role_choices(self):
        track_ids = {self.plan.current_role.track_id, self.plan.target_role.track_id}
        return Role.objects.filter(Q(track_id__in=track_ids) | self._kept("role")).order_by("level", "title")

    def fieldsets(self) -> list[tuple[str, str, list]]:
        return [(legend, hint, [self[name] for name in names]) for legend, hint, names in FIELDSETS]

    def clean_deadline(self) -> date:
        deadline = self.cleaned_data["deadline"]
        # On edit a deadline that has passed may stay as it was; moving it into the past may not.
        changed = self.instance.pk is None or "deadline" in self.changed_data
        if changed and deadline < timezone.localdate():
            raise forms.ValidationError("That deadline has already passed: pick today or a later date.")
        return deadline

    def clean(self) -> dict:
        cleaned = super().clean()
        start, deadline = cleaned.get("start_date"), cleaned.get("deadline")
        if start and deadline and deadline <= start:
            self.add_error("deadline", "The deadline has to be after the start date.")
        baseline, target = cleaned.get("baseline"), cleaned.get("target")
        if baseline is not None and target is not None and baseline == target:
            self.add_error(
                "target",
                "The target is the same as the baseline: set where you want to be, above or below it.",
            )
        relevant = any(cleaned.get(name) for name in ("skill", "certification", "role"))
        if not relevant and not cleaned.get("relevance", "").strip():
            self.add_error(
                "relevance", "Link the goal to a skill, certification or role, or say why it matters to you."
            )
        return cleaned


# --- Starting points ------------------------------------------------------------------------


def _format_date(day: date) -> str:
    return dateformat.format(day, "j M Y")


def default_deadline(plan: CareerPlan, today: date) -> date:
    """Six months out, or the plan's own target date when that comes sooner."""
    deadline = add_months(today, DEFAULT_DURATION_MONTHS)
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
    target = required if required > baseline else min(baseline + 1, 5)
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
    active = Goal.objects.filter(plan=plan, status=Goal.Status.ACTIVE)
    skills_with_goal = set(active.exclude(skill=None).values_list("skill_id", flat=True))
    certs_with_goal = set(active.exclude(certification=None).values_list("certification_id", flat=True))
    gaps = plan.skill_gaps()
    open_gaps = sorted((g for g in gaps if g.gap), key=lambda g: (g.gap, g.skill.name))
    earned = {
        pc.certification_id
        for pc in PlanCertification.objects.filter(
            plan=plan, status=PlanCertification.Status.EARNED
        ).select_related("certification")
        if pc.effective_status(today) == PlanCertification.Status.EARNED
    }
    certifications = [
        c for c in plan.target_role.recommended_certifications.order_by("name") if c.pk not in earned
    ]

    covered = [g.skill.name for g in open_gaps if g.skill.pk in skills_with_goal]
    covered += [str(c) for c in certifications if c.pk in certs_with_goal]
    open_gaps = [g for g in open_gaps if g.skill.pk not in skills_with_goal]
    certifications = [c for c in certifications if c.pk not in certs_with_goal]

    end = (
        plan.target_date
        if plan.target_date and plan.target_date > today
        else add_months(today, DRAFT_HORIZON_MONTHS)
    )
    deadlines = iter(spread_deadlines(len(open_gaps) + len(certifications), today, end))
    drafts = []
    for gap in open_gaps:
        deadline = next(deadlines)
        baseline, target = skill_goal_levels(gap.required, gap.current)
        drafts.append(
            DraftGoal(
                key=f"skill-{gap.skill.pk}",
                title=skill_goal_title(gap.skill, target, deadline),
                metric="Self-assessed level",
                unit="level",
                baseline=Decimal(baseline),
                target=Decimal(target),
                deadline=deadline,
                skill=gap.skill,
            )  # fmt: skip
        )
    for certification in certifications:
        drafts.append(
            DraftGoal(
                key=f"certification-{certification.pk}",
                title=certification_goal_title(certification),
                metric="Certification earned",
                unit="certification",
                baseline=Decimal(0),
                target=Decimal(1),
                deadline=next(deadlines),
                certification=certification,
            )  # fmt: skip
        )
    return DraftProposal(
        drafts=drafts, unassessed=[g.skill for g in gaps if not g.assessed], covered=covered, horizon_end=end
    )


class DraftGoalsForm(forms.Form):
    drafts = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one goal to add, or go back to the plan."},
    )

    def __init__(self, *args, proposal: DraftProposal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.fields["drafts"].choices = [(d.key, d.title) for d in proposal.drafts]
        self.fields["drafts"].initial = [d.key for d in proposal.drafts]

    def rows(self) -> list[tuple[DraftGoal, bool]]:
        """Each draft with whether its box is ticked (all of them until the person says otherwise)."""
        chosen = set(self["drafts"].value() or [])
        return [(draft, draft.key in chosen) for draft in self.proposal.drafts]

    def chosen(self) -> list[DraftGoal]:
        keys = set(self.cleaned_data["drafts"])
        return [d for d in self.proposal.drafts if d.key in keys]
