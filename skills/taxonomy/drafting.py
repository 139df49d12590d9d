"""A ladder drafted from a standard's occupations, as a document in CareerPath's ladder format.

The document is built here and nowhere written out by hand: skills.ladder checks it against the
schema and serialises it, and import_ladder (or the admin's upload with its preview) imports it.
How a standard's ratings become required levels is written in docs/taxonomies.md; the two rules
are the pure functions onet_level and esco_level.
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.text import slugify

from skills.ladder import FORMAT, VERSION
from skills.models import Skill
from skills.taxonomy.models import Standard, TaxonomyOccupation, TaxonomyRelation, TaxonomySkill

ONET_IMPORTANCE_THRESHOLD = Decimal("3.00")  # O*NET's 1-5 importance: "important" and above
ONET_SOCIAL_SKILLS = "2.B.1."  # O*NET's Social Skills elements: CareerPath's soft skills
NAME_LENGTH = 120


class UnknownOccupation(Exception):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"not in the catalogue: {', '.join(missing)}")


def onet_level(level: Decimal) -> int:
    """O*NET's level (0-7) on CareerPath's proficiency scale (1-5): 5/7 of it, rounded, 1 at least."""
    scaled = (level * 5 / 7).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(min(max(scaled, Decimal(1)), Decimal(5)))


def esco_level(kind: str, position: int) -> int:
    """ESCO gives no level: an essential skill is one above the role's place on the ladder (the
    first role needs 2), an optional one at its place; capped at 5 and 4."""
    if kind == TaxonomyRelation.Kind.ESSENTIAL:
        return min(position + 1, 5)
    return min(position, 4)


def _line(text: str) -> str:
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]
    return text if len(text) <= NAME_LENGTH else text[: NAME_LENGTH - 1] + "…"


def _unique_slug(base: str, taken: set[str], fallback: str) -> str:
    slug = (slugify(base) or fallback)[:110]
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


class _Skills:
    """The file's skill entries. A skill CareerPath already has with the same standard id, or else by
    that name, is referred to by its slug and left out of the file, so importing never rewrites it;
    every other skill is a new entry carrying its standard id as ``source``."""

    def __init__(self, standard: str) -> None:
        self.standard = Standard(standard)
        self.entries: list[dict] = []
        self.slugs: dict[int, str] = {}
        self.known = {name.lower(): slug for name, slug in Skill.objects.values_list("name", "slug")}
        self.held = dict(Skill.objects.filter(standard=standard).values_list("external_id", "slug"))
        self.taken = set(self.known.values())
        self.names: set[str] = set()

    def slug(self, skill: TaxonomySkill) -> str:
        if skill.pk not in self.slugs:
            self.slugs[skill.pk] = self._add(skill)
        return self.slugs[skill.pk]

    def _add(self, skill: TaxonomySkill) -> str:
        if skill.external_id in self.held:
            return self.held[skill.external_id]
        name = _line(skill.title)
        if name.lower() in self.known:
            return self.known[name.lower()]
        if name.lower() in self.names:
            name = _line(f"{name[:90]} ({self.standard.label} {skill.external_id[-12:]})")
        self.names.add(name.lower())
        slug = _unique_slug(name, self.taken, f"{self.standard.value}-skill")
        soft = skill.external_id.startswith(ONET_SOCIAL_SKILLS) and self.standard == Standard.ONET
        self.entries.append(
            {
                "name": name,
                "slug": slug,
                "category": Skill.Category.SOFT.value if soft else Skill.Category.HARD.value,
                "description": skill.description,
                "source": {"standard": self.standard.value, "id": skill.external_id},
            }
        )
        return slug


def _requirements(
    standard: str, occupation: TaxonomyOccupation, position: int, skills: _Skills
) -> list[dict]:
    relations = occupation.relations.select_related("skill").order_by("kind", "skill__title")
    requirements = []
    for relation in relations:
        if standard == Standard.ONET:
            if relation.level is None or relation.importance is None:
                continue
            if relation.importance < ONET_IMPORTANCE_THRESHOLD:
                continue
            level = onet_level(relation.level)
        else:
            level = esco_level(relation.kind, position)
        requirements.append({"skill": skills.slug(relation.skill), "level": level})
    return requirements


def ladder_draft(*, standard: str, occupation_ids: Sequence[str], track: str, chain: bool = False) -> dict:
    """A ladder document: one role per occupation, in the order given, at levels 1..n."""
    found = {
        o.external_id: o
        for o in TaxonomyOccupation.objects.filter(standard=standard, external_id__in=occupation_ids)
    }
    missing = [oid for oid in occupation_ids if oid not in found]
    if missing:
        raise UnknownOccupation(missing)
    skills = _Skills(standard)
    role_slugs: set[str] = set()
    roles = []
    for position, oid in enumerate(occupation_ids, start=1):
        occupation = found[oid]
        roles.append(
            {
                "title": _line(occupation.title),
                "slug": _unique_slug(occupation.title, role_slugs, "role"),
                "level": position,
                "summary": occupation.description,
                "entry_point": position == 1,
                "source": {"standard": Standard(standard).value, "id": occupation.external_id},
                "requirements": _requirements(standard, occupation, position, skills),
            }
        )
    track_doc: dict = {
        "name": _line(track),
        "slug": slugify(track)[:120] or "track",
        "description": f"Drafted from {Standard(standard).label}: {', '.join(occupation_ids)}.",
        "roles": roles,
    }
    if chain:
        track_doc["transitions"] = [
            {"from": a["slug"], "to": b["slug"]} for a, b in zip(roles, roles[1:], strict=False)
        ]
    return {"format": FORMAT, "version": VERSION, "skills": skills.entries, "tracks": [track_doc]}
