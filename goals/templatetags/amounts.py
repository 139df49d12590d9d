"""A goal's numbers with its unit in templates (goals.amounts): ``{{ value|amount:goal.unit }}``
("1 course", "level 4"), ``{{ goal.unit|unit_for:value }}`` (the unit's form alone),
``{% fraction current target unit %}`` ("2 / 3 courses") and ``{% progression start end unit %}``
("level 2 → 4")."""

from django import template

from goals import amounts

register = template.Library()

register.filter("amount", amounts.amount)
register.filter("is_level", amounts.is_level)
register.simple_tag(amounts.fraction, name="fraction")
register.simple_tag(amounts.progression, name="progression")


@register.filter
def unit_for(unit: str, value) -> str:
    return amounts.unit_for(value, unit)
