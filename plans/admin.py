from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.sharing.models import Comment, Share


class PlanCertificationInline(admin.TabularInline):
    model = PlanCertification
    extra = 0
    autocomplete_fields = ["certification"]


class ShareInline(admin.TabularInline):
    model = Share
    extra = 0
    fields = ["email", "user", "accepted_at", "created_at"]
    readonly_fields = ["user", "accepted_at", "created_at"]


@admin.register(CareerPlan)
class CareerPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "owner", "current_role", "target_role", "status", "is_primary", "created_at"]
    list_filter = ["status", "is_primary", "target_role__track"]
    list_select_related = ["owner", "current_role", "target_role"]
    search_fields = ["title", "owner__email"]
    autocomplete_fields = ["owner", "current_role", "target_role"]
    inlines = [PlanCertificationInline, ShareInline]
    date_hierarchy = "created_at"


@admin.register(SkillAssessment)
class SkillAssessmentAdmin(admin.ModelAdmin):
    list_display = ["plan", "skill", "level", "assessed_at"]
    list_select_related = ["plan", "skill"]
    list_filter = ["level"]
    search_fields = ["plan__title", "plan__owner__email", "skill__name"]
    raw_id_fields = ["plan"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "status", "plan"]
    list_select_related = ["plan"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "plan__title", "plan__owner__email"]
    raw_id_fields = ["plan"]
    filter_horizontal = ["skills"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["plan", "author", "created_at"]
    list_select_related = ["plan", "author"]
    search_fields = ["body", "plan__title", "author__email"]
    raw_id_fields = ["plan", "author"]
