"""{% goal_progress goal %}: the goal page's progress panel, whatever context the page has.

The goal page's view belongs to goals/views.py; this tag builds the panel's own context (chart
data, forms, ownership) so the page needs nothing but ``goal``, and htmx views render the same
panel from the same builder (goals.sections.goal_progress_context).
"""

from django import template

from goals.models import Goal
from goals.sections import goal_progress_context

register = template.Library()


@register.inclusion_tag("goals/includes/goal_progress_panel.html", takes_context=True)
def goal_progress(context: template.Context, goal: Goal) -> dict:
    request = context.get("request")
    owner = request is not None and goal.is_owned_by(request.user)
    return {
        **goal_progress_context(goal, owner=owner),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
