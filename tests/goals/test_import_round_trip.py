"""Any goal the models can hold survives a round trip (hypothesis): export, import into another
account, export again, and the two documents are the same, number for number (issue 20)."""

import json
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import example, given
from hypothesis import strategies as st

from goals.models import CheckIn, Goal
from goals.portability.export import export_person, validate_export
from goals.portability.writing import import_document
from tests.conftest import TODAY
from tests.core.test_fuzz_forms import FUZZ
from tests.goals.factories import GoalFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

# Goal.baseline, Goal.target and CheckIn.value: DecimalField(max_digits=12, decimal_places=2).
LIMIT = Decimal("9999999999.99")
NUMBERS = st.one_of(
    st.decimals(min_value=-LIMIT, max_value=LIMIT, places=2, allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**10) + 1, max_value=10**10 - 1).map(Decimal),  # whole: 10, 100, 10**9
    st.sampled_from([Decimal(v) for v in ("10", "100", "1000000", "0.5", "2.50", "-0.00", "0.01", "1E+9")]),
)
GOALS = st.lists(
    st.tuples(NUMBERS, NUMBERS, st.lists(NUMBERS, max_size=3)).filter(lambda g: g[0] != g[1]),
    min_size=1,
    max_size=3,
)


def _without_export_time(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "exported_at"}


def test_every_number_the_models_hold_survives_export_import_export(alice, bob, plan):
    @FUZZ
    @given(GOALS)
    @example([(Decimal(0), Decimal(10), [Decimal(10)]), (Decimal(1), Decimal(100), [Decimal(100)])])
    @example([(Decimal(0), Decimal("0.5"), []), (Decimal(250_000), Decimal(1_000_000), [Decimal(10**6)])])
    @example([(-LIMIT, LIMIT, [-LIMIT, LIMIT, Decimal("-0.01")])])
    def attempt(goals):
        with transaction.atomic():  # each example on the same data as the first
            for baseline, target, values in goals:
                goal = GoalFactory(plan=plan, baseline=baseline, target=target, unit="points")
                CheckIn.objects.bulk_create(
                    CheckIn(goal=goal, value=value, checked_on=TODAY) for value in values
                )
            exported = export_person(alice)
            assert validate_export(exported) == []

            import_document(json.loads(json.dumps(exported)), user=bob)

            assert _without_export_time(export_person(bob)) == _without_export_time(exported)
            imported = Goal.objects.filter(plan__owner=bob).order_by("created_at", "pk")
            assert [(g.baseline, g.target) for g in imported] == [(b, t) for b, t, _ in goals]
            transaction.set_rollback(True)

    attempt()
