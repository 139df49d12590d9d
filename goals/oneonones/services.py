"""Writes on 1:1s that span rows or reach the plan: making a 1:1 with its suggested talking points,
and turning an action item into a goal or an activity on the owner's plan.

An action item goes onto the plan through the plan's own forms and services (goals.forms.GoalForm
and goals.services.goal_save; plans.forms_records.ActivityForm and plans.services.activity_save), so
a goal made here meets every goal rule (a deadline after its start, "I'll work out how later" for a
plan of attack not written yet) and nothing is checked twice in two ways.
"""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from goals.forms import GoalForm
from goals.models import Goal, ReminderSettings
from goals.oneonones.models import ActionItem, OneOnOne, TalkingPoint
from goals.oneonones.suggestions import suggested_points
from goals.services import goal_save
from plans.forms_records import ActivityForm
from plans.models import Activity
from plans.services import activity_save


class ActionItemRefused(Exception):
    """The item cannot go onto the plan as it stands (its due date has passed, say): the message
    says why, in the words of the plan's own form."""


@transaction.atomic
def one_on_one_create(*, one_on_one: OneOnOne, user: User, today: date) -> OneOnOne:
    """Save a new 1:1 started by ``user`` (either side of its share), with the talking points the
    plan suggests."""
    one_on_one.started_by = one_on_one.side_of(user)
    one_on_one.save()
    TalkingPoint.objects.bulk_create(
        TalkingPoint(
            one_on_one=one_on_one, text=text[:300], side=one_on_one.started_by, author=user, suggested=True
        )
        for text in suggested_points(one_on_one.plan, user_id=user.pk, today=today)
    )
    return one_on_one


@transaction.atomic
def action_item_convert(*, item: ActionItem, user: User) -> ActionItem:
    """The owner puts the item on their plan at once; the mentor proposes it, and it waits for the
    owner's confirmation (action_item_confirm)."""
    if item.one_on_one.is_owned_by(user):
        return _put_on_plan(item)
    # Conditional update: a proposal only moves an open item, never one already decided.
    ActionItem.objects.filter(pk=item.pk, status=ActionItem.Status.OPEN).update(
        status=ActionItem.Status.PROPOSED
    )
    item.refresh_from_db()
    return item


@transaction.atomic
def action_item_confirm(*, item: ActionItem) -> ActionItem:
    """The owner accepts what the mentor proposed: it goes onto the plan."""
    return _put_on_plan(item)


@transaction.atomic
def action_item_decline(*, item: ActionItem) -> ActionItem:
    ActionItem.objects.filter(pk=item.pk, status__in=ActionItem.OPEN_STATUSES).update(
        status=ActionItem.Status.DECLINED, decided_at=timezone.now()
    )
    item.refresh_from_db()
    return item


def _put_on_plan(item: ActionItem) -> ActionItem:
    # Conditional update: of two submits at once (a double click, two tabs), only one claims the
    # item, so it becomes one goal, never two. A refusal below rolls the claim back.
    claimed = ActionItem.objects.filter(pk=item.pk, status__in=ActionItem.OPEN_STATUSES).update(
        status=ActionItem.Status.DONE, decided_at=timezone.now()
    )
    if claimed:
        if item.becomes == ActionItem.Becomes.GOAL:
            ActionItem.objects.filter(pk=item.pk).update(goal=_goal_from(item))
        else:
            ActionItem.objects.filter(pk=item.pk).update(activity=_activity_from(item))
    item.refresh_from_db()
    return item


def _origin(item: ActionItem) -> str:
    day = timezone.localtime(item.one_on_one.starts_at).date()
    return f"Agreed at the 1:1 on {day.day} {day:%b %Y}."


def _goal_from(item: ActionItem) -> Goal:
    plan = item.one_on_one.plan
    data = {
        "title": item.text,
        "description": "",
        "metric": "Done",
        "unit": "step",
        "baseline": "0",
        "target": "1",
        "plan_of_attack": "",
        # Achievable: how is for the owner to write; the goal page and the digest ask for it.
        "attack_later": "on",
        "relevance": _origin(item),
        "start_date": timezone.localdate().isoformat(),
        "deadline": item.due_on.isoformat(),
        "reminder_cadence": ReminderSettings.for_user(plan.owner).default_cadence,
    }
    form = GoalForm(data, plan=plan)
    if not form.is_valid():
        raise ActionItemRefused(_refusal(item, "a goal", form.errors))
    return goal_save(goal=form.save(commit=False))


def _activity_from(item: ActionItem) -> Activity:
    plan = item.one_on_one.plan
    data = {
        "kind": item.activity_kind,
        "title": item.text,
        "date": item.due_on.isoformat(),
        "status": Activity.Status.PLANNED,
        "link": "",
        "note": _origin(item),
    }
    form = ActivityForm(data, plan=plan)
    if not form.is_valid():
        raise ActionItemRefused(_refusal(item, "an activity", form.errors))
    return activity_save(activity=form.save(commit=False), skills=[])


def _refusal(item: ActionItem, what: str, errors) -> str:
    reasons = " ".join(str(message) for messages in errors.values() for message in messages)
    return f"“{item.text}” can't become {what} yet: {reasons} Add it from the plan instead, or decline it."
