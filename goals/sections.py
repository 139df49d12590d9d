"""What the goals section of the plan page and the goal page's progress panel show.

plan_goals_section is registered with plans.sections in GoalsConfig.ready; the htmx views in
goals/views_progress.py render the same partials from the same context builders.
"""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from goals.forms_progress import CheckInForm, MilestoneForm
from goals.models import CheckIn, Goal, Milestone
from skills.models import Horizon

HORIZON_GROUPS = (
    (Horizon.SHORT, "Short-term goals", "due within 12 months of their start"),
    (Horizon.LONG, "Long-term goals", "more than 12 months out"),
)


def with_progress(goals: QuerySet) -> QuerySet:
    """Everything a goal row shows, in a fixed number of queries whatever the number of goals:
    the goals, their check-ins and their milestones (Goal.progress() reads the prefetched list)."""
    return goals.prefetch_related(
        Prefetch("check_ins", queryset=CheckIn.objects.order_by("checked_on", "pk")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
    )


def goal_rows(goals: QuerySet) -> list[Goal]:
    """The goals with their progress prefetched and ``next_milestone`` set (the first not done)."""
    rows = list(with_progress(goals))
    for goal in rows:
        goal.next_milestone = next((m for m in goal.milestones.all() if not m.is_done), None)
    return rows


def goal_row_context(goal: Goal, *, owner: bool) -> dict:
    """The context of includes/goal_row.html, for the plan page and for htmx alike."""
    return {"goal": goal, "owner": owner, "today": timezone.localdate()}


def plan_goals_section(request, plan) -> dict:
    # plan.goals sets goal.plan to this plan, so rows link back to it without a query each.
    goals = goal_rows(plan.goals.all())
    groups = [
        {"label": label, "hint": hint, "goals": [g for g in goals if g.horizon == horizon]}
        for horizon, label, hint in HORIZON_GROUPS
    ]
    return {
        "template": "goals/includes/plan_goals.html",
        "goal_groups": [group for group in groups if group["goals"]],
        "goals": goals,
        "plan": plan,
        "owner": plan.owner_id == request.user.pk,
        "today": timezone.localdate(),
    }


# --- The goal page's progress panel (includes/goal_progress.html) ----------------------------


def progress_chart(goal: Goal) -> dict:
    """Check-ins over time and the ideal straight line from (start, baseline) to (deadline, target),
    for static/js/goal-charts.js. Works for falling metrics: the ideal line simply goes down."""
    return {
        "metric": goal.metric,
        "unit": goal.unit,
        "start": goal.start_date.isoformat(),
        "deadline": goal.deadline.isoformat(),
        "baseline": float(goal.baseline),
        "target": float(goal.target),
        "falling": goal.target < goal.baseline,
        "points": [{"x": c.checked_on.isoformat(), "y": float(c.value)} for c in goal.check_ins.all()],
    }


def milestones_context(goal: Goal, *, owner: bool, form=None) -> dict:
    """The context of includes/milestones.html."""
    return {
        "goal": goal,
        "owner": owner,
        "milestones": list(goal.milestones.all()),
        "milestone_form": form or MilestoneForm(goal=goal),
        "today": timezone.localdate(),
    }


def goal_progress_context(goal: Goal, *, owner: bool) -> dict:
    """The context of includes/goal_progress_panel.html (the goal page reads prefetched data)."""
    return {
        **milestones_context(goal, owner=owner),
        "check_ins": list(reversed(goal.check_ins.all())),
        "check_in_form": CheckInForm(goal=goal),
        "chart": progress_chart(goal),
        "chart_id": f"goal-chart-data-{goal.pk}",
        "expected_percent": round(100 * goal.expected_progress()),
    }
