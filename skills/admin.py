"""The admin where editors curate the career framework.

Built so an editor needs no training: a track shows its ladder, a role shows everything that
defines it (requirements, next steps, certifications), related rows are picked by typing
(autocomplete), slugs fill themselves in, and "Save as new" clones a role with its rows.
Changelists annotate their counts so they cost the same few queries at any size.
"""

from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from skills.admin_import import ladder_import_urls
from skills.ladder import dump_ladder, export_ladder
from skills.ladder.writing import may_import_ladder
from skills.models import (
    PROFICIENCY_DESCRIPTIONS,
    SHORT_TERM_MONTHS,
    Certification,
    GoalTemplate,
    Horizon,
    Industry,
    LearningResource,
    Proficiency,
    Role,
    RoleSkill,
    Skill,
    Track,
    Transition,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class RoleCount(TypedDict):
    """What a changelist's get_queryset annotates, for the column that shows it."""

    role_count: int


class RequirementCount(TypedDict):
    requirement_count: int


PROFICIENCY_HELP = " ".join(
    f"{level.value} {level.label}: {PROFICIENCY_DESCRIPTIONS[level.value]}" for level in Proficiency
)


# --- Forms: turn constraint violations into sentences an editor understands ----------


class TransitionForm(forms.ModelForm):
    class Meta:
        model = Transition
        fields = ["from_role", "to_role", "note"]

    def clean(self):
        cleaned = super().clean()
        from_role, to_role = cleaned.get("from_role"), cleaned.get("to_role")
        if from_role and to_role and from_role.pk is not None and from_role.pk == to_role.pk:
            # On the field, so the model's check constraint is skipped instead of repeating it.
            self.add_error("to_role", "A role cannot lead to itself: choose a different next role.")
        return cleaned


class RoleSkillForm(forms.ModelForm):
    class Meta:
        model = RoleSkill
        fields = ["role", "skill", "level"]
        help_texts = {"level": PROFICIENCY_HELP}


class LearningResourceForm(forms.ModelForm):
    class Meta:
        model = LearningResource
        fields = ["skill", "title", "slug", "kind", "level", "provider", "url", "hours", "industries"]
        help_texts = {
            "level": "People below this level, whose target role asks for at least this much, see it "
            f"beside their gap. {PROFICIENCY_HELP}"
        }


class GoalTemplateForm(forms.ModelForm):
    class Meta:
        model = GoalTemplate
        fields = [
            "track", "title", "slug", "description", "metric", "unit", "baseline", "target",
            "horizon", "duration_months", "skill", "certification", "role", "industries",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        baseline, target = cleaned.get("baseline"), cleaned.get("target")
        if baseline is not None and target is not None and baseline == target:
            self.add_error(
                "target", "The target must differ from the baseline, or there is nothing to measure."
            )
        horizon, months = cleaned.get("horizon"), cleaned.get("duration_months")
        if horizon and months is not None and Horizon.for_months(months) != horizon:
            self.add_error("duration_months", self.HORIZON_MISMATCH[horizon])
        return cleaned

    HORIZON_MISMATCH = {
        Horizon.SHORT: f"A short-term goal lasts at most {SHORT_TERM_MONTHS} months; choose long-term instead.",
        Horizon.LONG: f"A long-term goal lasts more than {SHORT_TERM_MONTHS} months; choose short-term instead.",
    }


# --- Inlines ------------------------------------------------------------------------------

# The many-to-many tables Django creates have no model of ours to carry a __str__, so an inline row
# or a deletion summary read "Certification_roles object (3)". Name them for what they mean.
# (Any: mypy knows the tables Django builds only as Model, whose __str__ it will not let us replace.)
certification_roles: Any = Certification.roles.through
certification_roles.__str__ = lambda link: f"{link.certification} recommended for {link.role}"
role_industries: Any = Role.industries.through
role_industries.__str__ = lambda link: f"{link.role} in {link.industry}"


class RoleInline(admin.TabularInline):
    """A track's ladder, bottom rung first."""

    model = Role
    fields = ["title", "slug", "level", "is_entry_point"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["level", "title"]
    show_change_link = True
    extra = 0


class RequirementInline(admin.TabularInline):
    model = RoleSkill
    form = RoleSkillForm
    fields = ["skill", "level"]
    autocomplete_fields = ["skill"]
    ordering = ["-level", "skill__name"]
    extra = 1
    verbose_name = "skill requirement"
    verbose_name_plural = "skill requirements"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("skill")


class TransitionOutInline(admin.TabularInline):
    model = Transition
    form = TransitionForm
    fk_name = "from_role"
    fields = ["to_role", "note"]
    autocomplete_fields = ["to_role"]
    extra = 0
    verbose_name = "next role"
    verbose_name_plural = "next roles (transitions out of this role)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("to_role")


class RecommendedCertificationInline(admin.TabularInline):
    model = Certification.roles.through
    autocomplete_fields = ["certification"]
    extra = 0
    verbose_name = "recommended certification"
    verbose_name_plural = "recommended certifications"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("certification")


class LearningResourceInline(admin.TabularInline):
    """A skill's resources, lowest level first: what someone on the way up reads, takes or joins."""

    model = LearningResource
    form = LearningResourceForm
    fields = ["title", "slug", "kind", "level", "provider", "url", "hours"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    ordering = ["level", "title"]
    extra = 0
    verbose_name_plural = "learning resources (books, courses, communities… that help reach a level)"


# --- Model admins ---------------------------------------------------------------------------


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    # Explicit: querysets with an aggregate annotation drop Meta.ordering.
    ordering = ["name"]
    list_display = ["name", "slug", "role_count"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description"]
    inlines = [RoleInline]
    actions = ["export_ladder_file"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(role_count=Count("roles"))

    def get_urls(self):
        # First: the model's "<object_id>/" pattern would take "import/" for a track's id.
        return ladder_import_urls(self.admin_site) + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        # "Import a ladder file" among the object tools (templates/admin/skills/track/change_list.html).
        extra_context = {"may_import_ladder": may_import_ladder(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.action(description="Export selected tracks as a ladder file", permissions=["view"])
    def export_ladder_file(self, request, queryset) -> HttpResponse:
        """The same file `manage.py export_ladder` writes, ready for `import_ladder` elsewhere."""
        slugs = sorted(queryset.values_list("slug", flat=True))
        name = "_".join(slugs) if len("_".join(slugs)) <= 100 else f"{len(slugs)}-tracks"
        response = HttpResponse(
            dump_ladder(export_ladder(queryset), "json"), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="ladder-{name}.json"'
        return response

    @admin.display(description="roles", ordering="role_count")
    def role_count(self, track: "WithAnnotations[Track, RoleCount]") -> int:
        return track.role_count


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    # Explicit: querysets with an aggregate annotation drop Meta.ordering.
    ordering = ["name"]
    list_display = ["name", "slug", "role_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(role_count=Count("roles"))

    @admin.display(description="roles", ordering="role_count")
    def role_count(self, industry: "WithAnnotations[Industry, RoleCount]") -> int:
        return industry.role_count


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    # Explicit: querysets with an aggregate annotation drop Meta.ordering.
    ordering = ["track__name", "level", "title"]
    list_display = ["title", "track", "level", "is_entry_point", "requirement_count"]
    list_display_links = ["title"]
    list_select_related = ["track"]
    list_filter = ["track", "level", "is_entry_point", "industries"]
    search_fields = ["title", "slug", "summary", "track__name"]
    autocomplete_fields = ["track", "industries"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["reached_from"]
    save_as = True
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["track", ("title", "slug"), ("level", "is_entry_point")]}),
        ("What the role does", {"fields": ["summary", "responsibilities"]}),
        (
            "Where it sits",
            {
                "fields": ["industries", "reached_from"],
                "description": "Industries where the role is common, and the roles that lead here "
                "(edit those on the earlier role's page, under “next roles”).",
            },
        ),
    ]
    inlines = [RequirementInline, TransitionOutInline, RecommendedCertificationInline]

    def get_queryset(self, request):
        # distinct: the industries filter joins a many-to-many table, which would repeat requirements.
        return super().get_queryset(request).annotate(requirement_count=Count("requirements", distinct=True))

    @admin.display(description="requirements", ordering="requirement_count")
    def requirement_count(self, role: "WithAnnotations[Role, RequirementCount]") -> int:
        return role.requirement_count

    @admin.display(description="reached from")
    def reached_from(self, role: Role) -> str:
        if role.pk is None:
            return "—"
        previous = role.previous_roles.select_related("track").order_by("level", "title")
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:skills_role_change", args=[r.pk]), f"{r.title} ({r.track})") for r in previous),
        )
        return links or "— (no role leads here yet)"


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    form = TransitionForm
    list_display = ["from_role", "to_role", "track", "note"]
    list_select_related = ["from_role__track", "to_role"]
    list_filter = [("from_role__track", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["from_role__title", "to_role__title", "note"]
    autocomplete_fields = ["from_role", "to_role"]

    @admin.display(description="track", ordering="from_role__track__name")
    def track(self, transition: Transition) -> Track:
        return transition.from_role.track


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    # Explicit: querysets with an aggregate annotation drop Meta.ordering.
    ordering = ["name"]
    list_display = ["name", "category", "role_count"]
    list_filter = ["category"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "category", "description"]
    inlines = [LearningResourceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(role_count=Count("requirements"))

    @admin.display(description="roles requiring it", ordering="role_count")
    def role_count(self, skill: "WithAnnotations[Skill, RoleCount]") -> int:
        return skill.role_count


@admin.register(RoleSkill)
class RoleSkillAdmin(SimpleHistoryAdmin):
    """Every requirement in one list, to answer "which roles need X at Advanced or above?".
    "History" lists each level change, as plans see it (skills.history)."""

    form = RoleSkillForm
    list_display = ["role", "track", "skill", "level"]
    list_select_related = ["role__track", "skill"]
    list_filter = ["level", "skill__category", ("role__track", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["role__title", "skill__name"]
    autocomplete_fields = ["role", "skill"]

    @admin.display(description="track", ordering="role__track__name")
    def track(self, requirement: RoleSkill) -> Track:
        return requirement.role.track


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    # Explicit: querysets with an aggregate annotation drop Meta.ordering.
    ordering = ["name"]
    list_display = ["name", "abbreviation", "issuer", "validity", "role_count"]
    list_filter = ["issuer"]
    search_fields = ["name", "abbreviation", "issuer"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["roles"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": [("name", "abbreviation"), "slug", "issuer", "url"]}),
        ("Details", {"fields": ["description", "validity_months"]}),
        ("Recommended for", {"fields": ["roles"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(role_count=Count("roles"))

    @admin.display(description="validity", ordering="validity_months")
    def validity(self, certification: Certification) -> str:
        months = certification.validity_months
        return f"{months} months" if months else "never expires"

    @admin.display(description="recommended for", ordering="role_count")
    def role_count(self, certification: "WithAnnotations[Certification, RoleCount]") -> str:
        count = certification.role_count
        return f"{count} role{'s' if count != 1 else ''}"


@admin.register(LearningResource)
class LearningResourceAdmin(admin.ModelAdmin):
    """Every resource in one list, to answer "what do we suggest for data analytics at level 3?"."""

    form = LearningResourceForm
    list_display = ["title", "kind", "skill", "level", "provider", "hours"]
    list_select_related = ["skill"]
    list_filter = [
        "kind", "level", "skill__category", ("skill", admin.RelatedOnlyFieldListFilter), "industries",
    ]  # fmt: skip
    search_fields = ["title", "slug", "provider", "skill__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["skill", "industries"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["skill", "title", "slug", ("kind", "level")]}),
        ("Where to find it", {"fields": ["provider", "url", "hours"]}),
        (
            "Industries",
            {
                "fields": ["industries"],
                "description": "Leave empty when it serves every industry; a plan naming one of "
                "these shows it first.",
            },
        ),
    ]


@admin.register(GoalTemplate)
class GoalTemplateAdmin(admin.ModelAdmin):
    form = GoalTemplateForm
    list_display = ["title", "horizon", "track", "metric", "duration_months"]
    list_select_related = ["track"]
    list_filter = ["horizon", "track", "industries"]
    search_fields = ["title", "description", "metric"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["track", "skill", "certification", "role", "industries"]
    fieldsets = [
        ("Specific: what the goal is", {"fields": ["track", "title", "slug", "description"]}),
        ("Measurable: how progress is counted", {"fields": ["metric", "unit", ("baseline", "target")]}),
        ("Time-bound", {"fields": ["horizon", "duration_months"]}),
        (
            "Relevant: what it serves",
            {
                "fields": ["skill", "certification", "role"],
                "description": "Link the skill, certification or role this goal builds towards.",
            },
        ),
        (
            "Industries",
            {
                "fields": ["industries"],
                "description": "Leave empty when it suits every industry; a plan naming one of "
                "these offers it first.",
            },
        ),
    ]
