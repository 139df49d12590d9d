"""Reading an uploaded document, JSON or YAML, within limits far above what any real one holds,
so a hostile or broken file is refused, with what and where, before anything else looks at it.

Every door a document comes in by reads through here (docs/export-format.md, "Limits";
docs/ladder-format.md, "Limits"): the plan import (goals.portability.reading), the ladder upload in the admin
and ``manage.py import_ladder`` (skills.ladder.reading). Each door gives its ``Limits``; they
bound the file's size, how deep it nests, how many items a list and fields an object hold, how
long a text or a field name is, how many digits a number has. Text that no page could show is
refused too: a NUL character (PostgreSQL refuses it: a 500 when it is written) and half of a
UTF-16 surrogate pair (it cannot be written as UTF-8: a 500 on any page showing it).

Numbers, NaN and repeated fields are spotted while the parser reads them (json's hooks, the YAML
loader's constructors) and marked; one walk over the parsed document then names the place of
every problem (base.document_limits: the limits, the marks and the walk). YAML is read as JSON's
values only (base.document_yaml): no anchors or aliases ("billion laughs"), no dates, binary data
or sets, numbers in decimal only (YAML 1.1 reads 017 as 15 and 1:30 as 90). Places are written
as paths ("plans[0].goals[1].title"); each door adds the entry's name where it knows one that is
safe to show.

Imports no app: every app may read through it.
"""

import json
import re
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from base.document_limits import (
    Limits,
    Problem,
    Refused,
    beyond_limits,
    format_path,
    fraction,
    marked_object,
    nesting_depth,
    not_a_number,
    too_deep,
    whole_number,
)
from base.document_yaml import YamlLoader, YamlRefusal


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
            object_pairs_hook=marked_object,
        )
    except json.JSONDecodeError as error:
        ends = " (the file ends there: is it cut short?)" if _cut_short(text, error.pos) else ""
        raise DocumentRefused(
            [(None, f"line {error.lineno}, column {error.colno}: invalid JSON: {error.msg}{ends}")]
        ) from None
    except RecursionError:
        raise DocumentRefused([(None, too_deep(limits))]) from None
    return _within_limits(document, limits)


def read_yaml(text: str, limits: Limits) -> Any:
    """The document in YAML ``text``, read as JSON's values only, within ``limits``;
    DocumentRefused naming every place past them, or where the text is not YAML."""
    _check_size(text, limits)
    loader = YamlLoader(text, limits)
    try:
        document = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise DocumentRefused([(None, f"{where}invalid YAML: {problem}")]) from None
    except YamlRefusal as refusal:
        raise DocumentRefused([(None, str(refusal))]) from None
    finally:
        loader.dispose()
    return _within_limits(document, limits)


def too_large(size: int, limits: Limits) -> str:
    """The refusal of a file of ``size`` bytes, past the limit (an upload counted by base.uploads)."""
    return f"the file is {size:,} bytes; {limits.document} may be {limits.bytes:,} bytes at most"


def _cut_short(text: str, position: int) -> bool:
    """Whether the text ends in the value that does not parse (a download cut short)."""
    rest = text[position:].rstrip()
    if rest.startswith('"'):
        return '"' not in rest[1:]
    return re.search(r"[\s,:\]}]", rest) is None


def _check_size(text: str, limits: Limits) -> None:
    if len(text) > limits.bytes or len(text.encode("utf-8", "surrogatepass")) > limits.bytes:
        raise DocumentRefused([(None, too_large(len(text.encode("utf-8", "surrogatepass")), limits))])


def _within_limits(document: Any, limits: Limits) -> Any:
    if nesting_depth(document, limits.depth) > limits.depth:
        raise DocumentRefused([(None, too_deep(limits))])
    problems = beyond_limits(document, limits)
    if problems:
        raise DocumentRefused(problems, document)
    return document


class _JsonHooks:
    """json's parse hooks, bounding numbers before they are converted."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    def whole(self, text: str) -> int | Refused:
        return whole_number(text, self.limits)

    def fraction(self, text: str) -> float | Refused:
        return fraction(text, self.limits, partial(float, text))

    def constant(self, name: str) -> Refused:
        return not_a_number(name, self.limits)
