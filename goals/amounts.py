"""A goal's numbers with its unit, as a sentence says them: "1 course", "3 courses", "level 4".

The unit is what the person typed (goals.models.Goal.unit: "courses", "people", "level", "%").
Which form a number takes is Django's ngettext, as for every count the site writes
(base.words.counted); this module only finds the unit's two forms. A unit of several words or
without letters ("hours a week", "%") is left as typed; "level" goes before the number, since a
skill at level 4 is not four levels. Typed in the singular, a unit stays so, save for the few
pairs in KNOWN: "feedback" has no plural, and "people" no regular singular.
"""

import re
from decimal import Decimal

from django.utils.translation import ngettext

from base.numbers import plain_number
from goals.models import LEVEL_UNIT

Number = Decimal | int | float


# Pairs the rules below cannot find: irregular plurals, and the unit drafted certification goals
# use (goals.models.CERTIFICATION_UNIT), typed in the singular.
KNOWN = {"person": "people", "child": "children", "certification": "certifications"}


def unit_forms(unit: str) -> tuple[str, str]:
    """The unit's singular and plural: ("course", "courses") from "courses". A unit typed in the
    singular keeps that form for every number (it may be uncountable: "feedback", "revenue"),
    unless KNOWN has it; several words, or no letters, stay as typed."""
    word = unit.strip()
    lower = word.lower()
    for singular, plural in KNOWN.items():
        if lower in (singular, plural):
            return singular, plural
    if (
        not re.fullmatch(r"[a-z][a-z-]*", lower)
        or not lower.endswith("s")
        or lower.endswith(("ss", "us", "is"))
    ):
        return word, word
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y", word
    if lower.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2], word
    return word[:-1], word


def is_level(unit: str) -> bool:
    return unit.strip().lower() == LEVEL_UNIT


def unit_for(value: Number | None, unit: str) -> str:
    """The unit's form that goes with ``value``: "course" for 1, "courses" for 0, 2 or 1.5."""
    singular, plural = unit_forms(unit)
    return ngettext(singular, plural, 1 if value == 1 else 2)


def number(value: Number | None) -> str:
    """The number as the app writes one (base.numbers.plain_number): 4, 2.5."""
    return "" if value is None else plain_number(value)


def amount(value: Number | None, unit: str) -> str:
    """ "1 course", "3 courses", "level 4", "80 %", "5 hours a week"."""
    if is_level(unit):
        return f"{unit.strip()} {number(value)}"
    return f"{number(value)} {unit_for(value, unit)}".strip()


def _level_word(unit: str, metric: str) -> str:
    """ "level " before a level's number, unless the metric beside it already says it."""
    return "" if LEVEL_UNIT in metric.lower() else f"{unit.strip()} "


def fraction(current: Number | None, target: Number | None, unit: str, metric: str = "") -> str:
    """ "2 / 3 courses", "0 / 1 course", "level 2 / 4" ("2 / 4" after a metric that says level)."""
    if is_level(unit):
        return f"{_level_word(unit, metric)}{number(current)} / {number(target)}"
    return f"{number(current)} / {amount(target, unit)}"


def progression(start: Number | None, end: Number | None, unit: str, metric: str = "") -> str:
    """ "0 → 3 courses", "level 2 → 4" ("2 → 4" after a metric that says level)."""
    if is_level(unit):
        return f"{_level_word(unit, metric)}{number(start)} → {number(end)}"
    return f"{number(start)} → {amount(end, unit)}"
