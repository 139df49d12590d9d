"""Reading ladder files: JSON or YAML by extension, through the one document reader
(base.documents), within a ladder file's limits (docs/ladder-format.md, "Limits").

A ladder file may come from anyone with a ladder editor's login (or a shell), so reading one is
bounded as an export is: at most MAX_BYTES, nested at most MAX_DEPTH deep, lists, objects, texts
and numbers bounded, no NUL or half surrogate pair in a text, no YAML anchors or aliases (whose
expansion turns a kilobyte into gigabytes: "billion laughs"), no field given twice. Each is
refused with a message naming the entry and the field.
"""

from pathlib import Path

from base.document_limits import Limits
from base.documents import DocumentRefused, read_json, read_path, read_yaml
from skills.ladder.errors import LadderError, render_problems

LIMITS = Limits(document="a ladder file", bytes=2 * 1024 * 1024)  # the shipped ladders are ~100 kB
MAX_BYTES = LIMITS.bytes
MAX_DEPTH = LIMITS.depth  # a ladder is tracks > roles > requirements > fields: about five deep
SUFFIXES = (".json", ".yaml", ".yml")


def load_ladder_file(path: str | Path) -> dict:
    """Parse a ladder file, JSON or YAML by its extension; LadderError if it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise LadderError(f"unsupported file type {suffix or '(none)'!r}: use .json, .yaml or .yml")
    try:
        text = read_path(path, LIMITS)
    except DocumentRefused as refused:
        raise LadderError(refusal_lines(refused)) from None
    return parse_ladder_text(text, yaml_format=suffix != ".json")


def parse_ladder_text(text: str, *, yaml_format: bool) -> dict:
    """The document in ``text`` (YAML or JSON), within the limits above; LadderError if not."""
    try:
        return (read_yaml if yaml_format else read_json)(text, LIMITS)
    except DocumentRefused as refused:
        raise LadderError(refusal_lines(refused)) from None


def refusal_lines(refused: DocumentRefused) -> list[str]:
    """The reader's problems as a ladder's: the file's own first, then each place with its entry
    named as every ladder problem names it ('tracks[0].roles[3] (senior-analyst): level: …')."""
    whole = [what for path, what in refused.problems if path is None]
    placed = [(path, what) for path, what in refused.problems if path is not None]
    return whole + render_problems(refused.document, placed)
