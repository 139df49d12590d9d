"""What goals add to a plan's print view (plans/views_print.py): every goal with its progress,
and the latest comments others wrote in the goals' threads.

Registered with plans.sections (Page.PRINT) in GoalsConfig.ready; two queries whatever the number
of goals and comments (the plan's self-assessments and certifications are already loaded).
"""

from django.http import HttpRequest
from django.utils import timezone

from goals.models import Goal, GoalComment, prefetch_measured_facts
from plans.models import CareerPlan

# The print view shows the newest 3 comments by others across the plan's and its goals' threads:
# the goals' newest 3 are enough to pick them from.
PRINT_COMMENTS = 3


def print_goals(plan: CareerPlan) -> list[Goal]:
    """The plan's goals, active first, each group by deadline: the latest check-in by subquery,
    never every check-in."""
    goals = prefetch_measured_facts(list(plan.goals.with_latest_check_in()))
    return sorted(goals, key=lambda g: (not g.is_active, g.deadline, g.pk))


def latest_comments_by_others(plan: CareerPlan, limit: int = PRINT_COMMENTS) -> list[GoalComment]:
    """The newest comments on the plan's goals written by anyone but the owner (its mentors)."""
    comments = GoalComment.objects.filter(goal__plan=plan).exclude(author_id=plan.owner_id)
    return list(comments.select_related("author", "goal").order_by("-created_at", "-pk")[:limit])


def plan_print_section(request: HttpRequest, plan: CareerPlan) -> dict:
    return {
        "template": "goals/includes/print_goals.html",
        "goals": print_goals(plan),
        "comments": latest_comments_by_others(plan),
        "today": timezone.localdate(),
    }
