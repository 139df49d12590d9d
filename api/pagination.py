"""Cursor pagination by primary key: a page is rows after the cursor's id, so a row added while a
client pages through never shifts the next page (offsets would repeat or skip one)."""

import base64
import binascii
from typing import Any

from django.db.models import QuerySet
from ninja import Schema
from ninja.errors import ValidationError

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


class PageParams(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii") + b"==").decode("ascii")
    except (ValueError, binascii.Error, UnicodeError):
        text = ""
    if not (text.startswith("after:") and text[6:].isascii() and text[6:].isdigit() and len(text) < 30):
        raise ValidationError([{"loc": ["cursor"], "msg": "Not a cursor this API gave: use next_cursor."}])
    return int(text[6:])


def _encode(pk: int) -> str:
    return base64.urlsafe_b64encode(f"after:{pk}".encode()).decode("ascii").rstrip("=")


def page(queryset: QuerySet[Any], *, cursor: str | None, limit: int) -> tuple[list[Any], str | None]:
    """Up to ``limit`` rows (1–200) after the cursor, in id order, and the next page's cursor."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError([{"loc": ["limit"], "msg": f"Ask for 1 to {MAX_LIMIT} items."}])
    rows = queryset.order_by("pk")
    if cursor:
        rows = rows.filter(pk__gt=_decode(cursor))
    items = list(rows[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return items, (_encode(items[-1].pk) if more else None)
