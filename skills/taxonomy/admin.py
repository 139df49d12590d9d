"""The taxonomy catalogue in the admin: searchable, read-only (the downloads are the source)."""

from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import URLPattern, reverse

from skills.ladder.writing import may_import_ladder
from skills.taxonomy.admin_draft import draft_urls
from skills.taxonomy.models import TaxonomyOccupation, TaxonomyRelation, TaxonomySkill


class ReadOnly(admin.ModelAdmin):
    """Rows change only by importing a newer download (manage.py import_taxonomy)."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class RelationInline(admin.TabularInline):
    model = TaxonomyRelation
    fk_name = "occupation"
    fields = ["skill", "kind", "importance", "level"]
    readonly_fields = ["skill", "kind", "importance", "level"]
    extra = 0
    can_delete = False
    verbose_name_plural = "Skills it needs"

    def get_queryset(self, request: HttpRequest) -> QuerySet[TaxonomyRelation]:
        return super().get_queryset(request).select_related("skill")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(TaxonomyOccupation)
class TaxonomyOccupationAdmin(ReadOnly):
    list_display = ["title", "standard", "code", "external_id", "skill_count"]
    list_filter = ["standard"]
    search_fields = ["title", "alt_labels", "code", "external_id"]
    inlines = [RelationInline]
    actions = ["draft_ladder"]

    def get_urls(self) -> list[URLPattern]:
        return draft_urls(self.admin_site) + super().get_urls()

    def has_draft_permission(self, request: HttpRequest) -> bool:
        return may_import_ladder(request.user)

    @admin.action(description="Draft a ladder from the selected occupations", permissions=["draft"])
    def draft_ladder(
        self, request: HttpRequest, queryset: QuerySet[TaxonomyOccupation]
    ) -> HttpResponseRedirect:
        chosen = list(queryset.order_by("title"))
        query = {"standard": chosen[0].standard, "occupations": "\n".join(o.external_id for o in chosen)}
        return HttpResponseRedirect(f"{reverse('admin:skills_taxonomy_draft')}?{urlencode(query)}")

    def get_queryset(self, request: HttpRequest) -> QuerySet[TaxonomyOccupation]:
        return super().get_queryset(request).annotate(skill_count=Count("relations"))

    @admin.display(description="Skills", ordering="skill_count")
    def skill_count(self, obj: TaxonomyOccupation) -> int:
        return obj.skill_count  # type: ignore[attr-defined]


@admin.register(TaxonomySkill)
class TaxonomySkillAdmin(ReadOnly):
    list_display = ["title", "standard", "skill_type", "external_id"]
    list_filter = ["standard", "skill_type"]
    search_fields = ["title", "alt_labels", "external_id"]


@admin.register(TaxonomyRelation)
class TaxonomyRelationAdmin(ReadOnly):
    list_display = ["occupation", "skill", "kind", "importance", "level"]
    list_filter = ["occupation__standard", "kind"]
    list_select_related = ["occupation", "skill"]
    search_fields = ["occupation__title", "occupation__external_id", "skill__title"]
