from django.contrib import admin

from goals.models import CalendarFeed, CheckIn, Goal, Milestone


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class CheckInInline(admin.TabularInline):
    model = CheckIn
    extra = 0
    fields = ["checked_on", "value", "note"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "status", "deadline", "reminder_cadence", "next_reminder_at"]
    list_select_related = ["plan"]
    list_filter = ["status", "reminder_cadence"]
    search_fields = ["title", "plan__title", "plan__owner__email"]
    raw_id_fields = ["plan", "template"]
    autocomplete_fields = ["skill", "certification", "role"]
    inlines = [MilestoneInline, CheckInInline]
    date_hierarchy = "deadline"


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["token"]
