"""What every part of the ladder format shares: its name and version, the schema, and the
conversions import and export must agree on so that a round trip changes nothing."""

from decimal import Decimal
from pathlib import Path

FORMAT = "careerpath-ladder"
VERSION = 1
SCHEMA_PATH = Path(__file__).parent.parent / "ladder.schema.json"

RoleKey = tuple[str, str]  # (track slug, role slug)


def to_decimal(value: int | float) -> Decimal:
    return Decimal(str(value))


def text_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
