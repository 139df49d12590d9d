"""What a document may hold (``Limits``), the values a reader marks while it parses, and the one
walk over a parsed document that names every place past its limits (base.documents reads
through here).

Places are written as paths ("plans[0].goals[1].title"). Text that no page could show is refused:
a NUL character (PostgreSQL refuses it: a 500 when it is written) and half of a UTF-16 surrogate
pair (it cannot be written as UTF-8: a 500 on any page showing it).
"""

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

ProblemPath = list[str | int]  # keys and list positions from the document's root
Problem = tuple[ProblemPath | None, str]  # None: the file as a whole (its size, its syntax)

# The longest text any document holds, and so any form takes (base.forms): what a person writes
# can always be exported and imported again.
MAX_TEXT = 100_000

_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")
# A whole number in decimal, as JSON writes it, with YAML's underscores; no leading zero (YAML 1.1's octal).
_DECIMAL = re.compile("[-+]?(0|[1-9][0-9_]*)")


@dataclass(frozen=True)
class Limits:
    """What a door reads: ``document`` is how refusals name such a file ("an export")."""

    document: str
    bytes: int
    depth: int = 20
    items: int = 50_000  # in any one list
    fields: int = 100  # in any one object
    text: int = MAX_TEXT  # characters in any one text
    name: int = 100  # characters in a field name
    digits: int = 15  # in a whole number
    number: int = 30  # characters of a number with a fraction or an exponent


def format_path(path: ProblemPath) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


def too_deep(limits: Limits) -> str:
    return f"nested more than {limits.depth} levels deep"


# --- Values a reader marks -------------------------------------------------------------------------


class Refused:
    """Stands in the parsed document for a value the parser could read but no document holds."""

    def __init__(self, problem: str) -> None:
        self.problem = problem

    def __repr__(self) -> str:
        return f"Refused({self.problem!r})"


class Fields(dict[Any, Any]):
    """An object whose fields were given more than once (the last one would silently win)."""

    repeated: list[str]


def repeated_names(names: Iterable[Any]) -> list[Any]:
    """The names given more than once, each named once, in the order they are first repeated."""
    seen: list[Any] = []
    repeated: list[Any] = []
    for name in names:
        if name in seen and name not in repeated:
            repeated.append(name)
        seen.append(name)
    return repeated


def marked_object(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    """An object from its (name, value) pairs, marked (Fields) if a name is given twice."""
    fields = dict(pairs)
    if len(fields) == len(pairs):
        return fields
    marked = Fields(fields)
    marked.repeated = repeated_names(name for name, _ in pairs)
    return marked


def whole_number(text: str, limits: Limits) -> int | Refused:
    """The whole number ``text`` writes in decimal (with YAML's underscores: 1_000 is 1000)."""
    digits = len(text.lstrip("+-").replace("_", ""))
    if digits > limits.digits:
        # Checked before int(): Python refuses to convert more than 4,300 digits (ValueError).
        return Refused(
            f"a whole number of {digits:,} digits; no number in {limits.document} has more than {limits.digits}"
        )
    if not _DECIMAL.fullmatch(text):
        return not_decimal(limits)
    return int(text.replace("_", ""))


def fraction(text: str, limits: Limits, convert: Callable[[], float]) -> float | Refused:
    """The number ``text`` writes with a fraction or an exponent, converted (``convert``) only once
    it is known to be short enough."""
    if len(text) > limits.number:
        return Refused(
            f"a number of {len(text):,} characters; no number in {limits.document} has more than {limits.number}"
        )
    if ":" in text:  # YAML's base 60: 1:30.5 is 90.5
        return not_decimal(limits)
    try:
        value = convert()
    except (ValueError, IndexError):  # YAML's !!float on text that is no number (IndexError: "")
        return not_decimal(limits)
    if math.isnan(value) or (math.isinf(value) and text.lower().lstrip("+-.") in ("inf", "infinity")):
        return not_a_number(text, limits)
    if not math.isfinite(value):
        return Refused(f"{text} is too large a number for {limits.document}")
    return value


def not_a_number(text: str, limits: Limits) -> Refused:
    return Refused(f"{text} is not a number {limits.document} may hold")


def not_decimal(limits: Limits) -> Refused:
    """YAML 1.1's other ways of writing a number, refused rather than read: a person who writes
    017 or 1:30 rarely means 15 or 90. The text is not repeated: only its digits were counted."""
    return Refused(
        "not a number written in decimal (YAML reads 0x1F, 0b101, 017 and 1:30 as hexadecimal, binary, octal "
        f"and base 60); write numbers in {limits.document} in decimal, or text in quotes"
    )


# --- The walk ------------------------------------------------------------------------------------


def nesting_depth(data: Any, deepest_counted: int = 20) -> int:
    """How deep lists and mappings nest in ``data``, counted up to one past ``deepest_counted``
    (iteratively: no recursion to exhaust)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if depth <= deepest_counted:
                stack.extend(
                    (child, depth + 1) for child in (node.values() if isinstance(node, dict) else node)
                )
    return deepest


def text_problem(text: str, *, longest: int, document: str = "a document") -> str | None:
    """What is wrong with ``text`` as text a page shows: too long, a NUL, half a surrogate pair."""
    if len(text) > longest:
        return f"is {len(text):,} characters long; no text in {document} is longer than {longest:,}"
    unwritable = _UNWRITABLE.search(text)
    if unwritable is None:
        return None
    if unwritable.group() == "\x00":
        return "holds a NUL character (\\u0000), which no text here may hold"
    return f"holds half of a UTF-16 surrogate pair (\\u{ord(unwritable.group()):04x}), which is no character"


def beyond_limits(document: Any, limits: Limits) -> list[Problem]:
    """Every place in ``document`` past ``limits``, in document order."""
    problems: list[Problem] = []
    stack: list[tuple[Any, ProblemPath]] = [(document, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            problem = text_problem(node, longest=limits.text, document=limits.document)
            if problem:
                problems.append((path, problem))
        elif isinstance(node, Refused):
            problems.append((path, node.problem))
        elif isinstance(node, list):
            if len(node) > limits.items:
                problems.append(
                    (
                        path,
                        f"a list of {len(node):,} items; no list in {limits.document} holds more than "
                        f"{limits.items:,}",
                    )
                )
                continue
            stack.extend((item, [*path, index]) for index, item in reversed(list(enumerate(node))))
        elif isinstance(node, dict):
            if len(node) > limits.fields:
                problems.append(
                    (
                        path,
                        f"an object of {len(node):,} fields; none in {limits.document} has more than {limits.fields}",
                    )
                )
                continue
            children = []
            for name in node.repeated if isinstance(node, Fields) else ():
                problems.append((path, f"gives the field {_name(name, limits)} twice"))
            for name, value in node.items():
                problem = _name_problem(name, limits)
                if problem:
                    problems.append((path, f"a field name {problem}"))
                else:
                    children.append((value, [*path, name]))
            stack.extend(reversed(children))
    return problems


def _name_problem(name: Any, limits: Limits) -> str | None:
    if not isinstance(name, str):
        if isinstance(name, Refused):
            return f"must be text, not {name.problem}"
        shown = "a list" if isinstance(name, tuple) else json.dumps(name, default=str)[:40]
        return f"must be text, not {shown}"
    problem = text_problem(name, longest=limits.name, document=limits.document)
    return problem and problem.replace("no text in", "no field name in")


def _name(name: Any, limits: Limits) -> str:
    return f"'{name}'" if _name_problem(name, limits) is None else "(unreadable name)"
