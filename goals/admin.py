from django import forms
from django.contrib import admin

from goals import services
from goals.forms import require_achievable
from goals.models import (
    CalendarFeed,
    CheckIn,
    Goal,
    GoalComment,
    Milestone,
    ReminderDelivery,
    ReminderSettings,
)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class CheckInInline(admin.TabularInline):
    model = CheckIn
    extra = 0
    fields = ["checked_on", "value", "note"]


class GoalAdminForm(forms.ModelForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        assert cleaned is not None  # a form's clean() returns its cleaned_data
        require_achievable(self)  # the goal form's rule: a plan of attack, or "later"
        return cleaned


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    form = GoalAdminForm
    list_display = ["title", "plan", "status", "deadline", "reminder_cadence", "next_reminder_at"]
    list_select_related = ["plan"]
    list_filter = ["status", "reminder_cadence", "attack_later"]
    search_fields = ["title", "plan__title", "plan__owner__email"]
    raw_id_fields = ["plan", "template"]
    autocomplete_fields = ["skill", "certification", "role"]
    inlines = [MilestoneInline, CheckInInline]
    date_hierarchy = "deadline"
    readonly_fields = ["next_reminder_at"]

    def save_model(self, request, obj: Goal, form, change: bool) -> None:
        # Reminder times come from the one slot rule here too, on the same occasions as goal_save.
        if (
            not change
            or obj.next_reminder_at is None
            or {"status", "reminder_cadence", "plan"} & set(form.changed_data)
        ):
            obj.schedule_next_reminder()
        super().save_model(request, obj, form, change)


@admin.register(GoalComment)
class GoalCommentAdmin(admin.ModelAdmin):
    list_display = ["goal", "author", "created_at"]
    list_select_related = ["goal", "author"]
    search_fields = ["body", "goal__title", "author__email"]
    raw_id_fields = ["goal", "author"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["token"]


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "timezone",
        "weekday",
        "hour",
        "default_cadence",
        "paused_until",
        "unsubscribed_at",
    ]
    list_select_related = ["user"]
    list_filter = ["weekday", "hour", "default_cadence"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["unsubscribed_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [*self.readonly_fields, "user"] if obj else self.readonly_fields

    def save_model(self, request, obj: ReminderSettings, form, change: bool) -> None:
        # Through the service, so the person's goals move to the new slot as from their own page.
        saved = services.reminder_settings_save(
            user=obj.user,
            timezone=obj.timezone,
            hour=obj.hour,
            weekday=obj.weekday,
            default_cadence=obj.default_cadence,
            paused_until=obj.paused_until,
            mentor_digest=obj.mentor_digest,
        )
        obj.pk, obj.updated_at = saved.pk, saved.updated_at


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    """What was sent, when, to whom, and what failed: read-only, the sweep writes these."""

    list_display = ["user", "period", "status", "goal_count", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "period"]
    search_fields = ["user__email", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    readonly_fields = [f.name for f in ReminderDelivery._meta.fields]

    @admin.display(description="goals due")
    def goal_count(self, delivery: ReminderDelivery) -> int:
        return len(delivery.goal_ids)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
