"""What importing a valid export (goals.portability.checking.validate) would do, as this
CareerPath stands: ``survey`` gives a ``Preview``, which the review page shows.

- The plans it adds, and the plans already in the account: a plan is known by the moment it was
  created, which an import keeps.
- The ladder entries the plans name (``_references``) that this instance lacks and the file's
  own ladder carries, and what skipping them leaves out. A slug neither on this instance nor in
  the file's ladder is a problem: the file contradicts itself.

``pending_import_save`` keeps a checked file and its preview for the review.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone

from goals.models import PendingImport
from goals.portability.ratings import rating_references
from goals.portability.reading import ImportRefused
from plans.models import CareerPlan
from skills.ladder.errors import ProblemPath, render_problems, show
from skills.ladder.validation import held_elsewhere
from skills.models import Certification, GoalTemplate, Industry, Role, Skill

# What a document names, by kind: (the model, how its slug reads, the words for it).
KINDS = {
    "role": "role",
    "skill": "skill",
    "certification": "certification",
    "template": "goal template",
    "industry": "industry",
}


# The kinds a goal names (a plan names its roles and industry).
GOAL_KINDS = ("skill", "certification", "role", "template")


@dataclass
class Preview:
    """What importing a checked document would do."""

    document: dict | None = None
    new_plans: list[str] = field(default_factory=list)  # titles
    known_plans: list[str] = field(default_factory=list)  # titles of plans already in the account
    lacking: dict[str, list[str]] = field(default_factory=dict)  # kind -> slugs the file carries
    left_out: list[str] = field(default_factory=list)  # what skipping the lacking entries leaves out
    counts: Counter = field(default_factory=Counter)  # goals, check-ins… in the new plans
    known: set[str] = field(default_factory=set)  # created_at of the plans already in the account
    references: dict[str, set[str]] = field(default_factory=dict)  # kind -> every slug the plans name
    # Skill slugs this instance lacks whose entry in the file's ladder carries a standard id a skill
    # here holds: that skill is the one meant (skills.ladder matches skills so too).
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def lacks_ladder_entries(self) -> bool:
        return any(self.lacking.values())

    def summary(self) -> dict:
        """What the review page shows, as JSON (goals.models.PendingImport.preview)."""
        return {
            "new_plans": self.new_plans,
            "known_plans": self.known_plans,
            "lacking": self.lacking,
            "left_out": self.left_out,
            "counts": dict(self.counts),
        }

    @classmethod
    def from_summary(cls, summary: dict) -> "Preview":
        return cls(
            new_plans=summary["new_plans"],
            known_plans=summary["known_plans"],
            lacking=summary["lacking"],
            left_out=summary["left_out"],
            counts=Counter(summary["counts"]),
        )


def survey(document: dict, *, user) -> Preview:
    """What importing a valid document (``validate``) into ``user``'s account would do, as this
    CareerPath stands: the plans it adds and those already there, the ladder entries it lacks and
    what skipping them leaves out. ImportRefused for a slug neither this CareerPath nor the file's
    ladder has. A few queries, whatever the file's size."""
    references = _references(document)
    aliases = held_elsewhere(document["ladder"].get("skills", []), Skill)
    lacking = _lacking(document, references, aliases)
    preview = Preview(
        document,
        lacking={kind: sorted(slugs) for kind, slugs in lacking.items()},
        known=_known_plans(user, document),
        references={kind: set(slugs) for kind, slugs in references.items()},
        aliases=aliases,
    )
    for plan in document["plans"]:
        if plan["created_at"] in preview.known:
            preview.known_plans.append(plan["title"])
            continue
        preview.new_plans.append(plan["title"])
        preview.counts.update(
            goals=len(plan["goals"]),
            check_ins=sum(len(goal["check_ins"]) for goal in plan["goals"]),
            assessments=len(plan["assessments"]),
            certifications=len(plan["certifications"]),
            activities=len(plan["activities"]),
        )
        preview.left_out += _left_out(plan, lacking)
    return preview


def _known_plans(user, document: dict) -> set[str]:
    """The export times of creation of the document's plans that the account already holds."""
    created = {
        plan["created_at"]: models.DateTimeField().to_python(plan["created_at"]) for plan in document["plans"]
    }
    held = set(
        CareerPlan.objects.filter(owner=user, created_at__in=created.values()).values_list(
            "created_at", flat=True
        )
    )
    return {text for text, moment in created.items() if moment in held}


References = dict[str, dict[str, list[ProblemPath]]]  # kind -> slug -> the places naming it


def _references(document: dict) -> References:
    """Every ladder entry the plans name, by kind and slug, with the places that name it."""
    references: References = {kind: {} for kind in KINDS}

    def refer(kind: str, slug: str | None, where: ProblemPath) -> None:
        if slug is not None:
            references[kind].setdefault(slug, []).append(where)

    for p, plan in enumerate(document["plans"]):
        base: ProblemPath = ["plans", p]
        refer("role", plan["current_role"], base + ["current_role"])
        refer("role", plan["target_role"], base + ["target_role"])
        refer("industry", plan.get("industry"), base + ["industry"])
        for a, assessment in enumerate(plan["assessments"]):
            refer("skill", assessment["skill"], base + ["assessments", a, "skill"])
        for c, held in enumerate(plan["certifications"]):
            refer("certification", held["certification"], base + ["certifications", c, "certification"])
        for a, activity in enumerate(plan["activities"]):
            for s, slug in enumerate(activity["skills"]):
                refer("skill", slug, base + ["activities", a, "skills", s])
        for g, goal in enumerate(plan["goals"]):
            for kind in GOAL_KINDS:
                refer(kind, goal[kind], base + ["goals", g, kind])
        for slug, place in rating_references(plan):
            refer("skill", slug, base + place)
    return references


def _lacking(document: dict, references: References, aliases: dict[str, str]) -> dict[str, set[str]]:
    """Slugs this instance lacks and the file's ladder carries; ImportRefused for those neither has."""
    on_instance = _on_instance(references)
    on_instance["skill"] |= aliases.keys()
    in_file = _in_ladder(document["ladder"])
    lacking: dict[str, set[str]] = {kind: set() for kind in KINDS}
    problems = []
    for kind, slugs in references.items():
        for slug, places in slugs.items():
            if slug in on_instance[kind]:
                continue
            if slug in in_file[kind]:
                lacking[kind].add(slug)
                continue
            problem = f"{show(slug)} is {_a(KINDS[kind])} neither this CareerPath nor the file's ladder has"
            problems += [(place, problem) for place in places]
    if problems:
        raise ImportRefused(render_problems(document, problems))
    return lacking


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _on_instance(references: dict[str, dict[str, list]]) -> dict[str, set[str]]:
    roles = set()
    for ref in references["role"]:
        track, _, role = ref.partition("/")
        roles.add((track, role))
    known_roles = {
        f"{track}/{role}"
        for track, role in Role.objects.filter(slug__in={role for _, role in roles}).values_list(
            "track__slug", "slug"
        )
    }
    return {
        "role": known_roles,
        "skill": set(Skill.objects.filter(slug__in=references["skill"]).values_list("slug", flat=True)),
        "certification": set(
            Certification.objects.filter(slug__in=references["certification"]).values_list("slug", flat=True)
        ),
        "template": set(
            GoalTemplate.objects.filter(slug__in=references["template"]).values_list("slug", flat=True)
        ),
        "industry": set(
            Industry.objects.filter(slug__in=references["industry"]).values_list("slug", flat=True)
        ),
    }


def _in_ladder(ladder: dict) -> dict[str, set[str]]:
    return {
        "role": {f"{t['slug']}/{r['slug']}" for t in ladder.get("tracks", []) for r in t.get("roles", [])},
        "skill": {s["slug"] for s in ladder.get("skills", [])},
        "certification": {c["slug"] for c in ladder.get("certifications", [])},
        "template": {g["slug"] for g in ladder.get("goal_templates", [])},
        "industry": {i["slug"] for i in ladder.get("industries", [])},
    }


def _left_out(plan: dict, lacking: dict[str, set[str]]) -> list[str]:
    """What importing this plan without the lacking ladder entries leaves out, in words."""
    title = plan["title"]
    roles = [plan[key] for key in ("current_role", "target_role") if plan[key] in lacking["role"]]
    if roles:
        return [f"the plan “{title}”: its role {' and '.join(roles)} is not on this CareerPath"]
    lines = (
        [f"“{title}”: the industry {plan['industry']}"] if plan.get("industry") in lacking["industry"] else []
    )
    lines += [
        f"“{title}”: the self-assessment of {a['skill']}"
        for a in plan["assessments"]
        if a["skill"] in lacking["skill"]
    ]
    lines += [
        f"“{title}”: the certification {held['certification']}"
        for held in plan["certifications"]
        if held["certification"] in lacking["certification"]
    ]
    for activity in plan["activities"]:
        missing = [slug for slug in activity["skills"] if slug in lacking["skill"]]
        if missing:
            lines.append(
                f"“{title}”: the activity “{activity['title']}” loses the skill {', '.join(missing)}"
            )
    for goal in plan["goals"]:
        missing = [
            goal[kind] for kind in GOAL_KINDS if goal[kind] is not None and goal[kind] in lacking[kind]
        ]
        if missing:
            lines.append(f"“{title}”: the goal “{goal['title']}” loses its link to {', '.join(missing)}")
    rated = sorted({slug for slug, _ in rating_references(plan) if slug in lacking["skill"]})
    lines += [f"“{title}”: the mentors' ratings of {slug}" for slug in rated]
    return lines


# --- Waiting for the review -------------------------------------------------------------------


@transaction.atomic
def pending_import_save(*, user, text: str, digest: str, preview: Preview) -> PendingImport:
    """Keep a checked file for its owner's review, in place of any earlier one; uploads left
    waiting past PendingImport.KEPT_HOURS, anyone's, go."""
    now = timezone.now()
    PendingImport.objects.filter(uploaded_at__lte=now - timedelta(hours=PendingImport.KEPT_HOURS)).delete()
    pending, _ = PendingImport.objects.update_or_create(
        user=user,
        defaults={"document": text, "digest": digest, "preview": preview.summary(), "uploaded_at": now},
    )
    return pending
