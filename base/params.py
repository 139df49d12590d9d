"""Ids read from a query string or a form: one rule every app shares."""

import re

# ASCII digits only: str.isdigit() also accepts "²" and "٣", which int() refuses or reads as a
# number nobody typed. At most 18 digits: a bigint, never a database error.
_ID = re.compile(r"[0-9]{1,18}")


def parse_id(value: object) -> int | None:
    """The id ``value`` names, or None for anything that is not one (missing, empty, "²", "-1", "1e3")."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    return int(value) if isinstance(value, str) and _ID.fullmatch(value) else None
