"""Exporting tracks as a ladder document, and writing a document out as JSON or YAML.

What export writes, import reads back unchanged: role references are as short as import
resolves them, and every list is in a stable order so that exports diff well.
"""

import json
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

import yaml
from django.db.models import Prefetch, Q

from skills.ladder.document import FORMAT, VERSION, text_lines
from skills.models import (
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

_HORIZON_ORDER = {"short": 0, "long": 1}


def dump_ladder(data: dict, fmt: str = "json") -> str:
    """Serialise an exported document; keys keep the export's order so diffs stay small."""
    if fmt == "yaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def export_ladder(
    tracks: Iterable[Track],
    *,
    skills: Iterable[Skill] = (),
    certifications: Iterable[Certification] = (),
    industries: Iterable[Industry] = (),
    goal_templates: Iterable[GoalTemplate] = (),
) -> dict:
    """A ladder document for these tracks, with every skill, industry, certification and goal
    template they reference (and the ``skills``, ``certifications``, ``industries`` and
    ``goal_templates`` given besides, with what those templates reference), and the learning
    resources of those skills, in a stable order (so exports diff well)."""
    tracks = sorted(tracks, key=lambda track: track.slug)
    roles = _roles(tracks)
    transitions = list(
        Transition.objects.filter(from_role__in=roles).select_related("from_role__track", "to_role__track")
    )
    templates = _goal_templates(tracks, roles, also=goal_templates)
    certifications = _certifications(tracks, roles, templates, also=certifications)
    refs = _RoleRefs(roles)
    skills = _skills(roles, templates, also=skills)
    resources = _resources(skills)
    return {
        "format": FORMAT,
        "version": VERSION,
        "skills": [_skill_doc(skill) for skill in skills],
        "industries": [
            {"name": i.name, "slug": i.slug}
            for i in _industries([*roles, *templates, *resources], also=industries)
        ],
        "certifications": [_certification_doc(c, refs) for c in sorted(certifications, key=lambda c: c.slug)],
        "tracks": [_track_doc(track, roles, transitions) for track in tracks],
        "goal_templates": [
            _goal_template_doc(template, refs)
            for template in sorted(templates, key=lambda t: (_HORIZON_ORDER.get(t.horizon, 9), t.slug))
        ],
        "resources": [_resource_doc(resource) for resource in resources],
    }


# --- What an export covers --------------------------------------------------------------


def _roles(tracks: list[Track]) -> list[Role]:
    return list(
        Role.objects.filter(track__in=tracks)
        .select_related("track")
        .prefetch_related("industries", Prefetch("requirements", RoleSkill.objects.select_related("skill")))
        .order_by("track__slug", "level", "slug")
    )


def _goal_templates(
    tracks: list[Track], roles: list[Role], also: Iterable[GoalTemplate]
) -> list[GoalTemplate]:
    return list(
        GoalTemplate.objects.filter(Q(track__in=tracks) | Q(role__in=roles) | Q(pk__in=[t.pk for t in also]))
        .select_related("track", "skill", "certification", "role__track")
        .prefetch_related("industries")
        .distinct()
    )


def _certifications(
    tracks: list[Track], roles: list[Role], templates: list[GoalTemplate], also: Iterable[Certification]
) -> list[Certification]:
    """Certifications recommended for these roles, named by these templates or asked for, each
    with its recommendations on the exported tracks."""
    exported_roles = Role.objects.filter(track__in=tracks).select_related("track")
    return list(
        Certification.objects.filter(
            Q(roles__in=roles) | Q(goal_templates__in=templates) | Q(pk__in=[c.pk for c in also])
        )
        .distinct()
        .prefetch_related(Prefetch("roles", exported_roles.order_by("track__slug", "level", "slug")))
    )


def _skills(roles: list[Role], templates: list[GoalTemplate], also: Iterable[Skill]) -> list[Skill]:
    skills = {requirement.skill for role in roles for requirement in role.requirements.all()} | set(also)
    skills |= {template.skill for template in templates if template.skill}
    return sorted(skills, key=lambda s: (s.category, s.slug))


def _resources(skills: list[Skill]) -> list[LearningResource]:
    """The exported skills' learning resources, in the skills' order, then by level and slug."""
    order = {skill.pk: position for position, skill in enumerate(skills)}
    resources = (
        LearningResource.objects.filter(skill__in=skills)
        .select_related("skill")
        .prefetch_related("industries")
    )
    return sorted(resources, key=lambda r: (order[r.skill_id], r.level, r.slug))


def _industries(
    tagged: Iterable[Role | GoalTemplate | LearningResource], also: Iterable[Industry]
) -> list[Industry]:
    """The industries the exported roles, templates and resources are tagged with, and those asked for."""
    industries = {industry for entry in tagged for industry in entry.industries.all()} | set(also)
    return sorted(industries, key=lambda i: i.slug)


def _industry_slugs(entry: Role | GoalTemplate | LearningResource) -> list[str]:
    return sorted(industry.slug for industry in entry.industries.all())


# --- Documents ------------------------------------------------------------------------------


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


def _skill_doc(skill: Skill) -> dict:
    return {
        "name": skill.name,
        "slug": skill.slug,
        "category": skill.category,
        "description": skill.description,
        **_source_doc(skill),
    }


def _source_doc(entry: Skill | Role | Certification) -> dict:
    """The optional ``source`` key: written only for an entry taken from a standard, so a ladder
    written here exports as it did before sources existed."""
    return {"source": entry.source} if entry.source else {}


def _certification_doc(certification: Certification, refs: _RoleRefs) -> dict:
    return {
        "name": certification.name,
        "slug": certification.slug,
        "abbreviation": certification.abbreviation,
        "issuer": certification.issuer,
        "url": certification.url,
        "description": certification.description,
        "validity_months": certification.validity_months,
        **_source_doc(certification),
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
        "transitions": [_transition_doc(t, track) for t in moves],
    }


def _transition_doc(transition: Transition, track: Track) -> dict:
    target = transition.to_role
    return {
        "from": transition.from_role.slug,
        "to": target.slug if target.track_id == track.pk else _RoleRefs.qualified(target),
        "note": transition.note,
    }


def _role_doc(role: Role) -> dict:
    requirements = sorted(role.requirements.all(), key=lambda r: (r.skill.category, r.skill.slug))
    return {
        "title": role.title,
        "slug": role.slug,
        "level": role.level,
        "summary": role.summary,
        "responsibilities": text_lines(role.responsibilities),
        "entry_point": role.is_entry_point,
        "industries": _industry_slugs(role),
        **_source_doc(role),
        "requirements": [{"skill": r.skill.slug, "level": r.level} for r in requirements],
    }


def _resource_doc(resource: LearningResource) -> dict:
    return {
        "title": resource.title,
        "slug": resource.slug,
        "skill": resource.skill.slug,
        "kind": resource.kind,
        "level": resource.level,
        "provider": resource.provider,
        "url": resource.url,
        "hours": resource.hours,
        "industries": _industry_slugs(resource),
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
        "industries": _industry_slugs(template),
    }
