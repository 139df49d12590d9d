"""What the signed-in home page shows of goals: the ones to act on next."""

from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone

from goals.models import CheckIn, Goal
from plans.models import CareerPlan

DEADLINE_WINDOW_DAYS = 30


def dashboard_goals(user) -> dict:
    """Active goals on the person's active plans: due for a check-in, and deadlines soon.

    Two queries (goals with plans, their check-ins) whatever the number of goals.
    """
    now = timezone.now()
    today = timezone.localdate()
    goals = list(
        Goal.objects.filter(
            plan__owner=user, plan__status=CareerPlan.Status.ACTIVE, status=Goal.Status.ACTIVE
        )
        .select_related("plan")
        .prefetch_related(Prefetch("check_ins", queryset=CheckIn.objects.order_by("checked_on", "pk")))
        .order_by("deadline", "pk")
    )
    return {
        "goals_to_check_in": [g for g in goals if g.next_reminder_at and g.next_reminder_at <= now][:5],
        "deadlines_soon": [g for g in goals if g.deadline <= today + timedelta(days=DEADLINE_WINDOW_DAYS)][
            :5
        ],
        "active_goal_count": len(goals),
    }
