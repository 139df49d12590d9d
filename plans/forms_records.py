"""Forms for the certifications and activities on a plan: validate and convert, nothing else."""

from typing import cast

from django import forms
from django.db.models import Prefetch, Q
from django.utils import timezone

from base.forms import bounded_text
from base.words import listed
from plans.fields import DATE_INPUT, IdChoiceField, IdMultipleChoiceField
from plans.models import EXPIRY_AFTER_EARNED, Activity, CareerPlan, PlanCertification
from skills.models import Certification, Role, Skill, add_months


def certification_choices(plan: CareerPlan) -> list:
    """The catalogue for a <select>: those recommended for the plan's current or target role first,
    each saying for which; then the rest of the plan's ladders, other ladders' by ladder, and those
    tied to no role. One list without groups when nothing is tied to a ladder."""
    roles = Role.objects.select_related("track").only("pk", "title", "track__name")
    certifications = Certification.objects.prefetch_related(Prefetch("roles", queryset=roles)).order_by(
        "name"
    )
    plan_roles = {plan.current_role_id, plan.target_role_id}
    plan_tracks = {plan.current_role.track_id, plan.target_role.track_id}
    on_plan = set(plan.certifications.values_list("certification_id", flat=True))

    def option(certification: Certification, recommended_for: list[Role]) -> tuple[int, str]:
        label = str(certification)
        if recommended_for:
            label += " · recommended for " + listed([r.title for r in recommended_for])
        return certification.pk, f"{label} — already on this plan" if certification.pk in on_plan else label

    recommended, this_ladder, untied = [], [], []
    other_ladders: dict[str, list] = {}
    for certification in certifications:
        cert_roles = sorted(certification.roles.all(), key=lambda r: (r.track.name, r.title))
        for_plan = [r for r in cert_roles if r.pk in plan_roles]
        if for_plan:
            recommended.append(option(certification, for_plan))
        elif any(r.track_id in plan_tracks for r in cert_roles):
            this_ladder.append(option(certification, []))
        elif cert_roles:
            other_ladders.setdefault(cert_roles[0].track.name, []).append(option(certification, []))
        else:
            untied.append(option(certification, []))
    blank = [("", "Choose a certification…")]
    if not (recommended or this_ladder or other_ladders):
        return blank + untied
    tracks = listed(sorted({plan.current_role.track.name, plan.target_role.track.name}))
    groups = [
        ("Recommended for this plan", recommended),
        (f"Other {tracks} certifications", this_ladder),
        *((f"Other career ladders: {track}", options) for track, options in sorted(other_ladders.items())),
        ("Other certifications", untied),
    ]
    return blank + [(label, options) for label, options in groups if options]


PURSUED = [PlanCertification.Status.PLANNED, PlanCertification.Status.IN_PROGRESS]


def for_status(statuses: list[PlanCertification.Status]) -> forms.DateInput:
    """A date input that names the statuses it is for (data-for-status)."""
    attrs = {**DATE_INPUT.attrs, "data-for-status": " ".join(statuses)}
    return forms.DateInput(attrs=attrs, format=DATE_INPUT.format)


class PlanCertificationForm(forms.ModelForm):
    """Adds a certification to a plan (``plan`` given) or edits one (the certification stays)."""

    class Meta:
        model = PlanCertification
        fields = ["certification", "status", "target_date", "earned_on", "expires_on", "note"]
        field_classes = {"certification": IdChoiceField}
        # Each date names the statuses it is for: static/js/certification-dates.js shows only
        # those, and without the script the help texts say it.
        widgets = {
            "status": forms.RadioSelect,
            "target_date": for_status(PURSUED),
            "earned_on": for_status([PlanCertification.Status.EARNED]),
            "expires_on": for_status([PlanCertification.Status.EARNED]),
        }
        labels = {"earned_on": "Earned on", "expires_on": "Expires on"}
        help_texts = {
            "target_date": "For a planned or in-progress certification: when you aim to earn it.",
            "earned_on": "For an earned certification: the day you earned it.",
            "expires_on": "For an earned certification: leave it empty to work it out from how long "
            "the certification stays valid.",
        }

    def __init__(self, *args, plan: CareerPlan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        if self.instance.pk:
            del self.fields["certification"]
        else:
            cast(forms.ChoiceField, self.fields["certification"]).choices = certification_choices(plan)
            self.fields["certification"].error_messages["required"] = "Choose the certification you want."

    def clean_certification(self) -> Certification:
        certification = self.cleaned_data["certification"]
        duplicate = PlanCertification.objects.filter(plan=self.instance.plan, certification=certification)
        if duplicate.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                f"{certification} is already on this plan: edit it there instead of adding it twice."
            )
        return certification

    def clean_earned_on(self):
        earned_on = self.cleaned_data["earned_on"]
        if earned_on and earned_on > timezone.localdate():
            raise forms.ValidationError("You can't have earned it yet: set a date that is today or earlier.")
        return earned_on

    def clean(self) -> dict:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean() returns its cleaned_data
        status, earned_on = cleaned.get("status"), cleaned.get("earned_on")
        earned_on_valid = "earned_on" in cleaned
        if status == PlanCertification.Status.EARNED:
            cleaned["target_date"] = None  # a target is for one still pursued
        if status == PlanCertification.Status.EARNED and earned_on_valid and not earned_on:
            self.add_error("earned_on", "When did you earn it? Set the date, or choose another status.")
        elif status and status != PlanCertification.Status.EARNED and earned_on:
            self.add_error(
                "earned_on", "An earned date means you hold it: set the status to Earned, or clear the date."
            )
        elif earned_on_valid:
            self._clean_expiry(cleaned)
        return cleaned

    def _clean_expiry(self, cleaned: dict) -> None:
        expires_on, earned_on = cleaned.get("expires_on"), cleaned.get("earned_on")
        renewed = (
            self.instance.pk and "earned_on" in self.changed_data and "expires_on" not in self.changed_data
        )
        if expires_on and renewed and self._expiry_was_computed():
            # The old expiry was computed from the old earned date: compute it afresh on save.
            cleaned["expires_on"] = expires_on = None
        if expires_on and not earned_on:
            self.add_error(
                "expires_on", "An expiry date needs an earned date: set both, or clear the expiry."
            )
        elif expires_on and expires_on <= earned_on:
            self.add_error("expires_on", EXPIRY_AFTER_EARNED)

    def _expiry_was_computed(self) -> bool:
        """Whether the stored expiry is the one save() computed (the instance still holds stored values)."""
        earned_on, expires_on = self.instance.earned_on, self.instance.expires_on
        months = self.instance.certification.validity_months
        return bool(earned_on and months and expires_on == add_months(earned_on, months))


def kind_choices() -> list:
    """Activity kinds grouped by the category they count towards (learning, network, visibility)."""
    return [("", "Choose a kind…")] + [
        (category.capitalize(), [(k.value, k.label) for k in Activity.Kind if k in kinds])
        for category, kinds in Activity.CATEGORIES.items()
    ]


def skill_choices(plan: CareerPlan, activity: Activity | None = None):
    """Skills the plan's current and target roles require, plus any the activity already has.

    Falls back to every skill when neither role has requirements written yet.
    """
    required = Q(requirements__role_id__in=[plan.current_role_id, plan.target_role_id])
    if not Skill.objects.filter(required).exists():
        return Skill.objects.order_by("name")
    if activity and activity.pk:
        required |= Q(pk__in=activity.skills.values("pk"))
    return Skill.objects.filter(required).distinct().order_by("name")


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "title", "date", "status", "link", "skills", "note"]
        formfield_callback = bounded_text
        field_classes = {"skills": IdMultipleChoiceField}
        widgets = {
            "date": DATE_INPUT,
            "status": forms.RadioSelect,
            "skills": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"skills": "Skills it builds", "link": "Link"}
        help_texts = {
            "date": "When it happened, or when it will.",
            "link": "Optional: the course page, the recording, your post.",
            "skills": "",
        }

    def __init__(self, *args, plan: CareerPlan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        cast(forms.ChoiceField, self.fields["kind"]).choices = kind_choices()
        cast(IdMultipleChoiceField, self.fields["skills"]).queryset = skill_choices(plan, self.instance)

    def clean(self) -> dict:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean() returns its cleaned_data
        day, status = cleaned.get("date"), cleaned.get("status")
        if day and status == Activity.Status.DONE and day > timezone.localdate():
            self.add_error(
                "date", "You can't have done it yet: set the date to today or earlier, or mark it planned."
            )
        return cleaned
