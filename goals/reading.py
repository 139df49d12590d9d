"""Reading an uploaded export file (goals.importing) within limits far above any export's, so a
hostile or broken file is refused, with what and where, before anything else looks at it.

The limits (docs/export-format.md, "Limits"): the file's size (counted as it arrives, by
goals.uploads), how deep it nests, how many items a list and fields an object hold, how long a
text or a field name is, how many digits a number has. Text that no page could show is refused
too: a NUL character (PostgreSQL refuses it: a 500 when the import is written) and half of a
UTF-16 surrogate pair (it cannot be written as UTF-8: a 500 on any page showing it).

Numbers, NaN and repeated fields are spotted while json parses (its hooks) and marked; one walk
over the parsed document then names the place of every problem. Places are written as paths
only ("plans[0].goals[1].title"), never with the entry's title, which may be the bad text.
"""

import json
import math
import re
from typing import Any

from skills.ladder.errors import ProblemPath, format_path
from skills.ladder.reading import nesting_depth

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 20
MAX_ITEMS = 50_000  # in any one list (a goal's check-ins: 43,000 fill a 5 MB file)
MAX_FIELDS = 100  # in any one object (an export's have at most 23)
MAX_TEXT = 100_000  # characters in any one text
MAX_NAME = 100  # characters in a field name
MAX_DIGITS = 15  # in a whole number
MAX_NUMBER = 30  # characters of a number with a fraction or an exponent

_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


class ImportRefused(ValueError):
    """A file that cannot be imported: one line per problem, naming the entry and the field."""

    def __init__(self, problems: str | list[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class _Refused:
    """Stands in the parsed document for a value json could read but an export never holds."""

    def __init__(self, problem: str) -> None:
        self.problem = problem


class _Fields(dict):
    """An object whose fields json read more than once (the last one would silently win)."""

    repeated: list[str]


def read_document(raw: bytes) -> dict:
    """The document in an uploaded file; ImportRefused if it is too large, not UTF-8 JSON, or past
    any of the limits above."""
    if len(raw) > MAX_BYTES:
        raise ImportRefused(f"The file is {len(raw):,} bytes; an export may be {MAX_BYTES:,} bytes at most.")
    try:
        document = json.loads(
            raw.decode("utf-8"),
            parse_int=_whole,
            parse_float=_fraction,
            parse_constant=_constant,
            object_pairs_hook=_object,
        )
    except UnicodeDecodeError:
        raise ImportRefused("The file is not text (UTF-8): is it a CareerPath export?") from None
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            f"Line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); the file may be cut short."
        ) from None
    except RecursionError:
        raise ImportRefused(f"The file nests more than {MAX_DEPTH} levels deep; no export does.") from None
    if nesting_depth(document) > MAX_DEPTH:
        raise ImportRefused(f"The file nests more than {MAX_DEPTH} levels deep; no export does.")
    problems = beyond_limits(document)
    if problems:
        raise ImportRefused(problems)
    if not isinstance(document, dict):
        raise ImportRefused("The file is JSON, but not a CareerPath export (an object with its plans).")
    return document


def _whole(text: str) -> int | _Refused:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        # Checked before int(): Python refuses to convert more than 4,300 digits (ValueError).
        return _Refused(
            f"a whole number of {digits:,} digits; no number in an export has more than {MAX_DIGITS}"
        )
    return int(text)


def _fraction(text: str) -> float | _Refused:
    if len(text) > MAX_NUMBER:
        return _Refused(
            f"a number of {len(text):,} characters; no number in an export has more than {MAX_NUMBER}"
        )
    value = float(text)
    return value if math.isfinite(value) else _Refused(f"{text} is too large a number for any export")


def _constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a number JSON allows")


def _object(pairs: list[tuple[str, Any]]) -> dict:
    fields = dict(pairs)
    if len(fields) == len(pairs):
        return fields
    marked = _Fields(fields)
    seen: set[str] = set()
    marked.repeated = list(dict.fromkeys(name for name, _ in pairs if name in seen or seen.add(name)))
    return marked


def _text_problem(text: str, *, longest: int) -> str | None:
    if len(text) > longest:
        return f"is {len(text):,} characters long; no text in an export is longer than {longest:,}"
    unwritable = _UNWRITABLE.search(text)
    if unwritable is None:
        return None
    if unwritable.group() == "\x00":
        return "holds a NUL character (\\u0000), which no text here may hold"
    return f"holds half of a UTF-16 surrogate pair (\\u{ord(unwritable.group()):04x}), which is no character"


def beyond_limits(document: Any) -> list[str]:
    """Every place in ``document`` past the limits, in document order: one line each."""
    problems: list[str] = []

    def say(path: ProblemPath, what: str) -> None:
        problems.append(f"{format_path(path) or '(document)'}: {what}")

    stack: list[tuple[Any, ProblemPath]] = [(document, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            problem = _text_problem(node, longest=MAX_TEXT)
            if problem:
                say(path, problem)
        elif isinstance(node, _Refused):
            say(path, node.problem)
        elif isinstance(node, list):
            if len(node) > MAX_ITEMS:
                say(
                    path, f"a list of {len(node):,} items; no list in an export holds more than {MAX_ITEMS:,}"
                )
                continue
            stack.extend((item, [*path, index]) for index, item in reversed(list(enumerate(node))))
        elif isinstance(node, dict):
            if len(node) > MAX_FIELDS:
                say(path, f"an object of {len(node):,} fields; none in an export has more than {MAX_FIELDS}")
                continue
            children = []
            for name in isinstance(node, _Fields) and node.repeated or ():
                say(path, f"gives the field {_name(name)} twice")
            for name, value in node.items():
                problem = _text_problem(name, longest=MAX_NAME)
                if problem:
                    say(path, f"a field name {problem.replace('text in an export', 'field name')}")
                else:
                    children.append((value, [*path, name]))
            stack.extend(reversed(children))
    return problems


def _name(name: str) -> str:
    return f"'{name}'" if _text_problem(name, longest=MAX_NAME) is None else "(unreadable name)"
