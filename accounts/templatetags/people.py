from django import template

from accounts.names import display_name as display_name_of

register = template.Library()


@register.filter
def display_name(user) -> str:
    """``{{ user|display_name }}``: accounts.names.display_name."""
    return display_name_of(user)
