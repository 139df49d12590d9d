"""Read-only lookups behind the public ladder pages.

Each function fetches everything its page shows in a fixed number of queries,
however large the ladder: the pages are public, so their cost must not grow
with the data an admin adds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from skills.models import Role, RoleSkill, Skill, Standard, Track, Transition


def tracks_with_role_counts() -> QuerySet[Track]:
    """Every track, each with ``role_count``; one query."""
    return Track.objects.annotate(role_count=Count("roles"))


@dataclass
class Ladder:
    """A track's roles by level and the transitions that touch them."""

    track: Track
    roles: list[Role]
    transitions: list[Transition]
    leads_to: dict[int, list[Transition]] = field(default_factory=dict)
    comes_from: dict[int, list[Transition]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for transition in self.transitions:
            self.leads_to.setdefault(transition.from_role_id, []).append(transition)
            self.comes_from.setdefault(transition.to_role_id, []).append(transition)
        # Templates cannot index a dict by a variable key, so each role carries its own lists.
        for role in self.roles:
            role.ladder_leads_to = self.leads_to.get(role.pk, [])
            role.ladder_comes_from = self.comes_from.get(role.pk, [])

    def levels(self) -> list[tuple[int, list[Role]]]:
        """(level, roles) from the highest level down to the entry level."""
        ordered = sorted(self.roles, key=lambda role: (-role.level, role.title))
        return [(level, list(roles)) for level, roles in groupby(ordered, key=lambda role: role.level)]

    def entry_points(self) -> list[Role]:
        return [role for role in self.roles if role.is_entry_point]

    def internal_transitions(self) -> list[Transition]:
        """Transitions with both ends on this ladder (the ones the diagram can draw)."""
        return [t for t in self.transitions if t.from_role.track_id == t.to_role.track_id == self.track.pk]


def ladder_for_track(track_slug: str) -> Ladder:
    """The ladder of the track with this slug, or 404; three queries."""
    track = get_object_or_404(Track, slug=track_slug)
    roles = list(track.roles.order_by("level", "title"))
    # A transition may cross tracks (an analyst ladder feeding product management): keep
    # both directions so the text list shows where people come from and go to.
    transitions = list(
        Transition.objects.filter(Q(from_role__track=track) | Q(to_role__track=track))
        .select_related("from_role__track", "to_role__track")
        .order_by("from_role__level", "from_role__title", "to_role__level", "to_role__title")
    )
    return Ladder(track=track, roles=roles, transitions=transitions)


def role_for_page(track_slug: str, role_slug: str) -> Role:
    """The role with this slug on this track, or 404, with everything its page shows.

    Six queries: the role with its track, then one each for requirements (with skills),
    industries, recommended certifications, transitions out and transitions in.
    """
    roles = Role.objects.select_related("track").prefetch_related(
        Prefetch("requirements", queryset=RoleSkill.objects.select_related("skill")),
        "industries",
        "recommended_certifications",
        Prefetch(
            "transitions_out",
            queryset=Transition.objects.select_related("to_role__track").order_by(
                "to_role__level", "to_role__title"
            ),
        ),
        Prefetch(
            "transitions_in",
            queryset=Transition.objects.select_related("from_role__track").order_by(
                "-from_role__level", "from_role__title"
            ),
        ),
    )
    return get_object_or_404(roles, track__slug=track_slug, slug=role_slug)


def requirements_by_category(role: Role) -> list[tuple[str, list[RoleSkill]]]:
    """(category label, requirements) for hard then soft skills, highest level first.

    Uses the requirements prefetched by ``role_for_page``; categories without
    requirements are left out.
    """
    groups = []
    for category, label in ((Skill.Category.HARD, "Hard skills"), (Skill.Category.SOFT, "Soft skills")):
        requirements = [r for r in role.requirements.all() if r.skill.category == category]
        if requirements:
            groups.append((label, requirements))
    return groups


def standards_credited(role: Role) -> list[str]:
    """The standards whose entries a role's page shows (the role, the skills it requires, the
    certifications recommended for it), in Standard's order: each licence asks for its attribution
    there. Reads what ``role_for_page`` prefetched: no query."""
    entries = [role, *(r.skill for r in role.requirements.all()), *role.recommended_certifications.all()]
    used = {entry.standard for entry in entries if entry.standard}
    return [standard.value for standard in Standard if standard in used]
