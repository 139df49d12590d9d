"""A hostile file never gets past the checks into a half-written import or a crash (hypothesis):
any one value of a real export replaced by something else is either imported or refused with
ImportRefused, and a refusal writes nothing."""

import copy

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from goals.importing import ImportRefused, import_document
from plans.models import CareerPlan
from tests.core.test_fuzz_forms import ANYTHING, FUZZ

pytestmark = pytest.mark.usefixtures("frozen_time")

VALUES = st.one_of(
    ANYTHING,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _leaves(node, path=()):
    """Every place in the document that holds a value, as a path of keys and positions."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list) and node:
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    else:
        yield path


def _replaced(document: dict, path: tuple, value) -> dict:
    changed = copy.deepcopy(document)
    node = changed
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return changed


def test_any_value_replaced_is_imported_or_refused_never_a_crash(document, bob):
    places = [path for path in _leaves(document) if path and path[0] != "ladder"]

    @FUZZ
    @given(st.sampled_from(places), VALUES)
    def attempt(path, value):
        hostile = _replaced(document, path, value)
        with transaction.atomic():  # each example on the same data as the first
            person = type(bob).objects.get(pk=bob.pk)  # nothing cached from an earlier example
            try:
                import_document(hostile, user=person)
            except ImportRefused:
                assert not CareerPlan.objects.filter(owner=bob).exists(), f"{path}={value!r:.200}"
            transaction.set_rollback(True)

    attempt()
