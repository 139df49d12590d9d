"""Importing a ladder document into the database, by slug: all or nothing, and idempotent.

The whole document is checked first (structure, then references) and only then written, in
one transaction, creating or updating by slug. Import never deletes a row: a role, transition
or requirement left out of a file stays until an admin removes it.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import cast

from django.db import models, transaction
from django.db.models import Q

from base import versions
from skills.ladder.document import RoleKey, text_lines, to_decimal
from skills.ladder.errors import LadderError
from skills.ladder.validation import Checker, Index, schema_errors
from skills.models import (
    DEFAULT_GOAL_MONTHS,
    Certification,
    GoalTemplate,
    Industry,
    LearningResource,
    Role,
    RoleSkill,
    Skill,
    Track,
    Transition,
)

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
    ("resources", "learning resource", "learning resources"),
]


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


# Every kind of ladder entry: a ladder editor (skills migration 0002) may add and change each.
LADDER_MODELS = [
    "track",
    "industry",
    "role",
    "transition",
    "skill",
    "roleskill",
    "certification",
    "goaltemplate",
    "learningresource",
]


def source_values(item: dict) -> dict:
    """The entry's standard and id as fields; none when the file leaves them out (an older file,
    or one written by hand), so importing it keeps what an editor attached here."""
    source = item.get("source")
    return {"standard": source["standard"], "external_id": source["id"]} if source else {}


def may_import_ladder(user) -> bool:
    """Whether ``user`` may import ladder entries: a ladder editor, or a superuser."""
    wanted = [f"skills.{action}_{model}" for model in LADDER_MODELS for action in ("add", "change")]
    return user.is_active and user.is_staff and user.has_perms(wanted)


def import_ladder(data: dict) -> ImportResult:
    """Create or update everything in a ladder document, by slug; all or nothing.

    Raises LadderError listing every problem (and writes nothing) if the document is invalid.
    """
    errors = schema_errors(data)
    if errors:
        raise LadderError(errors)
    with transaction.atomic(), versions.bumped_once():  # the ladder's token moves once
        index = Index(data)
        errors = Checker(data, index).run()
        if errors:
            raise LadderError(errors)
        return Writer(data, index).run()


class Writer:
    """Creates or updates every entry of a checked document, counting what changed."""

    def __init__(self, data: dict, index: Index) -> None:
        self.data, self.index = data, index
        self.result = ImportResult()
        self.roles: dict[RoleKey, Role] = {}
        self.counted: set[models.Model] = set()  # rows already counted as created or updated

    def run(self) -> ImportResult:
        industries = self.write_all("industries", Industry, lambda item: {"name": item["name"]})
        matched = self.index.skills_by_source  # left as they are here: the file only names them
        skills = self.write_all(
            "skills",
            Skill,
            self.skill_values,
            [item for item in self.data.get("skills", []) if item["slug"] not in matched],
        )
        self.skills = {**Skill.objects.in_bulk(field_name="slug"), **skills}
        self.skills.update({slug: self.skills[held] for slug, held in matched.items()})
        self.industries = {**Industry.objects.in_bulk(field_name="slug"), **industries}
        for track in self.data.get("tracks", []):
            self.write_track(track)
        for track in self.data.get("tracks", []):
            self.write_transitions(track)
        certifications = cast(
            dict[str, Certification],
            self.write_all("certifications", Certification, self.certification_values),
        )
        for item in self.data.get("certifications", []):
            self.write_recommendations(certifications[item["slug"]], item.get("recommended_for", []))
        self.certifications = {**Certification.objects.in_bulk(field_name="slug"), **certifications}
        templates = self.write_all("goal_templates", GoalTemplate, self.goal_template_values)
        resources = self.write_all("resources", LearningResource, self.resource_values)
        for section, rows in (("goal_templates", templates), ("resources", resources)):
            for item in self.data.get(section, []):
                self.write_industries(section, rows[item["slug"]], item)
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

    def write_all(
        self, section: str, model, values_for, items: list[dict] | None = None
    ) -> dict[str, models.Model]:
        items = self.data.get(section, []) if items is None else items
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
            **source_values(item),
        }

    def certification_values(self, item: dict) -> dict:
        return {
            "name": item["name"],
            "abbreviation": item.get("abbreviation", ""),
            "issuer": item.get("issuer", ""),
            "url": item.get("url", ""),
            "description": item.get("description", ""),
            "validity_months": item.get("validity_months"),
            **source_values(item),
        }

    def resource_values(self, item: dict) -> dict:
        return {
            "skill_id": self.skills[item["skill"]].pk,
            "title": item["title"],
            "kind": item["kind"],
            "level": item["level"],
            "provider": item.get("provider", ""),
            "url": item.get("url", ""),
            "hours": item.get("hours"),
        }

    def goal_template_values(self, item: dict) -> dict:
        role_ref, track = item.get("role"), item.get("track")
        return {
            "title": item["title"],
            "description": item.get("description", ""),
            "metric": item["metric"],
            "unit": item["unit"],
            "baseline": to_decimal(item.get("baseline", 0)),
            "target": to_decimal(item["target"]),
            "horizon": item["horizon"],
            "duration_months": item.get("duration_months", DEFAULT_GOAL_MONTHS),
            "track_id": Track.objects.get(slug=track).pk if track else None,
            "skill_id": self.skills[item["skill"]].pk if item.get("skill") else None,
            "certification_id": self.certifications[item["certification"]].pk
            if item.get("certification")
            else None,
            "role_id": self.role(self.index.role_key(role_ref, track)).pk if role_ref else None,
        }

    def role(self, key: RoleKey | None) -> Role:
        assert key is not None  # the document was checked first: each of its role references resolves
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
            if existing and text_lines(existing.responsibilities) == lines
            else "\n".join(lines),
            "is_entry_point": item.get("entry_point", False),
            **source_values(item),
        }
        role = self.upsert("roles", existing, Role, {"track": track, "slug": item["slug"]}, values)
        self.roles[track.slug, role.slug] = role
        self.write_industries("roles", role, item)
        self.write_requirements(role, item.get("requirements", []))

    def write_industries(self, kind: str, obj: models.Model, item: dict) -> None:
        """A role's, template's or resource's industries become the file's list (empty when left out)."""
        self.sync(kind, obj, "industries", {self.industries[slug] for slug in item.get("industries", [])})

    def write_requirements(self, role: Role, items: list[dict]) -> None:
        requirements = {requirement.skill_id: requirement for requirement in role.requirements.all()}
        for requirement in items:
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
