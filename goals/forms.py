"""Goal forms: the SMART rules as field errors. Where a goal starts from lives in goals.drafting.

Forms validate and convert; the views save through goals.services.goal_save.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.dateformat import format as format_date

from base.forms import bounded_text
from base.params import parse_id
from goals.drafting import DraftActivity, DraftCertification, DraftGoal, DraftProposal
from goals.models import DEADLINE_AFTER_START, TARGET_NOT_BASELINE, Goal, GoalComment, ReminderSettings
from plans.fields import DATE_INPUT, IdChoiceField, RoleChoiceField
from plans.models import CareerPlan
from plans.sharing.forms import CommentForm
from skills.models import Certification, GoalTemplate, Role, Skill

NUMBER_INPUT = forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
ACHIEVABLE_MISSING = "Say how you will get there, or tick “I'll work out how later”."

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
        "How will you get there, and how much time can you give it? "
        "Not sure yet? Tick that you'll work it out later.",
        ["plan_of_attack", "attack_later", "effort"],
    ),
    (
        "Relevant",
        "Which skill, certification or role does it serve? If none fits, say why it matters to you.",
        ["skill", "certification", "role", "relevance"],
    ),
    ("Time-bound", "When do you start, and by when will it be done?", ["start_date", "deadline"]),
    (
        "Reminders",
        "When a check-in is due, it goes into one email at your reminder time (see Reminder settings).",
        ["reminder_cadence"],
    ),
]


class GoalForm(forms.ModelForm):
    """Creates a goal on ``plan`` or edits one; every SMART rule a field error a person understands."""

    role = RoleChoiceField(
        queryset=Role.objects.none(), required=False, help_text="A role this goal moves you towards."
    )

    class Meta:
        model = Goal
        fields = [name for _, _, names in FIELDSETS for name in names] + ["template"]
        formfield_callback = bounded_text
        field_classes = {"skill": IdChoiceField, "certification": IdChoiceField, "template": IdChoiceField}
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
            "attack_later": "Leave the plan of attack empty for now: the goal page will ask for it.",
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
        if self.instance.pk is None and not self.is_bound and "reminder_cadence" not in self.initial:
            self.initial["reminder_cadence"] = ReminderSettings.for_user(plan.owner).default_cadence
        self.template = self._template()
        skill, certification, role = (
            cast(IdChoiceField, self.fields[name]) for name in ("skill", "certification", "role")
        )
        skill.queryset = self._skill_choices()
        certification.queryset = Certification.objects.order_by("name")
        role.queryset = self._role_choices()
        skill.empty_label = certification.empty_label = "—"
        role.empty_label = "—"

    def _template(self) -> GoalTemplate | None:
        pk = self.data.get("template") if self.is_bound else self.initial.get("template")
        pk = parse_id(pk or self.instance.template_id)
        return GoalTemplate.objects.filter(pk=pk).first() if pk is not None else None

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
        roles = Role.objects.filter(Q(track_id__in=track_ids) | self._kept("role"))
        return roles.select_related("track").order_by("level", "title")

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
        assert cleaned is not None  # a form's clean() returns its cleaned_data
        start, deadline = cleaned.get("start_date"), cleaned.get("deadline")
        if start and deadline and deadline <= start:
            self.add_error("deadline", DEADLINE_AFTER_START)
        elif start and deadline and {"start_date", "deadline"} & set(self.changed_data):
            self._keep_milestones_within(start, deadline)
        baseline, target = cleaned.get("baseline"), cleaned.get("target")
        if baseline is not None and target is not None and baseline == target:
            self.add_error("target", TARGET_NOT_BASELINE)
        require_achievable(self)
        relevant = any(cleaned.get(name) for name in ("skill", "certification", "role"))
        # A reason too long is its own error: it is given, not missing.
        if not relevant and "relevance" not in self.errors and not cleaned.get("relevance", "").strip():
            self.add_error(
                "relevance", "Link the goal to a skill, certification or role, or say why it matters to you."
            )
        return cleaned

    def _keep_milestones_within(self, start: date, deadline: date) -> None:
        """Moved dates still hold every milestone between them (the rule of Milestone.clean, worded for
        the goal form)."""
        if self.instance.pk is None:
            return
        milestones = list(self.instance.milestones.order_by("due_date", "pk"))
        early = next((m for m in milestones if m.due_date < start), None)
        late = next((m for m in reversed(milestones) if m.due_date > deadline), None)
        if early:
            self.add_error(
                "start_date",
                f"The milestone “{early.title}” is due {format_date(early.due_date, 'j M Y')}, before this "
                "start: remove it first, or pick an earlier start.",
            )
        if late:
            self.add_error(
                "deadline",
                f"The milestone “{late.title}” is due {format_date(late.due_date, 'j M Y')}, after this "
                "deadline: remove it first, or pick a later deadline.",
            )


def require_achievable(form: forms.ModelForm) -> None:
    """Achievable made explicit (issue 23): a goal's form needs a plan of attack, or "I'll work out
    how later" ticked. A written plan clears "later": the goal has its plan (Goal.needs_plan_of_attack)."""
    cleaned = form.cleaned_data
    if "plan_of_attack" in form.errors:  # too long: given, not missing
        return
    if cleaned.get("plan_of_attack", "").strip():
        cleaned["attack_later"] = False
    elif not cleaned.get("attack_later"):
        form.add_error("plan_of_attack", ACHIEVABLE_MISSING)


class OfferedIdsField(forms.MultipleChoiceField):
    """Ticked boxes whose values are the ids of what the page offered (its choices). A value that is
    no id (base.params.parse_id: ASCII digits) or was not offered is a field error, never a 500."""

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {
        "invalid_choice": "Something you ticked is no longer proposed (it may be on your plan already): "
        "look again and tick what you want to keep.",
    }

    # Ids where the parent gives strings: clean() hands them on to cleaned_data as they are.
    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        ids = []
        for item in super().to_python(value):
            pk = parse_id(item)
            if pk is None:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            ids.append(pk)
        return list(dict.fromkeys(ids))


@dataclass
class Kept:
    """What the person ticked on the drafting page, in the page's order."""

    goals: list[DraftGoal]
    activities: list[DraftActivity]
    certifications: list[DraftCertification]


class DraftGoalsForm(forms.Form):
    """One review screen for what drafting proposes: goals, activities and certifications, each a
    group of boxes whose values are ids (skill, learning resource, certification)."""

    # (field name, the proposal's list): the page's three groups, in its order.
    GROUPS = (("drafts", "goals"), ("activities", "activities"), ("certifications", "certifications"))

    drafts = OfferedIdsField(label="Goals", required=False)
    activities = OfferedIdsField(label="Activities", required=False)
    certifications = OfferedIdsField(label="Certifications", required=False)

    def __init__(self, *args, proposal: DraftProposal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        for name, group in self.GROUPS:
            items = getattr(proposal, group)
            cast(OfferedIdsField, self.fields[name]).choices = [(item.key, str(item.key)) for item in items]
            self.fields[name].initial = [item.key for item in items if item.preticked]

    def _rows(self, name: str) -> list[tuple]:
        """Each proposal of a group with whether its box is ticked (the pre-ticked few until the person says otherwise)."""
        chosen = {str(value) for value in self[name].value() or []}
        return [(item, str(item.key) in chosen) for item in getattr(self.proposal, dict(self.GROUPS)[name])]

    def goal_rows(self) -> list[tuple[DraftGoal, bool]]:
        return self._rows("drafts")

    def activity_rows(self) -> list[tuple[DraftActivity, bool]]:
        return self._rows("activities")

    def certification_rows(self) -> list[tuple[DraftCertification, bool]]:
        return self._rows("certifications")

    def ticked_count(self) -> int:
        return sum(checked for name, _ in self.GROUPS for _, checked in self._rows(name))

    def clean(self) -> dict:
        cleaned = super().clean()
        assert cleaned is not None  # a form's clean() returns its cleaned_data
        if not self.errors and not any(cleaned.get(name) for name, _ in self.GROUPS):
            raise forms.ValidationError(
                "Tick at least one goal, activity or certification to add, or go back to the plan."
            )
        return cleaned

    def kept(self) -> Kept:
        def chosen(name: str) -> list:
            keys = set(self.cleaned_data[name])
            return [item for item in getattr(self.proposal, dict(self.GROUPS)[name]) if item.key in keys]

        return Kept(chosen("drafts"), chosen("activities"), chosen("certifications"))


class GoalCommentForm(CommentForm):
    """A comment in a goal's thread: the plan's comment form, for GoalComment."""

    class Meta(CommentForm.Meta):
        model = GoalComment
