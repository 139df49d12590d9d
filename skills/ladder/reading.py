"""Reading ladder files: JSON or YAML by extension, with the position of a syntax error."""

import json
from pathlib import Path

import yaml

from skills.ladder.errors import LadderError


def load_ladder_file(path: str | Path) -> dict:
    """Parse a ladder file, JSON or YAML by its extension; LadderError if it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        raise LadderError(f"unsupported file type {suffix or '(none)'!r}: use .json, .yaml or .yml")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LadderError(f"cannot read the file: {exc}") from exc
    return _parse_json(text) if suffix == ".json" else _parse_yaml(text)


def _parse_json(text: str) -> dict:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise LadderError(f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}") from exc


def _parse_yaml(text: str) -> dict:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise LadderError(f"{where}invalid YAML: {problem}") from exc
