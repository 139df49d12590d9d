"""The error a ladder document raises, and the wording of its problems.

Every problem is a line naming the entry and the field, '<entry> (<slug>): <field>: <what is
wrong>', listed in the order the entries appear in the file, so a ladder editor can act on it.
"""

import json
from typing import Any

from jsonschema import ValidationError

from base.document_limits import ProblemPath, format_path, text_problem

__all__ = ["LadderError", "ProblemPath", "explain", "format_path", "render_problems", "show"]


class LadderError(ValueError):
    """A ladder document that cannot be imported. ``errors`` has one line per problem."""

    def __init__(self, errors: str | list[str]) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))


def _shown(value: Any, longest: int = 241) -> bool:
    """Whether a value may name its entry in a message: text a page can show, not too long (a
    slug is at most 241 characters, 'track/role'; a title is cut short by show())."""
    return isinstance(value, str) and text_problem(value, longest=longest) is None


def _label(node: Any) -> str | None:
    if not isinstance(node, dict):
        return None
    if _shown(node.get("slug")):
        return node["slug"]
    if _shown(node.get("from")) and _shown(node.get("to")):
        return f"{node['from']} → {node['to']}"
    if _shown(node.get("title"), longest=10**6) and node["title"].strip():  # a plan's entries: "goal “…”"
        return show(node["title"])
    return None


def _where(data: Any, path: ProblemPath) -> str:
    """'tracks[0].roles[3] (senior-analyst): requirements[2].skill' for a path into data.

    The entry is the deepest list item on the path that has a slug (or is a transition).
    """
    node, entry_end, label = data, 0, None
    for depth, key in enumerate(path, start=1):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(key, int) and _label(node):
            entry_end, label = depth, _label(node)
    entry, rest = format_path(path[:entry_end]), format_path(path[entry_end:])
    parts = ([f"{entry} ({label})"] if entry else []) + ([rest] if rest else [])
    return ": ".join(parts) or "(document)"


def show(value: Any) -> str:
    """A value quoted for a message, cut short if long."""
    text = f"'{value}'" if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}
_PATTERN_HINTS = {
    r"^[-a-zA-Z0-9_]+$": "must be a slug: letters, digits, hyphens and underscores only",
    r"^[-a-zA-Z0-9_]+(/[-a-zA-Z0-9_]+)?$": "must be a role slug, or 'track-slug/role-slug'",
    r"^[^\r\n]*\S[^\r\n]*$": "must be one line of text, not empty",
    r"^(https?://[^\s/$.?#][^\s]*)?$": "must be an http:// or https:// address, or empty",
}


def _json_type(value: Any) -> str:
    kinds: list[tuple[str, type | tuple[type, ...]]] = [
        ("null", type(None)),
        ("true or false", bool),
        ("a number", (int, float)),
    ]
    for name, types in kinds:
        if isinstance(value, types):
            return name
    words: dict[type, str] = {str: "text", list: "a list", dict: "an object"}
    return words.get(type(value), type(value).__name__)


def explain(error: ValidationError) -> list[tuple[ProblemPath, str]]:
    """Turn one jsonschema error into (path, sentence) pairs a ladder editor can act on."""
    path, kind, schema, instance = list(error.absolute_path), error.validator, error.schema, error.instance
    if kind == "required":
        return [(path + [name], "is required") for name in error.validator_value if name not in instance]
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        return [
            (path + [name], f"unknown field (allowed: {', '.join(allowed)})")
            for name in instance
            if name not in allowed
        ]
    if kind == "type":
        types: list[str] = (
            error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        )
        wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
        return [(path, f"must be {wanted}, not {_json_type(instance)}")]
    if kind in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        return [(path, f"{show(instance)} is out of range {low}..{high}")]
    if kind == "enum":
        options = ", ".join(show(option) for option in error.validator_value)
        return [(path, f"{show(instance)} is not one of {options}")]
    if kind == "const":
        return [(path, f"must be {show(error.validator_value)}, not {show(instance)}")]
    if kind == "pattern":
        return [(path, f"{show(instance)} {_PATTERN_HINTS.get(error.validator_value, 'has the wrong form')}")]
    if kind == "maxLength":
        return [(path, f"is too long: {len(instance)} characters, at most {error.validator_value}")]
    if kind == "maxItems":  # jsonschema's own message quotes the whole list
        return [(path, f"holds {len(instance)} items, at most {error.validator_value}")]
    if kind == "uniqueItems":
        return [(path, "lists the same value more than once")]
    return [(path, error.message)]


def _document_order(data: Any, path: ProblemPath) -> list[int]:
    """Positions along a path, so problems are listed in the order they appear in the file."""
    positions, node = [], data
    for key in path:
        if isinstance(node, dict) and key in node:
            positions.append(list(node).index(key))
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            positions.append(key)
        else:
            positions.append(len(node) if isinstance(node, dict | list) else 0)
            break
        node = node[key]
    return positions


def render_problems(data: Any, problems: list[tuple[ProblemPath, str]]) -> list[str]:
    """One line per distinct problem, in document order."""
    unique = {(tuple(path), message): path for path, message in problems}
    ordered = sorted(unique.items(), key=lambda item: _document_order(data, item[1]))
    return [f"{_where(data, path)}: {message}" for (_, message), path in ordered]
