"""Version tokens: one per kind of content, replaced by every write to it, so anything cached or
answered 304 under the old token can never be served for the new content.

Tokens live in the database (base.models.Version) and are written in the writer's own
transaction: every process reads the token together with the data it stands for, so a cache that
is lost, evicted or private to one process costs speed, never a stale page. Tokens are random, not
counters, so a bump is one upsert whatever the row held.

Within a request (base.middleware.RememberVersionsMiddleware) a token is read once and a bump
replaces it, so the ETag, the body's key and the ladder's cached routes of one page cost one
query. A token remembered that way is never newer than what the request reads after it, so
anything cached under it is at least as fresh as the token says.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from base.models import Version

LADDER = "ladder"  # every track, role, requirement, skill, certification and goal template
PEOPLE = "people"  # names and addresses shown beside comments, shares and plans
UNWRITTEN = "0"  # the token of a name nothing has bumped yet

_remembered: ContextVar[dict[str, str] | None] = ContextVar("remembered_versions", default=None)
_gathered: ContextVar[set[str] | None] = ContextVar("gathered_bumps", default=None)


@contextmanager
def remembered() -> Iterator[None]:
    """Read each token at most once inside the block (one request)."""
    reset = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(reset)


@contextmanager
def bumped_once() -> Iterator[None]:
    """Inside the block, bumps only gather their names; each is bumped once when the block ends
    without an error. For a writer of many rows that reads nothing cached under those tokens
    before it is done (a ladder import: one upsert, not one for each row it saves)."""
    names: set[str] = set()
    reset = _gathered.set(names)
    try:
        yield
    finally:
        _gathered.reset(reset)
    bump_many(names)  # not reached when the block raised: its transaction is rolled back


def current(name: str) -> str:
    return current_many([name])[name]


def current_many(names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """The tokens of ``names``, those not yet remembered read in one query."""
    known = _remembered.get()
    if known is None:
        known = {}
    missing = [name for name in names if name not in known]
    if missing:
        found = dict(Version.objects.filter(name__in=missing).values_list("name", "token"))
        known.update({name: found.get(name, UNWRITTEN) for name in missing})
    return {name: known[name] for name in names}


def bump(name: str) -> None:
    """Give ``name`` a new token, in the current transaction."""
    bump_many({name})


def bump_many(names: set[str]) -> None:
    """bump() for many names in one statement (sorted, so two writers lock rows in one order)."""
    if not names:
        return
    gathered = _gathered.get()
    if gathered is not None:
        gathered.update(names)
        return
    rows = [Version(name=name, token=uuid.uuid4().hex) for name in sorted(names)]
    Version.objects.bulk_create(rows, update_conflicts=True, unique_fields=["name"], update_fields=["token"])
    known = _remembered.get()
    if known is not None:
        known.update({row.name: row.token for row in rows})


def plan(plan_id: int) -> str:
    """The name of a plan's version: its goals, check-ins, assessments, certifications,
    activities, shares and comments all move it."""
    return f"plan:{plan_id}"
