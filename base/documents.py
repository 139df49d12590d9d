"""Reading an uploaded document, JSON or YAML, within limits far above what any real one holds,
so a hostile or broken file is refused, with what and where, before anything else looks at it.

Every door a document comes in by reads through here (docs/export-format.md, "Limits";
docs/ladder-format.md, "Limits"): the plan import (goals.reading), the ladder upload in the admin
and ``manage.py import_ladder`` (skills.ladder.reading). Each door gives its ``Limits``; they
bound the file's size, how deep it nests, how many items a list and fields an object hold, how
long a text or a field name is, how many digits a number has. Text that no page could show is
refused too: a NUL character (PostgreSQL refuses it: a 500 when it is written) and half of a
UTF-16 surrogate pair (it cannot be written as UTF-8: a 500 on any page showing it).

Numbers, NaN and repeated fields are spotted while the parser reads them (json's hooks, the YAML
loader's constructors) and marked; one walk over the parsed document then names the place of
every problem. YAML is read as JSON's values only: no anchors or aliases ("billion laughs"), no
dates, binary data or sets. Places are written as paths ("plans[0].goals[1].title"); each door
adds the entry's name where it knows one that is safe to show.

Imports no app: every app may read through it.
"""

import json
import math
import re
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ProblemPath = list[str | int]  # keys and list positions from the document's root
Problem = tuple[ProblemPath | None, str]  # None: the file as a whole (its size, its syntax)

# The longest text any document holds, and so any form takes (base.forms): what a person writes
# can always be exported and imported again.
MAX_TEXT = 100_000

_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


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


class DocumentRefused(ValueError):
    """A document past its limits or unreadable. ``problems``: (path, what) pairs in document
    order, the path None for the file as a whole; ``document``: what was parsed, if anything
    was (with the refused values marked), for a door that names entries by their contents."""

    def __init__(self, problems: list[Problem], document: Any = None) -> None:
        self.problems = problems
        self.document = document
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem: 'plans[0].goals[1].title: what is wrong', paths only."""
        return [
            what if path is None else f"{format_path(path) or '(document)'}: {what}"
            for path, what in self.problems
        ]


def format_path(path: ProblemPath) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


# --- Reading -----------------------------------------------------------------------------------


def decode(raw: bytes, limits: Limits) -> str:
    """The text of an uploaded file (UTF-8, a byte-order mark dropped); DocumentRefused if it is
    larger than the limit or not UTF-8."""
    if len(raw) > limits.bytes:
        raise DocumentRefused([(None, too_large(len(raw), limits))])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentRefused(
            [(None, "the file is not UTF-8 text: save it as UTF-8 and upload it again")]
        ) from None


def read_path(path: str | Path, limits: Limits) -> str:
    """The text of a file on disk, read no further than the limit; DocumentRefused if it is
    larger, not UTF-8, or cannot be read (OSError's words)."""
    try:
        with open(path, "rb") as file:
            raw = file.read(limits.bytes + 1)
            if len(raw) > limits.bytes:
                size = max(Path(path).stat().st_size, len(raw))
                raise DocumentRefused([(None, too_large(size, limits))])
    except OSError as error:
        raise DocumentRefused([(None, f"cannot read the file: {error.strerror or error}")]) from None
    return decode(raw, limits)


def read_json(text: str, limits: Limits) -> Any:
    """The document in JSON ``text``, within ``limits``; DocumentRefused naming every place past
    them, or the line and column where the text is not JSON."""
    _check_size(text, limits)
    hooks = _JsonHooks(limits)
    try:
        document = json.loads(
            text,
            parse_int=hooks.whole,
            parse_float=hooks.fraction,
            parse_constant=hooks.constant,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as error:
        ends = " (the file ends there: is it cut short?)" if _cut_short(text, error.pos) else ""
        raise DocumentRefused(
            [(None, f"line {error.lineno}, column {error.colno}: invalid JSON: {error.msg}{ends}")]
        ) from None
    except RecursionError:
        raise DocumentRefused([(None, _too_deep(limits))]) from None
    return _within_limits(document, limits)


def read_yaml(text: str, limits: Limits) -> Any:
    """The document in YAML ``text``, read as JSON's values only, within ``limits``;
    DocumentRefused naming every place past them, or where the text is not YAML."""
    _check_size(text, limits)
    loader = _YamlLoader(text, limits)
    try:
        document = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise DocumentRefused([(None, f"{where}invalid YAML: {problem}")]) from None
    except _Refusal as refusal:
        raise DocumentRefused([(None, str(refusal))]) from None
    finally:
        loader.dispose()
    return _within_limits(document, limits)


def _cut_short(text: str, position: int) -> bool:
    """Whether the text ends in the value that does not parse (a download cut short)."""
    rest = text[position:].rstrip()
    if rest.startswith('"'):
        return '"' not in rest[1:]
    return re.search(r"[\s,:\]}]", rest) is None


def _check_size(text: str, limits: Limits) -> None:
    if len(text) > limits.bytes or len(text.encode("utf-8", "surrogatepass")) > limits.bytes:
        raise DocumentRefused([(None, too_large(len(text.encode("utf-8", "surrogatepass")), limits))])


def too_large(size: int, limits: Limits) -> str:
    """The refusal of a file of ``size`` bytes, past the limit (an upload counted by base.uploads)."""
    return f"the file is {size:,} bytes; {limits.document} may be {limits.bytes:,} bytes at most"


def _too_deep(limits: Limits) -> str:
    return f"nested more than {limits.depth} levels deep"


def _within_limits(document: Any, limits: Limits) -> Any:
    if nesting_depth(document, limits.depth) > limits.depth:
        raise DocumentRefused([(None, _too_deep(limits))])
    problems = beyond_limits(document, limits)
    if problems:
        raise DocumentRefused(problems, document)
    return document


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


# --- Values a reader marks -------------------------------------------------------------------------


class Refused:
    """Stands in the parsed document for a value the parser could read but no document holds."""

    def __init__(self, problem: str) -> None:
        self.problem = problem

    def __repr__(self) -> str:
        return f"Refused({self.problem!r})"


class _Fields(dict[Any, Any]):
    """An object whose fields were given more than once (the last one would silently win)."""

    repeated: list[str]


def _object(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    fields = dict(pairs)
    if len(fields) == len(pairs):
        return fields
    marked = _Fields(fields)
    seen: list[Any] = []
    marked.repeated = []
    for name, _ in pairs:
        if name in seen and name not in marked.repeated:
            marked.repeated.append(name)
        seen.append(name)
    return marked


def _whole(text: str, limits: Limits) -> int | Refused:
    digits = len(text.lstrip("+-").replace("_", ""))
    if digits > limits.digits:
        # Checked before int(): Python refuses to convert more than 4,300 digits (ValueError).
        return Refused(
            f"a whole number of {digits:,} digits; no number in {limits.document} has more than {limits.digits}"
        )
    return int(text)


def _fraction(text: str, value: float, limits: Limits) -> float | Refused:
    if len(text) > limits.number:
        return Refused(
            f"a number of {len(text):,} characters; no number in {limits.document} has more than {limits.number}"
        )
    if math.isnan(value) or (math.isinf(value) and text.lower().lstrip("+-.") in ("inf", "infinity")):
        return _not_a_number(text, limits)
    if not math.isfinite(value):
        return Refused(f"{text} is too large a number for {limits.document}")
    return value


def _not_a_number(text: str, limits: Limits) -> Refused:
    return Refused(f"{text} is not a number {limits.document} may hold")


class _JsonHooks:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    def whole(self, text: str) -> int | Refused:
        return _whole(text, self.limits)

    def fraction(self, text: str) -> float | Refused:
        if len(text) > self.limits.number:
            return _fraction(text, 0.0, self.limits)
        return _fraction(text, float(text), self.limits)

    def constant(self, name: str) -> Refused:
        return _not_a_number(name, self.limits)


class _Refusal(Exception):
    """Raised while composing YAML: the file as a whole is refused."""


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NOT_JSON = ("binary", "timestamp", "set", "omap", "pairs")


class _YamlLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader reading JSON's values only: aliases and nesting past the limit are
    refused while it composes (an alias's expansion turns a kilobyte into gigabytes: "billion
    laughs"); a date stays text, as in JSON (PyYAML made 2020-13-45 a ValueError); numbers are
    bounded before they are converted; a field given twice is marked."""

    # Implicit dates are text: the resolvers without the timestamp one.
    yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    peek_event: Callable[[], Any]  # PyYAML's, which its stubs leave untyped

    def __init__(self, stream: str, limits: Limits) -> None:
        super().__init__(stream)
        self.limits = limits
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise _Refusal(
                f"line {mark.line + 1}, column {mark.column + 1}: YAML anchors and aliases (& and *) are not "
                f"allowed in {self.limits.document}: write each entry out"
            )
        # Lists and mappings count, as nesting_depth counts them.
        collection = int(self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent))
        self._depth += collection
        try:
            if self._depth > self.limits.depth:
                mark = self.peek_event().start_mark
                raise _Refusal(f"line {mark.line + 1}: {_too_deep(self.limits)}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= collection

    # A Refused stands in for a number out of bounds (so Any: PyYAML declares int, float).
    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        text = str(self.construct_scalar(node))
        refused = _whole(text, self.limits)
        return refused if isinstance(refused, Refused) else super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        text = str(self.construct_scalar(node))
        if len(text) > self.limits.number:
            return _fraction(text, 0.0, self.limits)
        return _fraction(text, super().construct_yaml_float(node), self.limits)

    def construct_yaml_map(self, node: yaml.MappingNode) -> Generator[_Fields, None, None]:
        data = _Fields()
        data.repeated = []
        yield data
        names = [self.construct_object(key) for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge"]
        data.update(self.construct_mapping(node))
        seen: list[Any] = []
        for name in names:
            if name in seen and name not in data.repeated:
                data.repeated.append(name)
            seen.append(name)

    def construct_not_json(self, node: yaml.Node) -> Refused:
        kind = node.tag.rpartition(":")[2]
        return Refused(
            f"a YAML !!{kind} value; {self.limits.document} holds text, numbers, true, false, null, "
            "lists and mappings only"
        )


_YamlLoader.add_constructor("tag:yaml.org,2002:int", _YamlLoader.construct_yaml_int)
_YamlLoader.add_constructor("tag:yaml.org,2002:float", _YamlLoader.construct_yaml_float)
_YamlLoader.add_constructor("tag:yaml.org,2002:map", _YamlLoader.construct_yaml_map)
for _kind in _NOT_JSON:
    _YamlLoader.add_constructor(f"tag:yaml.org,2002:{_kind}", _YamlLoader.construct_not_json)


# --- The walk ------------------------------------------------------------------------------------


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
            for name in node.repeated if isinstance(node, _Fields) else ():
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
        shown = "a list" if isinstance(name, tuple) else json.dumps(name, default=str)[:40]
        return f"must be text, not {shown}"
    problem = text_problem(name, longest=limits.name, document=limits.document)
    return problem and problem.replace("no text in", "no field name in")


def _name(name: Any, limits: Limits) -> str:
    return f"'{name}'" if _name_problem(name, limits) is None else "(unreadable name)"
