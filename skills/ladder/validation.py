"""Checking a ladder document before anything is written.

First its structure against ladder.schema.json, then its references (skills, roles, ...)
against the document itself and what the database already holds. Every problem is collected,
so one run reports all of them.
"""

import json
from decimal import Decimal
from functools import cache
from typing import Any, cast

from jsonschema import Draft202012Validator

from skills.ladder.document import SCHEMA_PATH, RoleKey, to_decimal
from skills.ladder.errors import ProblemPath, explain, format_path, render_problems, show
from skills.models import Certification, Industry, Role, Skill, Track
from skills.sources import source_problem
from skills.taxonomy.models import Standard

# The ladder's entries that have a name and a slug.
Named = type[Skill] | type[Industry] | type[Certification] | type[Track]

# --- Structure ------------------------------------------------------------------------


@cache
def _schema_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_errors(data: Any) -> list[str]:
    """Everything structurally wrong with a document, as readable lines (empty if it is well formed)."""
    problems = [pair for error in _schema_validator().iter_errors(data) for pair in explain(error)]
    return render_problems(data, problems)


# --- References -----------------------------------------------------------------------


class Index:
    """What a document may refer to: its own entries plus what the database already holds."""

    def __init__(self, data: dict) -> None:
        def slugs(section: str, model: Named) -> set[str]:
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
        self.skills_by_source = held_elsewhere(data.get("skills", []), Skill)
        self.certifications_by_source = held_elsewhere(data.get("certifications", []), Certification)

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


def held_elsewhere(items: list[dict], model: type[Skill] | type[Certification]) -> dict[str, str]:
    """{file slug: slug here} for the file's entries whose standard id an entry of another slug
    here already holds; one query."""
    sources = {
        (item["source"]["standard"], item["source"]["id"]): item["slug"] for item in items if "source" in item
    }
    if not sources:
        return {}
    held = model.objects.filter(external_id__in={external_id for _, external_id in sources})
    return {
        sources[standard, external_id]: slug
        for standard, external_id, slug in held.values_list("standard", "external_id", "slug")
        if (standard, external_id) in sources and sources[standard, external_id] != slug
    }


class Checker:
    """Collects every referential problem in a structurally valid document."""

    def __init__(self, data: dict, index: Index) -> None:
        self.data, self.index = data, index
        self.problems: list[tuple[ProblemPath, str]] = []

    def error(self, path: ProblemPath, message: str) -> None:
        self.problems.append((path, message))

    def run(self) -> list[str]:
        for section, keys in [
            ("skills", ["slug", "name"]),
            ("industries", ["slug", "name"]),
            ("certifications", ["slug", "name"]),
            ("tracks", ["slug", "name"]),
            ("goal_templates", ["slug"]),
            ("resources", ["slug"]),
        ]:
            self.check_unique(self.data.get(section, []), [section], keys)
        self.check_sources(["skills"], self.data.get("skills", []), unique=True)
        self.check_sources(["certifications"], self.data.get("certifications", []), unique=True)
        self.check_certifications_held()
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
        for r, resource in enumerate(self.data.get("resources", [])):
            if resource["skill"] not in self.index.skills:
                self.error(["resources", r, "skill"], f"unknown skill {show(resource['skill'])}")
            self.check_industries(["resources", r], resource)
        return render_problems(self.data, self.problems)

    def check_unique(self, items: list[dict], base: ProblemPath, keys: list[str]) -> None:
        """Each key's value must differ between the items (the list at path base)."""
        for key in keys:
            seen: dict[Any, int] = {}
            for i, item in enumerate(items):
                value = item[key]
                if value in seen:
                    also = format_path([*base, seen[value]])
                    self.error([*base, i, key], f"duplicate {key} {show(value)} (also at {also})")
                else:
                    seen[value] = i

    def check_sources(self, base: ProblemPath, items: list[dict], *, unique: bool) -> None:
        """Each source's id is written as its standard writes ids; ``unique``: and names one entry."""
        seen: dict[tuple[str, str], int] = {}
        for i, item in enumerate(items):
            if "source" not in item:
                continue
            pair = (item["source"]["standard"], item["source"]["id"])
            problem = source_problem(*pair)
            if problem:
                self.error([*base, i, "source", "id"], problem)
            elif unique and pair in seen:
                also = format_path([*base, seen[pair]])
                self.error(
                    [*base, i, "source", "id"], f"duplicate {Standard(pair[0]).label} id (also at {also})"
                )
            else:
                seen[pair] = i

    def check_certifications_held(self) -> None:
        """A certification's standard id is one certification's: unlike a skill's (matched), it may
        not move to a certification of another slug."""
        for i, item in enumerate(self.data.get("certifications", [])):
            other = self.index.certifications_by_source.get(item["slug"])
            if other is not None:
                self.error(
                    ["certifications", i, "source", "id"], f"is already the id of certification '{other}'"
                )

    def check_names_free(self, section: str, model: Named, what: str) -> None:
        taken = dict(model.objects.values_list("name", "slug"))
        for i, item in enumerate(self.data.get(section, [])):
            if section == "skills" and item["slug"] in self.index.skills_by_source:
                continue  # the skill here holding its standard id is the one meant: nothing is written
            other = taken.get(item["name"])
            if other is not None and other != item["slug"]:
                self.error(
                    [section, i, "name"], f"{show(item['name'])} is already the name of {what} '{other}'"
                )

    def role(self, ref: str, home: str | None, path: ProblemPath, file_only: bool = False) -> RoleKey | None:
        key = self.index.role_key(ref, home)
        if key is None:
            tracks = self.index.file_roles.get(ref, [])
            if tracks:
                self.error(
                    path, f"role {show(ref)} is on several tracks ({', '.join(tracks)}): write 'track/{ref}'"
                )
            else:
                self.error(path, f"unknown role {show(ref)}")
        elif file_only and key[0] not in self.index.file_tracks:
            self.error(path, f"role {show(ref)} must be on one of this file's tracks")
            return None
        elif key not in self.index.roles:
            self.error(path, f"unknown role {show(key[1])} on track {show(key[0])}")
            return None
        return key

    def check_track(self, t: int, track: dict) -> None:
        base: ProblemPath = ["tracks", t]
        self.check_unique(track["roles"], [*base, "roles"], ["slug"])
        self.check_sources([*base, "roles"], track["roles"], unique=False)
        for r, role in enumerate(track["roles"]):
            self.check_role([*base, "roles", r], role)
        self.check_transitions(base, track)

    def check_role(self, path: ProblemPath, role: dict) -> None:
        self.check_unique(role.get("requirements", []), [*path, "requirements"], ["skill"])
        for q, requirement in enumerate(role.get("requirements", [])):
            if requirement["skill"] not in self.index.skills:
                self.error([*path, "requirements", q, "skill"], f"unknown skill {show(requirement['skill'])}")
        self.check_industries(path, role)

    def check_industries(self, path: ProblemPath, entry: dict) -> None:
        for i, industry in enumerate(entry.get("industries", [])):
            if industry not in self.index.industries:
                self.error([*path, "industries", i], f"unknown industry {show(industry)}")

    def check_transitions(self, base: ProblemPath, track: dict) -> None:
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
                also = format_path([*base, "transitions", seen[source, target]])
                self.error(path, f"duplicate transition (also at {also})")
            else:
                seen[source, target] = x

    def check_certification(self, c: int, certification: dict) -> None:
        for i, ref in enumerate(certification.get("recommended_for", [])):
            self.role(ref, None, ["certifications", c, "recommended_for", i], file_only=True)

    def check_goal_template(self, g: int, template: dict) -> None:
        path: ProblemPath = ["goal_templates", g]
        self.check_industries(path, template)
        for key, known in [
            ("track", self.index.tracks),
            ("skill", self.index.skills),
            ("certification", self.index.certifications),
        ]:
            if template.get(key) is not None and template[key] not in known:
                self.error([*path, key], f"unknown {key} {show(template[key])}")
        track = template.get("track") if template.get("track") in self.index.tracks else None
        if template.get("role") is not None:
            role_key = self.role(template["role"], track, [*path, "role"])
            if role_key and track and role_key[0] != track:
                self.error([*path, "role"], f"role {show(template['role'])} is not on track {show(track)}")
        for key in ("baseline", "target"):
            # The exponent is an int: a document's numbers are finite (base.documents), never NaN.
            if key in template and cast(int, Decimal(str(template[key])).as_tuple().exponent) < -2:
                self.error([*path, key], f"{show(template[key])} has more than two decimal places")
        if to_decimal(template.get("baseline", 0)) == to_decimal(template["target"]):
            self.error([*path, "target"], "must differ from the baseline, or there is no progress to measure")
