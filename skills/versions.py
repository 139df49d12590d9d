"""Version keys: a token per kind of content that every write to it replaces, so anything cached
or answered 304 under the old token can never be served for the new content.

Tokens live in the cache (Redis in production) and are random, not counters: a token the cache
evicted is simply a new version (a cache miss), never an old one. They change when the writing
transaction commits, so a reader can't pair the new token with data read before the commit.
skills is the base app, so plans and goals (and skills' own ladder) use this one helper.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

LADDER = "ladder"  # every track, role, requirement, skill, certification and goal template
PEOPLE = "people"  # names and addresses shown beside comments, shares and plans
NEVER_EXPIRE = None


def _key(name: str) -> str:
    return f"version:{name}"


def current(name: str) -> str:
    token = cache.get(_key(name))
    if token is None:
        cache.add(_key(name), uuid.uuid4().hex, NEVER_EXPIRE)
        token = cache.get(_key(name)) or uuid.uuid4().hex
    return token


def bump(name: str) -> None:
    """Move the version forward once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: cache.set(_key(name), uuid.uuid4().hex, NEVER_EXPIRE))


def bump_many(names: set[str]) -> None:
    """bump() for many names in one cache round trip."""
    if names:
        transaction.on_commit(
            lambda: cache.set_many({_key(name): uuid.uuid4().hex for name in names}, NEVER_EXPIRE)
        )


def plan(plan_id: int) -> str:
    """The name of a plan's version: its goals, check-ins, assessments, certifications,
    activities, shares and comments all move it."""
    return f"plan:{plan_id}"
