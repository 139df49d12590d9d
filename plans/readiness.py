"""How far a plan is from its target role: each required skill's gap, the readiness they add up
to, and the note on requirement changes beside them. Plain values, computed by CareerPlan."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from skills.history import RequirementChange
from skills.models import LearningResource, Proficiency, Role, Skill

# How far back the plan page looks for changes to its roles' requirements (decisions.md, "Plans").
REQUIREMENT_CHANGES_DAYS = 90


@dataclass(frozen=True)
class RequirementNotice:
    """The plan page's note beside the gap: requirement changes per role since `since`."""

    since: datetime
    since_plan_change: bool  # False: the plan is older than the window, which starts `since`
    roles: list[tuple[Role, list[RequirementChange]]]
    days: int = REQUIREMENT_CHANGES_DAYS


@dataclass(frozen=True)
class ChosenLevel:
    """The owner's choice of the level of one skill that counts (CareerPlan.chosen_levels): a
    mentor's rating (`rating`, its id) or a level they agreed on and typed (no rating)."""

    level: int
    chosen_at: datetime
    rating: int | None = None

    @property
    def source(self) -> str:
        return "rating" if self.rating is not None else "agreed"

    def as_json(self) -> dict[str, Any]:
        return {"level": self.level, "at": self.chosen_at.isoformat(), "rating": self.rating}

    @classmethod
    def read_all(cls, stored: Any) -> dict[int, "ChosenLevel"]:
        """The entries of a stored chosen_levels that make sense (an entry an admin broke is left
        out: the self-assessment counts for that skill, and no page fails)."""
        chosen = {}
        for key, entry in (stored if isinstance(stored, dict) else {}).items():
            try:
                level, rating = entry["level"], entry.get("rating")
                at = datetime.fromisoformat(entry["at"])
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
            valid_level = isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 5
            if (
                str(key).isdigit()
                and valid_level
                and at.tzinfo
                and (rating is None or isinstance(rating, int))
            ):
                chosen[int(key)] = cls(level=level, chosen_at=at, rating=rating)
        return chosen


def levels_counted(assessments: Mapping[int, Any], chosen_levels: Any) -> dict[int, tuple[int, str]]:
    """The rule for the level of each skill that counts toward readiness and the gap (by skill id:
    the level and where it comes from, "" for the owner's own): the owner's latest word on the
    skill, their latest self-assessment (`assessments`) or their choice of a mentor's rating or an
    agreed level (a plan's `chosen_levels`), whichever is later. A rating not chosen changes nothing."""
    levels = {skill_id: (row.level, "") for skill_id, row in assessments.items()}
    for skill_id, choice in ChosenLevel.read_all(chosen_levels).items():
        own = assessments.get(skill_id)
        if own is None or choice.chosen_at >= own.assessed_at:
            levels[skill_id] = (choice.level, choice.source)
    return levels


@dataclass(frozen=True)
class SkillGap:
    skill: Skill
    required: int
    current: int | None
    counted_from: str = ""  # "": the owner's own assessment; "rating" or "agreed" (levels_counted)

    @property
    def counted_note(self) -> str:
        """Where a level the owner chose comes from, in words; "" for their own assessment."""
        return {"rating": "a mentor's rating", "agreed": "agreed"}.get(self.counted_from, "")

    @property
    def assessed(self) -> bool:
        return self.current is not None

    @property
    def gap(self) -> int | None:
        """How many levels short; 0 when met or exceeded; None when not assessed."""
        return None if self.current is None else max(self.required - self.current, 0)

    @property
    def is_open(self) -> bool:
        """Something to work on: short of the requirement, or not assessed yet."""
        return self.gap != 0

    def helpful(self, resources: Iterable[LearningResource]) -> list[LearningResource]:
        """The resources (of this skill) that take the person from where they stand towards the
        requirement, in the order given; none once the requirement is met."""
        if not self.is_open:
            return []
        return [
            r for r in resources if r.skill_id == self.skill.pk and r.helps_from(self.current, self.required)
        ]

    @property
    def required_label(self) -> str:
        return Proficiency(self.required).label

    @property
    def current_label(self) -> str:
        return Proficiency(self.current).label if self.current else "Not assessed"


@dataclass(frozen=True)
class Readiness:
    """How ready a person is for a role, from the skills they have assessed.

    percent: levels met (capped at the requirement, so strength in one skill cannot hide
    a gap in another) over levels required, across assessed skills only; None until at
    least one required skill is assessed.
    """

    percent: int | None
    assessed: int
    total: int
    open_gaps: int = 0
    unassessed: list[Skill] = field(default_factory=list)
    met_levels: int = 0
    required_levels: int = 0

    @classmethod
    def from_gaps(cls, gaps: list[SkillGap]) -> "Readiness":
        assessed = [g for g in gaps if g.assessed]
        required = sum(g.required for g in assessed)
        met = sum(min(g.current, g.required) for g in assessed if g.current is not None)
        percent = round(100 * met / required) if required else None
        return cls(
            percent=percent,
            assessed=len(assessed),
            total=len(gaps),
            open_gaps=sum(1 for g in assessed if g.gap),
            unassessed=[g.skill for g in gaps if not g.assessed],
            met_levels=met,
            required_levels=required,
        )
