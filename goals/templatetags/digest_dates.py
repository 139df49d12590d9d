"""How the reminder digest names a day (goals.reminders.digest.day_format), as template filters:
``{{ goal.deadline|day:digest.today }}`` is "3 Feb", or "3 Feb 2027" outside the person's current
year; ``weekday_day`` adds the weekday ("Saturday 20 Jun")."""

from datetime import date

from django import template
from django.template.defaultfilters import date as date_filter

from goals.reminders.digest import day_format

register = template.Library()


@register.filter
def day(value: date, today: date) -> str:
    return date_filter(value, day_format(value, today=today))


@register.filter
def weekday_day(value: date, today: date) -> str:
    return date_filter(value, day_format(value, today=today, weekday=True))
