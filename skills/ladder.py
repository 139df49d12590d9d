"""Career ladders as documents: export tracks to JSON or YAML, import them back by slug.

The format is described in docs/ladder-format.md and its structure in ladder.schema.json.
Import is all-or-nothing and idempotent: the whole document is checked first (structure with
jsonschema, then references against the document itself and the database), and only then
written, in one transaction, creating or updating by slug. Import never deletes a row: a role,
transition or requirement left out of a file stays until an admin removes it.
"""

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction
from django.db.models import Prefetch, Q
from jsonschema import Draft202012Validator, ValidationError

from skills.models import Certification, GoalTemplate, Industry, Role, RoleSkill, Skill, Track, Transition

FORMAT = "careerpath-ladder"
VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("ladder.schema.json")

# (key in ImportResult counters, singular, plural), in the order a summary lists them.
KINDS = [
    ("tracks", "track", "tracks"),
    ("roles", "role", "roles"),
    ("transitions", "transition", "transitions"),
    ("skills", "skill", "skills"),
    ("requirements", "skill requirement", "skill requirements"),
    ("industries", "industry", "industries"),
    ("certifications", "certification", "certifications"),
    ("goal_templates", "goal template", "goal templates"),
]

Path_ = list[str | int]
RoleKey = tuple[str, str]  # (track slug, role slug)


class LadderError(ValueError):
    """A ladder document that cannot be imported. ``errors`` has one line per problem."""

    def __init__(self, errors: str | list[str]) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))


@dataclass
class ImportResult:
    """How many rows of each kind (see KINDS) an import created and updated."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_updated(self) -> int:
        return sum(self.updated.values())

    def __str__(self) -> str:
        if not (self.total_created or self.total_updated):
            return "already up to date: nothing created or updated"
        return f"created {_describe_counts(self.created)}; updated {_describe_counts(self.updated)}"


def _describe_counts(counts: Counter) -> str:
    parts = [f"{counts[key]} {one if counts[key] == 1 else many}" for key, one, many in KINDS if counts[key]]
    return ", ".join(parts) or "nothing"


# --- Reading files ----------------------------------------------------------------


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
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise LadderError(f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise LadderError(f"{where}invalid YAML: {problem}") from exc


def dump_ladder(data: dict, fmt: str = "json") -> str:
    """Serialise an exported document; keys keep the export's order so diffs stay small."""
    if fmt == "yaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- Error messages that name the entry and the field -----------------------------


def _format_path(path: Path_) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


def _label(node: Any) -> str | None:
    if not isinstance(node, dict):
        return None
    if isinstance(node.get("slug"), str):
        return node["slug"]
    if isinstance(node.get("from"), str) and isinstance(node.get("to"), str):
        return f"{node['from']} → {node['to']}"
    return None


def _where(data: Any, path: Path_) -> str:
    """'tracks[0].roles[3] (senior-product-manager): requirements[2].skill' for a path into data.

    The entry is the deepest list item on the path that has a slug (or is a transition).
    """
    node, entry_end, label = data, 0, None
    for depth, key in enumerate(path, start=1):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(key, int) and _label(node):
            entry_end, label = depth, _label(node)
    entry, rest = _format_path(path[:entry_end]), _format_path(path[entry_end:])
    parts = ([f"{entry} ({label})"] if entry else []) + ([rest] if rest else [])
    return ": ".join(parts) or "(document)"


def _show(value: Any) -> str:
    text = f"'{value}'" if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}
_PATTERN_HINTS = {
    r"^[-a-zA-Z0-9_]+$": "must be a slug: letters, digits, hyphens and underscores only",
    r"^[-a-zA-Z0-9_]+(/[-a-zA-Z0-9_]+)?$": "must be a role slug, or 'track-slug/role-slug'",
    r"^[^\r\n]*\S[^\r\n]*$": "must be one line of text, not empty",
    r"^(https?://[^\s/$.?#][^\s]*)?$": "must be an http:// or https:// address, or empty",
}


def _json_type(value: Any) -> str:
    for name, types in [("null", type(None)), ("true or false", bool), ("a number", (int, float))]:
        if isinstance(value, types):
            return name
    return {str: "text", list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def _explain(error: ValidationError) -> list[tuple[Path_, str]]:
    """Turn one jsonschema error into (path, sentence) pairs a ladder editor can act on."""
    path, kind, schema, instance = list(error.absolute_path), error.validator, error.schema, error.instance
    if kind == "required":
        return [(path + [name], "is required") for name in error.validator_value if name not in instance]
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        return [
            (path + [name], f"unknown field (allowed: {', '.join(allowed)})")
            for name in instance
            if name not in allowed
        ]
    if kind == "type":
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
        return [(path, f"must be {wanted}, not {_json_type(instance)}")]
    if kind in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        return [(path, f"{_show(instance)} is out of range {low}..{high}")]
    if kind == "enum":
        options = ", ".join(_show(option) for option in error.validator_value)
        return [(path, f"{_show(instance)} is not one of {options}")]
    if kind == "const":
        return [(path, f"must be {_show(error.validator_value)}, not {_show(instance)}")]
    if kind == "pattern":
        return [
            (path, f"{_show(instance)} {_PATTERN_HINTS.get(error.validator_value, 'has the wrong form')}")
        ]
    if kind == "maxLength":
        return [(path, f"is too long: {len(instance)} characters, at most {error.validator_value}")]
    if kind == "uniqueItems":
        return [(path, "lists the same value more than once")]
    return [(path, error.message)]


def _document_order(data: Any, path: Path_) -> list[int]:
    """Positions along a path, so problems are listed in the order they appear in the file."""
    positions, node = [], data
    for key in path:
        if isinstance(node, dict) and key in node:
            positions.append(list(node).index(key))
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            positions.append(key)
        else:
            positions.append(len(node) if isinstance(node, dict | list) else 0)
            break
        node = node[key]
    return positions


def _render(data: Any, problems: list[tuple[Path_, str]]) -> list[str]:
    unique = {(tuple(path), message): path for path, message in problems}
    ordered = sorted(unique.items(), key=lambda item: _document_order(data, item[1]))
    return [f"{_where(data, path)}: {message}" for (_, message), path in ordered]


@cache
def _schema_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_errors(data: Any) -> list[str]:
    """Everything structurally wrong with a document, as readable lines (empty if it is well formed)."""
    problems = [pair for error in _schema_validator().iter_errors(data) for pair in _explain(error)]
    return _render(data, problems)


# --- Referential checks -------------------------------------------------------------


class _Index:
    """What a document may refer to: its own entries plus what the database already holds."""

    def __init__(self, data: dict) -> None:
        def slugs(section: str, model: type[models.Model]) -> set[str]:
            return {item["slug"] for item in data.get(section, [])} | set(
                model.objects.values_list("slug", flat=True)
            )

        self.skills = slugs("skills", Skill)
        self.industries = slugs("industries", Industry)
        self.certifications = slugs("certifications", Certification)
        self.tracks = slugs("tracks", Track)
        self.file_tracks = [track["slug"] for track in data.get("tracks", [])]
        self.file_roles: dict[str, list[str]] = {}
        for track in data.get("tracks", []):
            for role in track["roles"]:
                self.file_roles.setdefault(role["slug"], []).append(track["slug"])
        self.roles: set[RoleKey] = set(Role.objects.values_list("track__slug", "slug"))
        self.roles |= {(track, slug) for slug, tracks in self.file_roles.items() for track in tracks}

    def role_key(self, ref: str, home: str | None) -> RoleKey | None:
        """Where a role reference points: 'track/role', a role on the home track, or the one
        role of that slug among the file's tracks. None if a bare slug is ambiguous or unknown."""
        if "/" in ref:
            track, slug = ref.split("/", 1)
            return track, slug
        if home is not None:
            return home, ref
        tracks = self.file_roles.get(ref, [])
        return (tracks[0], ref) if len(tracks) == 1 else None


class _Checker:
    """Collects every referential problem in a structurally valid document."""

    def __init__(self, data: dict, index: _Index) -> None:
        self.data, self.index = data, index
        self.problems: list[tuple[Path_, str]] = []

    def error(self, path: Path_, message: str) -> None:
        self.problems.append((path, message))

    def run(self) -> list[str]:
        for section, keys in [
            ("skills", ["slug", "name"]),
            ("industries", ["slug", "name"]),
            ("certifications", ["slug", "name"]),
            ("tracks", ["slug", "name"]),
            ("goal_templates", ["slug"]),
        ]:
            self.check_unique(self.data.get(section, []), [section], keys)
        self.check_names_free("skills", Skill, "skill")
        self.check_names_free("industries", Industry, "industry")
        self.check_names_free("certifications", Certification, "certification")
        self.check_names_free("tracks", Track, "track")
        for t, track in enumerate(self.data.get("tracks", [])):
            self.check_track(t, track)
        for c, certification in enumerate(self.data.get("certifications", [])):
            self.check_certification(c, certification)
        for g, template in enumerate(self.data.get("goal_templates", [])):
            self.check_goal_template(g, template)
        return _render(self.data, self.problems)

    def check_unique(self, items: list[dict], base: Path_, keys: list[str]) -> None:
        """Each key's value must differ between the items (the list at path base)."""
        for key in keys:
            seen: dict[Any, int] = {}
            for i, item in enumerate(items):
                value = item[key]
                if value in seen:
                    also = _format_path([*base, seen[value]])
                    self.error([*base, i, key], f"duplicate {key} {_show(value)} (also at {also})")
                else:
                    seen[value] = i

    def check_names_free(self, section: str, model: type[models.Model], what: str) -> None:
        taken = dict(model.objects.values_list("name", "slug"))
        for i, item in enumerate(self.data.get(section, [])):
            other = taken.get(item["name"])
            if other is not None and other != item["slug"]:
                self.error(
                    [section, i, "name"], f"{_show(item['name'])} is already the name of {what} '{other}'"
                )

    def role(self, ref: str, home: str | None, path: Path_, file_only: bool = False) -> RoleKey | None:
        key = self.index.role_key(ref, home)
        if key is None:
            tracks = self.index.file_roles.get(ref, [])
            if tracks:
                self.error(
                    path, f"role {_show(ref)} is on several tracks ({', '.join(tracks)}): write 'track/{ref}'"
                )
            else:
                self.error(path, f"unknown role {_show(ref)}")
        elif file_only and key[0] not in self.index.file_tracks:
            self.error(path, f"role {_show(ref)} must be on one of this file's tracks")
            return None
        elif key not in self.index.roles:
            self.error(path, f"unknown role {_show(key[1])} on track {_show(key[0])}")
            return None
        return key

    def check_track(self, t: int, track: dict) -> None:
        base = ["tracks", t]
        self.check_unique(track["roles"], [*base, "roles"], ["slug"])
        for r, role in enumerate(track["roles"]):
            path = [*base, "roles", r]
            self.check_unique(role.get("requirements", []), [*path, "requirements"], ["skill"])
            for q, requirement in enumerate(role.get("requirements", [])):
                if requirement["skill"] not in self.index.skills:
                    self.error(
                        [*path, "requirements", q, "skill"], f"unknown skill {_show(requirement['skill'])}"
                    )
            for i, industry in enumerate(role.get("industries", [])):
                if industry not in self.index.industries:
                    self.error([*path, "industries", i], f"unknown industry {_show(industry)}")
        seen: dict[tuple, int] = {}
        for x, transition in enumerate(track.get("transitions", [])):
            path = [*base, "transitions", x]
            source = self.role(transition["from"], track["slug"], [*path, "from"])
            target = self.role(transition["to"], track["slug"], [*path, "to"])
            if source is None or target is None:
                continue
            if source == target:
                self.error([*path, "to"], "is the same role as 'from': a role cannot transition to itself")
            elif (source, target) in seen:
                also = _format_path([*base, "transitions", seen[source, target]])
                self.error(path, f"duplicate transition (also at {also})")
            else:
                seen[source, target] = x

    def check_certification(self, c: int, certification: dict) -> None:
        for i, ref in enumerate(certification.get("recommended_for", [])):
            self.role(ref, None, ["certifications", c, "recommended_for", i], file_only=True)

    def check_goal_template(self, g: int, template: dict) -> None:
        path = ["goal_templates", g]
        for key, known in [
            ("track", self.index.tracks),
            ("skill", self.index.skills),
            ("certification", self.index.certifications),
        ]:
            if template.get(key) is not None and template[key] not in known:
                self.error([*path, key], f"unknown {key} {_show(template[key])}")
        track = template.get("track") if template.get("track") in self.index.tracks else None
        if template.get("role") is not None:
            key = self.role(template["role"], track, [*path, "role"])
            if key and track and key[0] != track:
                self.error([*path, "role"], f"role {_show(template['role'])} is not on track {_show(track)}")
        for key in ("baseline", "target"):
            if key in template and Decimal(str(template[key])).as_tuple().exponent < -2:
                self.error([*path, key], f"{_show(template[key])} has more than two decimal places")
        if _decimal(template.get("baseline", 0)) == _decimal(template["target"]):
            self.error([*path, "target"], "must differ from the baseline, or there is no progress to measure")


def _decimal(value: int | float) -> Decimal:
    return Decimal(str(value))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- Writing ------------------------------------------------------------------------


class _Writer:
    """Creates or updates every entry of a checked document, counting what changed."""

    def __init__(self, data: dict, index: _Index) -> None:
        self.data, self.index = data, index
        self.result = ImportResult()
        self.roles: dict[RoleKey, Role] = {}
        self.counted: set[models.Model] = set()  # rows already counted as created or updated

    def run(self) -> ImportResult:
        industries = self.write_all("industries", Industry, lambda item: {"name": item["name"]})
        skills = self.write_all("skills", Skill, self.skill_values)
        self.skills = {**Skill.objects.in_bulk(field_name="slug"), **skills}
        self.industries = {**Industry.objects.in_bulk(field_name="slug"), **industries}
        for track in self.data.get("tracks", []):
            self.write_track(track)
        for track in self.data.get("tracks", []):
            self.write_transitions(track)
        certifications = self.write_all("certifications", Certification, self.certification_values)
        for item in self.data.get("certifications", []):
            self.write_recommendations(certifications[item["slug"]], item.get("recommended_for", []))
        self.certifications = {**Certification.objects.in_bulk(field_name="slug"), **certifications}
        self.write_all("goal_templates", GoalTemplate, self.goal_template_values)
        return self.result

    def upsert(self, kind: str, existing: models.Model | None, model, lookup: dict, values: dict):
        """Create the row, or update the fields that differ; count it if anything changed."""
        if existing is None:
            self.result.created[kind] += 1
            obj = model.objects.create(**lookup, **values)
            self.counted.add(obj)
            return obj
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        for name in changed:
            setattr(existing, name, values[name])
        if changed:
            existing.save(update_fields=changed)
            self.result.updated[kind] += 1
            self.counted.add(existing)
        return existing

    def sync(self, kind: str, obj: models.Model, relation: str, wanted: set, scope: Q | None = None) -> None:
        """Make a many-to-many set (within scope) equal to wanted; count the row once as updated."""
        manager = getattr(obj, relation)
        current = set(manager.filter(scope) if scope is not None else manager.all())
        if current == wanted:
            return
        manager.remove(*(current - wanted))
        manager.add(*(wanted - current))
        if obj not in self.counted:
            self.result.updated[kind] += 1
            self.counted.add(obj)

    def write_all(self, section: str, model, values_for) -> dict[str, models.Model]:
        items = self.data.get(section, [])
        existing = model.objects.in_bulk([item["slug"] for item in items], field_name="slug")
        return {
            item["slug"]: self.upsert(
                section, existing.get(item["slug"]), model, {"slug": item["slug"]}, values_for(item)
            )
            for item in items
        }

    def skill_values(self, item: dict) -> dict:
        return {
            "name": item["name"],
            "category": item["category"],
            "description": item.get("description", ""),
        }

    def certification_values(self, item: dict) -> dict:
        return {
            "name": item["name"],
            "abbreviation": item.get("abbreviation", ""),
            "issuer": item.get("issuer", ""),
            "url": item.get("url", ""),
            "description": item.get("description", ""),
            "validity_months": item.get("validity_months"),
        }

    def goal_template_values(self, item: dict) -> dict:
        role_ref, track = item.get("role"), item.get("track")
        return {
            "title": item["title"],
            "description": item.get("description", ""),
            "metric": item["metric"],
            "unit": item["unit"],
            "baseline": _decimal(item.get("baseline", 0)),
            "target": _decimal(item["target"]),
            "horizon": item["horizon"],
            "duration_months": item.get("duration_months", 6),
            "track_id": Track.objects.get(slug=track).pk if track else None,
            "skill_id": self.skills[item["skill"]].pk if item.get("skill") else None,
            "certification_id": self.certifications[item["certification"]].pk
            if item.get("certification")
            else None,
            "role_id": self.role(self.index.role_key(role_ref, track)).pk if role_ref else None,
        }

    def role(self, key: RoleKey) -> Role:
        if key not in self.roles:
            self.roles[key] = Role.objects.get(track__slug=key[0], slug=key[1])
        return self.roles[key]

    def write_track(self, item: dict) -> None:
        existing = Track.objects.filter(slug=item["slug"]).first()
        values = {"name": item["name"], "description": item.get("description", "")}
        track = self.upsert("tracks", existing, Track, {"slug": item["slug"]}, values)
        roles = {role.slug: role for role in track.roles.all()}
        for role_item in item["roles"]:
            self.write_role(track, roles.get(role_item["slug"]), role_item)

    def write_role(self, track: Track, existing: Role | None, item: dict) -> None:
        lines = [line.strip() for line in item.get("responsibilities", [])]
        values = {
            "title": item["title"],
            "level": item["level"],
            "summary": item.get("summary", ""),
            # Admin textareas store CRLF and bullets; keep the stored text if it says the same.
            "responsibilities": existing.responsibilities
            if existing and _lines(existing.responsibilities) == lines
            else "\n".join(lines),
            "is_entry_point": item.get("entry_point", False),
        }
        role = self.upsert("roles", existing, Role, {"track": track, "slug": item["slug"]}, values)
        self.roles[track.slug, role.slug] = role
        self.sync("roles", role, "industries", {self.industries[slug] for slug in item.get("industries", [])})
        requirements = {requirement.skill_id: requirement for requirement in role.requirements.all()}
        for requirement in item.get("requirements", []):
            skill = self.skills[requirement["skill"]]
            lookup = {"role": role, "skill": skill}
            self.upsert(
                "requirements", requirements.get(skill.pk), RoleSkill, lookup, {"level": requirement["level"]}
            )

    def write_transitions(self, item: dict) -> None:
        for transition in item.get("transitions", []):
            source = self.role((item["slug"], transition["from"]))
            target = self.role(self.index.role_key(transition["to"], item["slug"]))
            existing = Transition.objects.filter(from_role=source, to_role=target).first()
            lookup = {"from_role": source, "to_role": target}
            self.upsert("transitions", existing, Transition, lookup, {"note": transition.get("note", "")})

    def write_recommendations(self, certification: Certification, refs: list[str]) -> None:
        wanted = {self.role(self.index.role_key(ref, None)) for ref in refs}
        # Only this file's tracks are the file's to decide; recommendations on other tracks stay.
        scope = Q(track__slug__in=self.index.file_tracks)
        self.sync("certifications", certification, "roles", wanted, scope)


def import_ladder(data: dict) -> ImportResult:
    """Create or update everything in a ladder document, by slug; all or nothing.

    Raises LadderError listing every problem (and writes nothing) if the document is invalid.
    """
    errors = schema_errors(data)
    if errors:
        raise LadderError(errors)
    with transaction.atomic():
        index = _Index(data)
        errors = _Checker(data, index).run()
        if errors:
            raise LadderError(errors)
        return _Writer(data, index).run()


# --- Export -------------------------------------------------------------------------

_HORIZON_ORDER = {"short": 0, "long": 1}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class _RoleRefs:
    """Writes role references the way import resolves them, as short as stays unambiguous."""

    def __init__(self, roles: list[Role]) -> None:
        self.exported = {role.pk for role in roles}
        self.slug_count = Counter(role.slug for role in roles)

    @staticmethod
    def qualified(role: Role) -> str:
        return f"{role.track.slug}/{role.slug}"

    def on_track(self, role: Role, home: Track | None) -> str:
        if home is not None:
            return role.slug if role.track_id == home.pk else self.qualified(role)
        if role.pk in self.exported and self.slug_count[role.slug] == 1:
            return role.slug
        return self.qualified(role)


def export_ladder(tracks: Iterable[Track]) -> dict:
    """A ladder document for these tracks, with every skill, industry, certification and goal
    template they reference, in a stable order (so exports diff well)."""
    tracks = sorted(tracks, key=lambda track: track.slug)
    roles = list(
        Role.objects.filter(track__in=tracks)
        .select_related("track")
        .prefetch_related("industries", Prefetch("requirements", RoleSkill.objects.select_related("skill")))
        .order_by("track__slug", "level", "slug")
    )
    transitions = list(
        Transition.objects.filter(from_role__in=roles).select_related("from_role__track", "to_role__track")
    )
    templates = list(
        GoalTemplate.objects.filter(Q(track__in=tracks) | Q(role__in=roles))
        .select_related("track", "skill", "certification", "role__track")
        .distinct()
    )
    exported_roles = Role.objects.filter(track__in=tracks).select_related("track")
    certifications = list(
        Certification.objects.filter(Q(roles__in=roles) | Q(goal_templates__in=templates))
        .distinct()
        .prefetch_related(Prefetch("roles", exported_roles.order_by("track__slug", "level", "slug")))
    )
    skills = {requirement.skill for role in roles for requirement in role.requirements.all()}
    skills |= {template.skill for template in templates if template.skill}
    industries = {industry for role in roles for industry in role.industries.all()}
    refs = _RoleRefs(roles)
    return {
        "format": FORMAT,
        "version": VERSION,
        "skills": [_skill_doc(skill) for skill in sorted(skills, key=lambda s: (s.category, s.slug))],
        "industries": [{"name": i.name, "slug": i.slug} for i in sorted(industries, key=lambda i: i.slug)],
        "certifications": [_certification_doc(c, refs) for c in sorted(certifications, key=lambda c: c.slug)],
        "tracks": [_track_doc(track, roles, transitions) for track in tracks],
        "goal_templates": [
            _goal_template_doc(template, refs)
            for template in sorted(templates, key=lambda t: (_HORIZON_ORDER.get(t.horizon, 9), t.slug))
        ],
    }


def _skill_doc(skill: Skill) -> dict:
    return {
        "name": skill.name,
        "slug": skill.slug,
        "category": skill.category,
        "description": skill.description,
    }


def _certification_doc(certification: Certification, refs: _RoleRefs) -> dict:
    return {
        "name": certification.name,
        "slug": certification.slug,
        "abbreviation": certification.abbreviation,
        "issuer": certification.issuer,
        "url": certification.url,
        "description": certification.description,
        "validity_months": certification.validity_months,
        "recommended_for": [refs.on_track(role, None) for role in certification.roles.all()],
    }


def _track_doc(track: Track, roles: list[Role], transitions: list[Transition]) -> dict:
    roles = [role for role in roles if role.track_id == track.pk]
    moves = sorted(
        (t for t in transitions if t.from_role.track_id == track.pk),
        key=lambda t: (
            t.from_role.level,
            t.from_role.slug,
            t.to_role.level,
            t.to_role.track.slug,
            t.to_role.slug,
        ),
    )
    return {
        "name": track.name,
        "slug": track.slug,
        "description": track.description,
        "roles": [_role_doc(role) for role in roles],
        "transitions": [
            {
                "from": t.from_role.slug,
                "to": t.to_role.slug if t.to_role.track_id == track.pk else _RoleRefs.qualified(t.to_role),
                "note": t.note,
            }
            for t in moves
        ],
    }


def _role_doc(role: Role) -> dict:
    requirements = sorted(role.requirements.all(), key=lambda r: (r.skill.category, r.skill.slug))
    return {
        "title": role.title,
        "slug": role.slug,
        "level": role.level,
        "summary": role.summary,
        "responsibilities": _lines(role.responsibilities),
        "entry_point": role.is_entry_point,
        "industries": sorted(industry.slug for industry in role.industries.all()),
        "requirements": [{"skill": r.skill.slug, "level": r.level} for r in requirements],
    }


def _goal_template_doc(template: GoalTemplate, refs: _RoleRefs) -> dict:
    return {
        "title": template.title,
        "slug": template.slug,
        "description": template.description,
        "horizon": template.horizon,
        "duration_months": template.duration_months,
        "metric": template.metric,
        "unit": template.unit,
        "baseline": _number(template.baseline),
        "target": _number(template.target),
        "track": template.track.slug if template.track else None,
        "skill": template.skill.slug if template.skill else None,
        "certification": template.certification.slug if template.certification else None,
        "role": refs.on_track(template.role, template.track) if template.role else None,
    }
