"""Documents generated from a JSON schema (goals/portability/export.schema.json), for property-based tests.

hypothesis-jsonschema reads the schema (its 2020-12 keywords are those of draft 7, its formats
too), but builds its strategies again at every draw: about a second a document on a 2-core
machine, too slow for a thousand examples. This builds one strategy per schema node, once, and
refuses any keyword it does not know, so a change to the schema that it would not follow fails
the tests instead of going untested.

``overrides`` give a strategy for a place in the document, by its path of property names with
``[]`` for a list's items (``plans[].goals[].skill``): the references to ladder entries, drawn
from the entries the test database holds (and a few it lacks), so that documents can import.
Dates and times are drawn near today, where an export's are, and now and then past the bounds.
"""

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

_ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description"}
_APPLIED = {
    "$ref",
    "type",
    "const",
    "enum",
    "anyOf",
    "properties",
    "required",
    "additionalProperties",
    "items",
}
_BOUNDS = {"maxItems", "uniqueItems", "maxLength", "pattern", "format", "minimum", "maximum"}
KNOWN = _ANNOTATIONS | _APPLIED | _BOUNDS
LIST_SIZE = 2  # items drawn in a list at most: two meet every rule between siblings (duplicates, two
# primary plans, order), three only made documents bigger and cost twice the time to draw (issue 22)


def now_and_then(common: st.SearchStrategy, rare: st.SearchStrategy, *, one_in: int) -> st.SearchStrategy:
    """``rare`` once in ``one_in`` draws, else ``common`` (st.one_of would draw each half the time:
    it drops a strategy given twice)."""
    return st.sampled_from([rare] + [common] * (one_in - 1)).flatmap(lambda chosen: chosen)


def dates(today: date) -> st.SearchStrategy[str]:
    """Mostly within ten years of today; one in twenty on or past the forms' bounds, or no day."""
    near = st.integers(-3650, 3650).map(lambda days: (today + timedelta(days=days)).isoformat())
    edges = st.sampled_from(
        ["1900-01-01", "2200-12-31", "1899-12-31", "2201-01-01", "0001-01-01", "2026-02-30"]
    )
    return now_and_then(near, edges, one_in=20)


def moments(now: datetime) -> st.SearchStrategy[str]:
    """Mostly in the ten years before now, in some offset; one in twenty in the future, before
    1900 or without an offset."""
    past = st.tuples(st.integers(0, 3650 * 24 * 60), st.sampled_from(["+00:00", "+02:00", "-05:00", "Z"]))
    near = past.map(
        lambda p: (now - timedelta(minutes=p[0])).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + p[1]
    )
    edges = st.sampled_from(
        [
            "1900-01-01T00:00:00+00:00",
            "1899-12-31T23:59:59Z",
            "9999-12-31T23:59:59-12:00",
            (now + timedelta(days=3)).isoformat(),
            now.replace(tzinfo=None).isoformat(timespec="seconds") + "Q",
        ]
    )
    return now_and_then(near, edges, one_in=20)


def from_schema(
    schema: dict, *, overrides: dict[str, st.SearchStrategy], today: date, now: datetime
) -> st.SearchStrategy[Any]:
    defs = schema.get("$defs", {})
    formats = {"date": dates(today), "date-time": moments(now)}

    def build(node: dict, path: str) -> st.SearchStrategy[Any]:
        if path in overrides:
            return overrides[path]
        unknown = set(node) - KNOWN
        assert not unknown, f"{path or '(root)'}: keywords the generator does not know: {sorted(unknown)}"
        if "$ref" in node:
            target = defs[node["$ref"].removeprefix("#/$defs/")]
            return build({**target, **{k: v for k, v in node.items() if k != "$ref"}}, path)
        if "const" in node:
            return st.just(node["const"])
        if "enum" in node:
            return st.sampled_from(node["enum"])
        if "anyOf" in node:
            return st.one_of([build(choice, path) for choice in node["anyOf"]])
        kinds = node.get("type")
        if isinstance(kinds, list):
            return st.one_of([build({**node, "type": kind}, path) for kind in kinds])
        if kinds == "object":
            return _object(node, path, build)
        if kinds == "array":
            size = min(node.get("maxItems", LIST_SIZE), LIST_SIZE)
            unique = (lambda item: json.dumps(item, sort_keys=True)) if node.get("uniqueItems") else None
            return st.lists(build(node["items"], f"{path}[]"), max_size=size, unique_by=unique)
        if kinds == "string":
            return _string(node, formats)
        if kinds == "integer":
            return st.integers(node.get("minimum"), node.get("maximum"))
        if kinds == "boolean":
            return st.booleans()
        if kinds == "null":
            return st.none()
        raise AssertionError(f"{path}: no strategy for {node}")

    return build(schema, "")


def _object(node: dict, path: str, build) -> st.SearchStrategy[dict]:
    properties = node.get("properties", {})
    if node.get("additionalProperties", True) is not False or not properties:
        raise AssertionError(f"{path}: only objects with their properties listed are generated")
    required = set(node.get("required", ()))
    named = {name: build(field, f"{path}.{name}" if path else name) for name, field in properties.items()}
    return st.fixed_dictionaries(
        {name: strategy for name, strategy in named.items() if name in required},
        optional={name: strategy for name, strategy in named.items() if name not in required},
    )


def _string(node: dict, formats: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    longest = node.get("maxLength", 100_000)
    if "format" in node:
        return formats[node["format"]]
    if "pattern" in node:
        return st.from_regex(node["pattern"], fullmatch=True).filter(lambda text: len(text) <= longest)
    # Mostly short text (unicode, control characters and NUL included), now and then the longest.
    short = st.text(max_size=min(longest, 40))
    return now_and_then(short, st.just("x" * longest), one_in=10)
