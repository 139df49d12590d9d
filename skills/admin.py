"""The admin where editors curate the career framework.

Built so an editor needs no training: a track shows its ladder, a role shows everything that
defines it (requirements, next steps, certifications), related rows are picked by typing
(autocomplete), slugs fill themselves in, and "Save as new" clones a role with its rows.
Changelists annotate their counts so they cost the same few queries at any size.

Here: one ModelAdmin per model. Their forms are in skills.admin_forms, the rows edited inside
another's page in skills.admin_inlines, the ladder file's upload, preview and apply in
skills.admin_import.
"""

from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from skills.admin_forms import GoalTemplateForm, LearningResourceForm, RoleSkillForm, TransitionForm
from skills.admin_import import ladder_import_urls
from skills.admin_inlines import (
    LearningResourceInline,
    RecommendedCertificationInline,
    RequirementInline,
    RoleInline,
    TransitionOutInline,
)
from skills.ladder import dump_ladder, export_ladder
from skills.ladder.writing import may_import_ladder
from skills.models import (
    Certification,
    GoalTemplate,
    Industry,
    LearningResource,
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


def source_fieldset(what: str) -> tuple[str, Any]:
    """The admin's section for a ladder entry's standard id (skills.sources)."""
    return (
        "Source",
        {
            "fields": [("standard", "external_id")],
            "description": f"The public standard this {what} is taken from, and its id there (both or "
            "neither). A ladder file naming the same id then meets this entry, and its public "
            "pages give the standard's attribution.",
        },
    )


class PickedByName(admin.ModelAdmin):
    """A model other pages pick by typing (autocomplete_fields). search_fields serve two boxes: the
    list's search, which finds a row by anything it says (a skill by its description), and those
    pickers, which show only the row's name, where a match in the description reads as a wrong
    answer (typing "Requirements" offered "Go-to-market"). The pickers search ``name_fields``."""

    name_fields: list[str]

    def get_search_fields(self, request):
        match = request.resolver_match
        if match is not None and match.view_name == f"{self.admin_site.name}:autocomplete":
            return self.name_fields
        return super().get_search_fields(request)


@admin.register(Track)
class TrackAdmin(PickedByName):
    # Explicit: querysets with an aggregate annotation drop Meta.ordering.
    ordering = ["name"]
    list_display = ["name", "slug", "role_count"]
    search_fields = ["name", "slug", "description"]
    name_fields = ["name"]
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
class IndustryAdmin(PickedByName):
    # Explicit: querysets with an aggregate annotation drop Meta.ordering.
    ordering = ["name"]
    list_display = ["name", "slug", "role_count"]
    search_fields = ["name", "slug"]
    name_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(role_count=Count("roles"))

    @admin.display(description="roles", ordering="role_count")
    def role_count(self, industry: "WithAnnotations[Industry, RoleCount]") -> int:
        return industry.role_count


@admin.register(Role)
class RoleAdmin(PickedByName):
    # Explicit: querysets with an aggregate annotation drop Meta.ordering.
    ordering = ["track__name", "level", "title"]
    list_display = ["title", "track", "level", "is_entry_point", "requirement_count"]
    list_display_links = ["title"]
    list_select_related = ["track"]
    list_filter = ["track", "level", "is_entry_point", "industries"]
    search_fields = ["title", "slug", "summary", "track__name", "external_id"]
    name_fields = ["title"]
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
        source_fieldset("role"),
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
class SkillAdmin(PickedByName):
    # Explicit: querysets with an aggregate annotation drop Meta.ordering.
    ordering = ["name"]
    list_display = ["name", "category", "standard", "role_count"]
    list_filter = ["category", "standard"]
    search_fields = ["name", "slug", "description", "external_id"]
    name_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [(None, {"fields": ["name", "slug", "category", "description"]}), source_fieldset("skill")]
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
class CertificationAdmin(PickedByName):
    # Explicit: querysets with an aggregate annotation drop Meta.ordering.
    ordering = ["name"]
    list_display = ["name", "abbreviation", "issuer", "validity", "role_count"]
    list_filter = ["issuer"]
    search_fields = ["name", "abbreviation", "issuer", "external_id"]
    name_fields = ["name", "abbreviation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["roles"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": [("name", "abbreviation"), "slug", "issuer", "url"]}),
        ("Details", {"fields": ["description", "validity_months"]}),
        ("Recommended for", {"fields": ["roles"]}),
        source_fieldset("certification"),
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
        "kind",
        "level",
        "skill__category",
        ("skill", admin.RelatedOnlyFieldListFilter),
        "industries",
    ]
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


from skills.taxonomy import admin as taxonomy_admin  # noqa: E402, F401
