import json
from typing import cast

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html

from base.forms import bounded_text
from base.params import parse_id
from plans.fields import DATE_INPUT, IdChoiceField, RoleChoiceField
from plans.models import CareerPlan
from skills.models import Industry, Proficiency, Role, Skill, Transition


def role_choices():
    return Role.objects.select_related("track").order_by("track__name", "level", "title")


def roles_first(field: RoleChoiceField, label: str, first: set[int]) -> None:
    """Show the field's roles in two groups: those in ``first`` under ``label``, then the rest.
    Only the display changes: the queryset still decides what is valid."""
    assert field.queryset is not None  # a ModelChoiceField is built with one
    roles = list(field.queryset)
    groups = [
        (label, [r for r in roles if r.pk in first]),
        ("Other roles", [r for r in roles if r.pk not in first]),
    ]
    field.choices = [("", field.empty_label)] + [
        (label, [(role.pk, field.label_from_instance(role)) for role in group])
        for label, group in groups
        if group
    ]


def industry_first(field: RoleChoiceField, industry: Industry) -> None:
    """The roles common in ``industry`` first, then the rest. One query for the tags."""
    roles_first(field, f"Common in {industry.name}", set(industry.roles.values_list("pk", flat=True)))


class PlanForm(forms.ModelForm):
    current_role = RoleChoiceField(
        queryset=role_choices(), help_text="The role you have now, or the closest one."
    )
    target_role = RoleChoiceField(queryset=role_choices(), help_text="The role you want next.")
    industry = IdChoiceField(
        queryset=Industry.objects.all(),
        required=False,
        empty_label="No particular industry",
        help_text="Optional: the roles, example goals and learning resources common in it come first.",
    )
    change_reason = forms.CharField(
        label="Why the change?",
        required=False,
        max_length=100,
        help_text="Optional: kept in the plan's history, e.g. “Reorg opened a Group PM role”.",
    )

    class Meta:
        model = CareerPlan
        fields = ["title", "current_role", "target_role", "industry", "target_date", "vision"]
        formfield_callback = bounded_text
        widgets = {
            "target_date": DATE_INPUT,
            "vision": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"target_date": "When you want to be there."}

    rename_title = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("current_role", "target_role"):
            cast(RoleChoiceField, self.fields[name]).queryset = role_choices()
            self.fields[name].widget.attrs["data-role-picker"] = "1"
        if industry := self._industry():
            industry_first(cast(RoleChoiceField, self.fields["target_role"]), industry)
        if self.instance.pk is None:
            del self.fields["change_reason"]
            self._title_follows_target()
            self._sources_first()
        if self.instance.pk is None or not self.instance.has_suggested_title():
            del self.fields["rename_title"]  # the person wrote the title: never offer to change it
        else:
            self._offer_rename()

    def _suggested_titles(self) -> dict[str, str]:
        """The title CareerPlan.suggested_title writes for each role the target select offers, by id."""
        targets = cast(RoleChoiceField, self.fields["target_role"]).queryset
        assert targets is not None  # a ModelChoiceField is built with one
        return {str(role.pk): CareerPlan.suggested_title(role) for role in targets}

    def _title_follows_target(self) -> None:
        """A new plan's title follows its target role until the person types one: a title posted as
        the form suggested it (the hidden ``suggested_title`` says what that was) is the suggestion
        for the target role posted with it; a blank title is still refused. Done on the data, so a form shown again
        with errors names the right role too. static/js/plan-title.js does the same as the select
        changes."""
        self.fields["suggested_title"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.fields["suggested_title"].initial = self.initial.get("title", "")
        self.fields["title"].help_text = "Named after the target role until you type a title of your own."
        titles = self._suggested_titles()
        self.fields["title"].widget.attrs["data-suggested-titles"] = json.dumps(titles)
        if not self.is_bound:
            return
        title, suggested = (
            str(self.data.get(self.add_prefix(n)) or "").strip() for n in ("title", "suggested_title")
        )
        target_title = titles.get(str(self.data.get(self.add_prefix("target_role")) or ""))
        if target_title and title and title == suggested:
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            data[self.add_prefix("title")] = data[self.add_prefix("suggested_title")] = target_title
            self.data = data

    def _sources_first(self) -> None:
        """On a new plan whose current role is not known yet, the roles that lead to the target
        come first among the current roles: the person most likely holds one of them. One query."""
        target_pk = parse_id(str(self["target_role"].value() or ""))
        if self["current_role"].value() or target_pk is None:
            return
        moves = list(Transition.objects.filter(to_role_id=target_pk).select_related("to_role"))
        if moves:
            label = f"Roles that lead to {moves[0].to_role.title}"
            roles_first(
                cast(RoleChoiceField, self.fields["current_role"]), label, {t.from_role_id for t in moves}
            )

    def _industry(self) -> Industry | None:
        """The industry the form shows (the one posted, else the plan's): its roles lead the targets."""
        pk = parse_id(str(self["industry"].value() or ""))
        industries = cast(IdChoiceField, self.fields["industry"]).queryset
        assert industries is not None  # a ModelChoiceField is built with one
        return industries.filter(pk=pk).first() if pk is not None else None

    def _offer_rename(self) -> None:
        """The offer "Rename to “Become a …”", ticked when the title follows the stored target role; left
        unticked when it already names an earlier one (the person may have kept it on purpose).
        The label names the role the form shows; static/js/plan-title.js follows the select."""
        field = self.fields["rename_title"]
        titles = self._suggested_titles()
        current = titles.get(str(self.instance.target_role_id))
        field.initial = self.instance.title == current
        shown = titles.get(str(self["target_role"].value()))
        if shown and shown != self.instance.title:
            field.label = format_html("Rename to “{}”", shown)
        else:
            field.label = "Rename the plan to match the target role, if you change it"
        # crispy renders help texts unescaped, and the title is the person's text.
        field.help_text = format_html(
            "CareerPath suggested “{}”; a title you type above is kept instead.", self.instance.title
        )
        field.widget.attrs.update(
            {"data-suggested-titles": json.dumps(titles), "data-title-now": self.instance.title}
        )
        names = [name for name in self.fields if name != "rename_title"]
        names.insert(names.index("target_role") + 1, "rename_title")
        self.order_fields(names)

    def clean_target_date(self):
        target_date = self.cleaned_data["target_date"]
        changed = self.instance.pk is None or "target_date" in self.changed_data
        if target_date and changed and target_date <= timezone.localdate():
            raise forms.ValidationError("The target date has to be in the future.")
        return target_date

    def clean(self):
        cleaned = super().clean()
        current, target = cleaned.get("current_role"), cleaned.get("target_role")
        if current and target and current == target:
            self.add_error(
                "target_role", "Your target is the role you already have: pick the role you want next."
            )
        # A rename the person accepted, unless they typed a title of their own in the same save.
        if target and cleaned.get("rename_title") and "title" not in self.changed_data:
            cleaned["title"] = CareerPlan.suggested_title(target)
        return cleaned


class AssessmentForm(forms.Form):
    """One field pair (level, note) per skill; blank level means "not assessed yet". The skills in
    ``counted`` (the target role's requirements, the ones the gap is made of) are listed apart from
    the rest of the path's, which are optional."""

    LEVEL_CHOICES = [("", "Not assessed"), *[(str(v), f"{v} · {label}") for v, label in Proficiency.choices]]

    def __init__(
        self, *args, skills: list[Skill], latest: dict, counted: set[int] | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.skills = skills
        self.counted = {skill.pk for skill in skills} if counted is None else counted
        for skill in skills:
            current = latest.get(skill.pk)
            self.fields[f"level_{skill.pk}"] = forms.TypedChoiceField(
                label=skill.name,
                choices=self.LEVEL_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=current.level if current else "",
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{skill.pk}"] = forms.CharField(
                label=f"Note on {skill.name}",
                required=False,
                max_length=300,
                initial=current.note if current else "",
            )

    def rows(self, counted: bool = True):
        """(skill, level field, note field) of the counted skills (``counted=False``: the others),
        grouped as [("Hard skills", rows), ("Soft skills", rows)]."""
        groups = []
        for category, title in Skill.Category.choices:
            rows = [
                (skill, self[f"level_{skill.pk}"], self[f"note_{skill.pk}"])
                for skill in self.skills
                if skill.category == category and (skill.pk in self.counted) == counted
            ]
            if rows:
                groups.append((title + "s", rows))
        return groups

    def other_rows(self):
        return self.rows(counted=False)

    def others_count(self) -> int:
        return sum(1 for skill in self.skills if skill.pk not in self.counted)

    def others_have_errors(self) -> bool:
        others = [skill.pk for skill in self.skills if skill.pk not in self.counted]
        return any(f"{kind}_{pk}" in self.errors for pk in others for kind in ("level", "note"))

    def values(self) -> dict[int, tuple[int | None, str]]:
        return {
            skill.pk: (self.cleaned_data[f"level_{skill.pk}"], self.cleaned_data[f"note_{skill.pk}"].strip())
            for skill in self.skills
        }
