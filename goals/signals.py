"""Writes to goals move their plan's version (base.versions), so the plan page never answers
304 or serves a cached fragment for goals that changed."""

from django.db.models.signals import post_delete, post_save

from base import versions
from goals.models import CheckIn, Goal, GoalComment, Milestone


def goal_changed(sender, instance, **kwargs) -> None:
    versions.bump(versions.plan(instance.plan_id))


def goal_part_changed(sender, instance, **kwargs) -> None:
    goal = instance._state.fields_cache.get("goal")
    plan_id = (
        goal.plan_id
        if goal
        else Goal.objects.filter(pk=instance.goal_id).values_list("plan_id", flat=True).first()
    )
    if plan_id is not None:
        versions.bump(versions.plan(plan_id))


def connect() -> None:
    post_save.connect(goal_changed, sender=Goal, dispatch_uid="goal-save")
    post_delete.connect(goal_changed, sender=Goal, dispatch_uid="goal-delete")
    for model in (CheckIn, Milestone, GoalComment):
        post_save.connect(goal_part_changed, sender=model, dispatch_uid=f"goal-part-save-{model.__name__}")
        post_delete.connect(
            goal_part_changed, sender=model, dispatch_uid=f"goal-part-delete-{model.__name__}"
        )
