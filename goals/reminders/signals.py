"""Whoever makes a plan gets a next nudge (ReminderNudge), so the sweep finds every person with a
plan by one index range scan, whether or not they ever saved reminder settings."""

from django.db.models.signals import post_save

from goals.reminders.models import ReminderNudge
from plans.models import CareerPlan


def plan_saved(sender, instance: CareerPlan, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        ReminderNudge.start(instance.owner)


def connect() -> None:
    post_save.connect(plan_saved, sender=CareerPlan, dispatch_uid="reminder-nudge-for-plan-owner")
