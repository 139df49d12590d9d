"""Reading ladder files: JSON or YAML by extension, with the position of a syntax error.

A ladder file may come from anyone with a ladder editor's login (or a shell), so reading one is
bounded: at most MAX_BYTES, nested at most MAX_DEPTH deep, and no YAML anchors or aliases, whose
expansion turns a kilobyte into gigabytes ("billion laughs"). Each is refused with a message.
"""

import json
from pathlib import Path

import yaml

from skills.ladder.errors import LadderError

MAX_BYTES = 2 * 1024 * 1024  # the shipped ladder is ~40 kB
MAX_DEPTH = 20  # a ladder is tracks > roles > skills > levels: about six deep


class _LadderYamlLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and nesting deeper than MAX_DEPTH while it composes."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise LadderError(
                f"line {mark.line + 1}, column {mark.column + 1}: YAML anchors and aliases (& and *) "
                "are not allowed in a ladder file: write each entry out"
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise LadderError(f"line {mark.line + 1}: nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_ladder_file(path: str | Path) -> dict:
    """Parse a ladder file, JSON or YAML by its extension; LadderError if it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        raise LadderError(f"unsupported file type {suffix or '(none)'!r}: use .json, .yaml or .yml")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LadderError(f"the file is {size:,} bytes; a ladder file may be {MAX_BYTES:,} at most")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LadderError(f"cannot read the file: {exc}") from exc
    return parse_ladder_text(text, yaml_format=suffix != ".json")


def parse_ladder_text(text: str, *, yaml_format: bool) -> dict:
    """The document in ``text`` (YAML or JSON), within the bounds above; LadderError if not."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise LadderError(f"a ladder file may be {MAX_BYTES:,} bytes at most")
    data = _parse_yaml(text) if yaml_format else _parse_json(text)
    if nesting_depth(data) > MAX_DEPTH:
        raise LadderError(f"nested more than {MAX_DEPTH} levels deep")
    return data


def nesting_depth(data) -> int:
    """How deep lists and mappings nest in ``data`` (iteratively: no recursion to exhaust)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend(
                    (child, depth + 1) for child in (node.values() if isinstance(node, dict) else node)
                )
    return deepest


def _parse_json(text: str) -> dict:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise LadderError(f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}") from exc
    except RecursionError as exc:
        raise LadderError(f"nested more than {MAX_DEPTH} levels deep") from exc


def _parse_yaml(text: str) -> dict:
    try:
        return yaml.load(text, Loader=_LadderYamlLoader)  # noqa: S506 (a SafeLoader, bounded)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise LadderError(f"{where}invalid YAML: {problem}") from exc
