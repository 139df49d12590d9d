"""The public ladder, read-only and without a token: what the ladder pages show. Lists are whole
(an admin curates the ladder; it holds tens of roles, not thousands), each in a fixed number of
queries."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from api.problems import Problem
from skills.models import Certification, LearningResource, Role, Skill, Track, Transition

router = Router(tags=["Ladder"], auth=None)


class TrackOut(Schema):
    slug: str
    name: str
    description: str


class Requirement(Schema):
    skill: str
    level: int


class RoleOut(Schema):
    slug: str
    title: str
    level: int
    summary: str
    responsibilities: str
    is_entry_point: bool
    requirements: list[Requirement]


class TransitionOut(Schema):
    from_role: str
    to_role: str
    note: str


class TrackDetail(TrackOut):
    roles: list[RoleOut]
    transitions: list[TransitionOut]


class ResourceOut(Schema):
    slug: str
    title: str
    kind: str
    provider: str
    url: str
    hours: int | None
    level: int


class SkillOut(Schema):
    slug: str
    name: str
    category: str
    description: str
    resources: list[ResourceOut]


class CertificationOut(Schema):
    slug: str
    name: str
    abbreviation: str
    issuer: str
    url: str
    description: str
    validity_months: int | None
    roles: list[str]  # slugs of the roles it is recommended for


@router.get("/tracks", response=list[TrackOut], url_name="ladder_tracks")
def tracks(request):
    return list(Track.objects.order_by("name"))


@router.get("/tracks/{slug}", response={200: TrackDetail, 404: Problem}, url_name="ladder_track")
def track_detail(request, slug: str):
    """The track's roles by level, each with the skills it requires, and the moves between them."""
    roles_with = Role.objects.prefetch_related("requirements__skill")
    track = get_object_or_404(
        Track.objects.prefetch_related(Prefetch("roles", queryset=roles_with)), slug=slug
    )
    roles = sorted(track.roles.all(), key=lambda r: (r.level, r.title))
    moves = Transition.objects.filter(from_role__track=track).select_related("from_role", "to_role")
    return {
        "slug": track.slug,
        "name": track.name,
        "description": track.description,
        "roles": [
            {
                **{f: getattr(r, f) for f in ("slug", "title", "level", "summary", "responsibilities")},
                "is_entry_point": r.is_entry_point,
                "requirements": [{"skill": q.skill.slug, "level": q.level} for q in r.requirements.all()],
            }
            for r in roles
        ],
        "transitions": [
            {"from_role": t.from_role.slug, "to_role": t.to_role.slug, "note": t.note} for t in moves
        ],
    }


@router.get("/skills", response=list[SkillOut], url_name="ladder_skills")
def skills(request):
    """Every skill with the learning resources that build it."""
    resources = Prefetch("resources", queryset=LearningResource.objects.order_by("level", "title"))
    rows = Skill.objects.order_by("name").prefetch_related(resources)
    return [
        {
            **{f: getattr(s, f) for f in ("slug", "name", "category", "description")},
            "resources": list(s.resources.all()),
        }
        for s in rows
    ]


@router.get("/certifications", response=list[CertificationOut], url_name="ladder_certifications")
def certifications(request):
    rows = Certification.objects.order_by("name").prefetch_related("roles")
    fields = ("slug", "name", "abbreviation", "issuer", "url", "description", "validity_months")
    return [{**{f: getattr(c, f) for f in fields}, "roles": [r.slug for r in c.roles.all()]} for c in rows]
