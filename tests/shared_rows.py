"""Rows written once for a group of tests that only read them.

The pattern of tests/conftest.py's `shipped_ladders`, for any rows: the writes stay in a
transaction rolled back when the group is done; each test's own transaction (the `db` fixture)
nests in it as a savepoint, so what a test writes is undone after it, as always. Not for tests
with real transactions (transactional_db, live_server), whose flush would empty it.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def rows_kept_until_exit(django_db_blocker, write: Callable[[], Any]) -> Iterator[Any]:
    """Run `write` in a transaction that lasts until the block ends, then is rolled back; yields
    what `write` returned."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            written = write()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield written
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
