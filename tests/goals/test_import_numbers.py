"""Numbers across the models' whole range survive an export and an import into another account
(issue 28): 0, 0.5, 10, 100 and 1,000,000, on metrics that rise and metrics that fall, and the
imported goals show the progress the exported ones showed."""

import json
from decimal import Decimal

import pytest

from goals.models import CheckIn, Goal
from goals.portability.export import export_person, validate_export
from goals.portability.writing import import_document
from tests.conftest import TODAY
from tests.goals.factories import GoalFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

# (title, baseline, target, check-ins), as a person would type them; Goal.baseline, Goal.target
# and CheckIn.value hold 12 digits, 2 after the point.
GOALS = [
    ("Rising from zero", "0", "10", ["0", "0.5", "10"]),
    ("Rising to a hundred", "10", "100", ["100"]),
    ("Rising to a million", "0.5", "1000000", ["250000", "1000000"]),
    ("Falling to zero", "100", "0", ["10", "0"]),
    ("Falling from a million", "1000000", "0.5", ["999999.99", "0.5"]),
    ("Falling below zero", "0", "-10", ["-0.5"]),
    ("The largest the models hold", "-9999999999.99", "9999999999.99", ["9999999999.99"]),
]


@pytest.fixture
def numbers(alice, plan):
    for title, baseline, target, values in GOALS:
        goal = GoalFactory(plan=plan, title=title, baseline=baseline, target=target, unit="points")
        for value in values:
            CheckIn.objects.create(goal=goal, value=value, checked_on=TODAY)


def _goals(user) -> list[Goal]:
    return list(
        Goal.objects.filter(plan__owner=user).order_by("created_at", "pk").prefetch_related("check_ins")
    )


def test_the_export_writes_each_number_as_typed(numbers, alice):
    exported = export_person(alice)

    goals = exported["plans"][0]["goals"]
    assert [(g["title"], g["baseline"], g["target"]) for g in goals] == [(t, b, g) for t, b, g, _ in GOALS]
    assert [[c["value"] for c in g["check_ins"]] for g in goals] == [values for *_, values in GOALS]
    assert validate_export(exported) == []


def test_rising_and_falling_goals_come_back_with_the_same_numbers_and_progress(numbers, alice, bob):
    exported = json.loads(json.dumps(export_person(alice)))

    import_document(exported, user=bob)

    theirs, ours = _goals(alice), _goals(bob)
    assert [(g.title, g.baseline, g.target) for g in ours] == [
        (t, Decimal(b), Decimal(g)) for t, b, g, _ in GOALS
    ]
    assert [[c.value for c in g.check_ins.all()] for g in ours] == [
        [Decimal(v) for v in values] for *_, values in GOALS
    ]
    assert [g.progress() for g in ours] == [g.progress() for g in theirs]
    assert [g.progress_percent() for g in ours] == [g.progress_percent() for g in theirs]
    falling = {g.title: g.progress_percent() for g in ours if g.title.startswith("Falling")}
    assert falling == {"Falling to zero": 100, "Falling from a million": 100, "Falling below zero": 5}
