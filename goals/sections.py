"""What goals add to plans' pages (the plan page's goals section, the dashboard's cards) and the
goal page's progress panel.

plan_goals_section and dashboard_goals_section are registered with plans.sections in
GoalsConfig.ready; the htmx views in goals/views_progress.py render the same partials from the
same context builders.
"""

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from goals.forms_progress import CheckInForm, MilestoneForm
from goals.models import CheckIn, Goal, Milestone, prefetch_measured_facts
from plans.models import CareerPlan
from skills.models import SHORT_TERM_MONTHS, Horizon

HORIZON_GROUPS = (
    (Horizon.SHORT, "Short-term goals", f"due within {SHORT_TERM_MONTHS} months of their start"),
    (Horizon.LONG, "Long-term goals", f"more than {SHORT_TERM_MONTHS} months out"),
)
# The dashboard's deadline card looks this far ahead, and each card lists at most DASHBOARD_ROWS goals.
DEADLINE_WINDOW_DAYS = 30
DASHBOARD_ROWS = 5


def with_progress(goals: QuerySet) -> QuerySet:
    """Everything a goal row shows, in a fixed number of queries whatever the number of goals:
    the goals (with the skill and certification a row may name), their check-ins and their
    milestones (Goal.progress() reads the prefetched list)."""
    return goals.select_related("skill", "certification").prefetch_related(
        Prefetch("check_ins", queryset=CheckIn.objects.order_by("checked_on", "pk")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
    )


def goal_rows(goals: QuerySet) -> list[Goal]:
    """The goals with their progress prefetched and ``next_milestone`` set (the first not done)."""
    rows = prefetch_measured_facts(list(with_progress(goals)))
    for goal in rows:
        goal.next_milestone = next((m for m in goal.milestones.all() if not m.is_done), None)
    return rows


def goal_row_context(goal: Goal, *, owner: bool) -> dict:
    """The context of includes/goal_row.html, for the plan page and for htmx alike."""
    return {"goal": goal, "owner": owner, "today": timezone.localdate()}


def plan_goals_section(request: HttpRequest, plan: CareerPlan) -> dict:
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
        "owner": plan.is_owned_by(request.user),
        "today": timezone.localdate(),
    }


def dashboard_goals_section(request: HttpRequest) -> dict | None:
    """Active goals on the person's active plans: due for a check-in (no check-in within their
    cadence, whatever the reminder sweep did), and deadlines soon.

    Five queries (the count, then each card's goals and their check-ins) whatever the number of goals.
    """
    goals = Goal.objects.for_owner(request.user).active().select_related("plan").order_by("deadline", "pk")
    active_goal_count = goals.count()
    if not active_goal_count:
        return None
    today = timezone.localdate()
    return {
        "template": "goals/includes/dashboard_goals.html",
        "goals_to_check_in": prefetch_measured_facts(
            list(with_progress(goals.due_for_check_in(today))[:DASHBOARD_ROWS])
        ),
        "deadlines_soon": prefetch_measured_facts(
            list(
                with_progress(goals.deadline_within(days=DEADLINE_WINDOW_DAYS, today=today))[:DASHBOARD_ROWS]
            )
        ),
        "deadline_window_days": DEADLINE_WINDOW_DAYS,
        "active_goal_count": active_goal_count,
        "today": today,
    }


# --- The goal page's progress panel (includes/goal_progress.html) ----------------------------


def progress_chart(goal: Goal) -> dict:
    """Measurements over time (Goal.measurements: a skill-level goal's are the skill's self-assessments)
    and the ideal straight line from (start, baseline) to (deadline, target), for
    static/js/goal-charts.js. Works for falling metrics: the ideal line simply goes down."""
    return {
        "metric": goal.metric,
        "unit": goal.unit,
        "start": goal.start_date.isoformat(),
        "deadline": goal.deadline.isoformat(),
        "baseline": float(goal.baseline),
        "target": float(goal.target),
        "falling": goal.target < goal.baseline,
        "points": [{"x": day.isoformat(), "y": float(value)} for day, value in goal.measurements()],
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


def goal_progress_context(
    goal: Goal, *, owner: bool, editing: CheckIn | None = None, edit_form: CheckInForm | None = None
) -> dict:
    """The context of includes/goal_progress_panel.html (the goal page reads prefetched data).

    ``editing``: the check-in shown as a correction form in the list (``edit_form``, with errors).
    """
    return {
        **milestones_context(goal, owner=owner),
        "check_ins": list(reversed(goal.check_ins.all())),
        "check_in_form": CheckInForm(goal=goal),
        "editing_pk": editing.pk if editing else None,
        "edit_form": edit_form,
        "chart": progress_chart(goal),
        "chart_id": f"goal-chart-data-{goal.pk}",
        "expected_percent": round(100 * goal.expected_progress()),
    }
