"""Filters for the reminder digest email."""

from datetime import date

from django import template

from goals import digest

register = template.Library()


@register.filter
def expiry_window(held, today: date) -> int:
    return digest.expiry_window(held, today)
