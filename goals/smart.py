"""Friendly SMART advice on a goal: suggestions, never errors (the form enforces the rules)."""

import re
from datetime import date

from django.utils import timezone

from goals.amounts import amount
from goals.models import Goal
from skills.models import Horizon, add_months

# A title that names one of these says how success is counted, even without a number in it.
MEASUREMENT_WORDS = {
    "%",
    "percent",
    "per",
    "level",
    "levels",
    "score",
    "rate",
    "number",
    "count",
    "hours",
    "days",
    "weeks",
    "times",
    "nps",
    "kpi",
    "okr",
    "earn",
    "pass",
    "certified",
    "certification",
    "certificate",
}
NUMBER_WORDS = {
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
}
FIRST_MILESTONE_MONTHS = 6
# The follow-up of a goal whose plan of attack was left for later (Goal.needs_plan_of_attack).
LATER_ADVICE = "How you'll get there was left for later: add a plan of attack when you know."


def title_is_measurable(title: str, unit: str = "") -> bool:
    """A number, a measurement word or the goal's own unit in the title."""
    if re.search(r"\d", title):
        return True
    words = set(re.findall(r"[\w%]+", title.lower())) | ({"%"} if "%" in title else set())
    unit_words = set(re.findall(r"[\w%]+", unit.lower()))
    return bool(words & (MEASUREMENT_WORDS | unit_words))


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def describe_distance(months: int) -> str:
    """“three years”, “18 months”: how far out a deadline is, in words."""
    if months >= 24 and months % 12 in (0, 1, 11):
        years = round(months / 12)
        return f"{NUMBER_WORDS.get(years, str(years))} years"
    return f"{months} months"


def smart_advice(goal: Goal, today: date | None = None) -> list[str]:
    """What would make the goal SMARTer, in plain sentences; empty when there is nothing to add.

    Reads goal.milestones.all(), so a prefetched list costs no query.
    """
    today = today or timezone.localdate()
    advice = []
    if not title_is_measurable(goal.title, goal.unit):
        advice.append(
            "This title has no measurable outcome: put the number you are aiming for in it, "
            f"e.g. “{_example_title(goal)}”."
        )
    if goal.horizon == Horizon.LONG:
        first_window = add_months(max(goal.start_date, today), FIRST_MILESTONE_MONTHS)
        if not any(m.due_date <= first_window for m in goal.milestones.all()):
            distance = describe_distance(months_between(max(goal.start_date, today), goal.deadline))
            advice.append(f"A deadline {distance} out: add a milestone in the first six months.")
    if goal.needs_plan_of_attack:
        advice.append(LATER_ADVICE)
    if goal.is_active and goal.deadline < today:
        advice.append("The deadline has passed: move it, or mark the goal completed or abandoned.")
    return advice


def _example_title(goal: Goal) -> str:
    return f"{goal.title.rstrip('.')}: {amount(goal.target if goal.target is not None else 3, goal.unit)}"
