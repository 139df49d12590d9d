"""The checks every ladder shipped in skills/ladders/ must pass, whatever its content.

Each file is checked as `make run` loads it: load_demo_data imports every file on an empty
database, in name order, so a file whose transitions lead into another file's track must sort
after that file (software-engineering after product-management).
"""

import json
from collections import deque
from pathlib import Path

import jsonschema
import pytest

from skills.ladder import (
    SCHEMA_PATH,
    dump_ladder,
    export_ladder,
    import_ladder,
    load_ladder_file,
    schema_errors,
)
from skills.management.commands.load_demo_data import LADDERS_DIR
from skills.models import Role, RoleSkill, Track, Transition

SHIPPED = sorted(p for p in LADDERS_DIR.glob("*") if p.suffix in (".json", ".yaml", ".yml"))


def shipped_ladders():
    return pytest.mark.parametrize("path", SHIPPED, ids=[path.name for path in SHIPPED])


def file_tracks(path: Path) -> list[Track]:
    slugs = [track["slug"] for track in load_ladder_file(path)["tracks"]]
    return list(Track.objects.filter(slug__in=slugs))


@pytest.fixture
def loaded(shipped_ladders, db) -> None:
    """What load_demo_data loads on an empty database, once for the module (tests/conftest.py)."""


def test_both_ladders_are_shipped():
    assert {path.name for path in SHIPPED} >= {"product-management.json", "software-engineering.json"}


@shipped_ladders()
def test_file_validates_against_the_schema(path):
    data = load_ladder_file(path)

    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text()))
    assert schema_errors(data) == []


def test_load_demo_data_loads_every_file_on_an_empty_database(loaded):
    shipped_tracks = {track["slug"] for path in SHIPPED for track in load_ladder_file(path)["tracks"]}

    assert set(Track.objects.values_list("slug", flat=True)) == shipped_tracks


@shipped_ladders()
def test_importing_it_again_changes_nothing(path, loaded):
    tracks = file_tracks(path)
    exported = export_ladder(tracks)

    result = import_ladder(load_ladder_file(path))

    assert (result.total_created, result.total_updated) == (0, 0), str(result)
    assert export_ladder(tracks) == exported


@shipped_ladders()
def test_every_role_is_reachable_from_an_entry_point(path, loaded):
    tracks = file_tracks(path)
    roles = set(Role.objects.filter(track__in=tracks))
    following = {}
    for transition in Transition.objects.select_related("from_role", "to_role"):
        following.setdefault(transition.from_role, []).append(transition.to_role)

    seen = {role for role in roles if role.is_entry_point}
    queue = deque(seen)
    while queue:
        for role in following.get(queue.popleft(), []):
            if role not in seen:
                seen.add(role)
                queue.append(role)

    assert seen, "no entry point"
    assert sorted(str(role) for role in roles - seen) == []


@shipped_ladders()
def test_requirements_never_fall_along_a_transition_within_a_track(path, loaded):
    """A higher role requires at least the level of the role below it, skill by skill. A skill the
    higher role leaves out is not compared (product-management's leader drops hands-on skills);
    moves into another track are not compared either: their gap is the point."""
    tracks = file_tracks(path)
    required = {
        (requirement.role_id, requirement.skill.slug): requirement.level
        for requirement in RoleSkill.objects.filter(role__track__in=tracks).select_related("skill")
    }
    transitions = Transition.objects.filter(from_role__track__in=tracks).select_related(
        "from_role", "to_role"
    )
    falls = [
        f"{t.from_role.slug} → {t.to_role.slug}: {skill} {level} → {required[t.to_role_id, skill]}"
        for t in transitions
        if t.to_role.track_id == t.from_role.track_id
        for (role_id, skill), level in required.items()
        if role_id == t.from_role_id and required.get((t.to_role_id, skill), level) < level
    ]

    assert falls == []


@shipped_ladders()
def test_file_is_exactly_what_export_writes(path, loaded):
    """Editors can export, change and commit without reordering noise; nothing is lost on import."""
    fmt = "json" if path.suffix == ".json" else "yaml"

    assert dump_ladder(export_ladder(file_tracks(path)), fmt) == path.read_text(encoding="utf-8")
