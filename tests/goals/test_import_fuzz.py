"""A hostile file never gets past the checks into a half-written import or a crash (hypothesis):
any one value of a real export replaced by something else is either imported or refused with
ImportRefused, and a refusal writes nothing; through the pages too, with raw JSON past the
reader's limits (goals.portability.reading)."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from goals.portability.reading import ImportRefused
from goals.portability.writing import import_document
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


# Raw JSON text past the reader's limits, or that json reads but no export holds (goals.portability.reading).
RAW = st.one_of(
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-0", "1E+1", "0.1e-400", "[]", "{}", "null"]),
    st.sampled_from(['"\\u0000"', '"a\\u0000b"', '"\\ud800"', '"x\\udfff"', '"\\ud83d\\ude00"', '"\\u2028"']),
    st.sampled_from(
        ['{"a": 1, "a": 2}', '{"\\ud800": 1}', '{"\\u0000": 1}', "{" + '"k": 0,' * 3 + '"k": 1}']
    ),
    st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n),
    st.integers(min_value=1, max_value=60).map(lambda n: "1." + "5" * n),
    st.integers(min_value=49_998, max_value=50_002).map(lambda n: "[" + ",".join(["0"] * n) + "]"),
    st.integers(min_value=99_998, max_value=100_002).map(lambda n: json.dumps("x" * n)),
    st.integers(min_value=1, max_value=30).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(min_value=99, max_value=102).map(lambda n: json.dumps({f"f{i}": 0 for i in range(n)})),
)


def test_any_value_replaced_by_hostile_json_is_refused_or_imported_through_the_pages(client, document, bob):
    """Upload, review and confirm, with one value of a real export replaced by raw JSON text:
    every answer a page (never a 500), and the account holds all of the file's plans or none."""
    places = [path for path in _leaves(document) if path]

    @FUZZ
    @given(st.sampled_from(places), RAW)
    def attempt(path, raw_value):
        hostile = json.dumps(_replaced(document, path, "@@hostile@@")).replace('"@@hostile@@"', raw_value)
        upload = SimpleUploadedFile("careerpath.json", hostile.encode(), content_type="application/json")
        with transaction.atomic():  # each example on the same data as the first
            client.force_login(bob)
            response = client.post(reverse("goals:import"), {"file": upload})
            assert response.status_code in (200, 302, 429), f"{path}={raw_value:.100}"
            if response.status_code == 302:
                review = client.get(reverse("goals:import_confirm"))
                assert review.status_code in (200, 302)
                review.content.decode()  # writable as UTF-8
                if review.status_code == 200:
                    posted = {"ladder": "skip", "digest": review.context.get("digest", "")}
                    done = client.post(reverse("goals:import_confirm"), posted)
                    assert done.status_code in (200, 302, 422, 429)
            imported = CareerPlan.objects.filter(owner=bob).count()
            assert imported in (0, len(document["plans"])), f"{path}={raw_value:.100}: {imported} plans"
            transaction.set_rollback(True)

    attempt()
