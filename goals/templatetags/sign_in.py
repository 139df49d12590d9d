"""``{% check_in_goal_title redirect_field_value as title %}`` on the sign-in page
(templates/account/login.html): the goal a reminder's check-in link is for
(goals.reminders.sign_in)."""

from django import template

from goals.reminders import sign_in

register = template.Library()


@register.simple_tag
def check_in_goal_title(next_url: str | None) -> str | None:
    return sign_in.check_in_goal_title(next_url)
