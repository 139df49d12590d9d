"""The goals section of the plan page (registered with plans.sections in GoalsConfig.ready)."""

from django.db.models import Prefetch

from goals.models import CheckIn, Goal, Milestone
from skills.models import Horizon


def plan_goals_section(request, plan) -> dict:
    goals = list(
        Goal.objects.filter(plan=plan)
        .select_related("skill", "certification", "role")
        .prefetch_related(
            Prefetch("check_ins", queryset=CheckIn.objects.order_by("checked_on", "pk")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
        )
    )
    groups = [
        (label, [g for g in goals if g.horizon == horizon])
        for horizon, label in ((Horizon.SHORT, "Short-term goals"), (Horizon.LONG, "Long-term goals"))
    ]
    return {"template": "goals/includes/plan_goals.html", "goal_groups": groups, "goals": goals, "plan": plan}
