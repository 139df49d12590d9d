"""What the owner's assessment page shows of ratings: per skill of the target role, the owner's
own level, each rater's latest rating, the level that counts and where it comes from."""

from dataclasses import dataclass, field

from plans.models import CareerPlan, SkillAssessment
from plans.ratings.forms import AGREED, OWN
from plans.ratings.models import SkillRating
from plans.readiness import ChosenLevel
from skills.models import Skill


@dataclass
class SkillOpinions:
    skill: Skill
    required: int
    own: SkillAssessment | None
    counted: int | None
    choice: ChosenLevel | None  # the owner's choice, while it decides (CareerPlan.counted_levels)
    ratings: list[SkillRating] = field(default_factory=list)  # each rater's latest, newest first
    earlier: int = 0  # ratings superseded by a later one from the same rater

    @property
    def source(self) -> str:
        return self.choice.source if self.choice else OWN

    @property
    def chosen_rating_id(self) -> int | None:
        return self.choice.rating if self.choice else None

    @property
    def agreed_level(self) -> int | None:
        return self.choice.level if self.choice and self.source == AGREED else None


def _rater_key(rating: SkillRating) -> tuple:
    return (rating.rater_id, "") if rating.rater_id is not None else (None, rating.rater_name)


def skill_opinions(plan: CareerPlan, ratings: list[SkillRating]) -> list[SkillOpinions]:
    """One row per skill the target role requires that has a rating (or a level chosen), by
    skill name. Reads the plan's prefetched requirements and assessments (with_gap_data) and
    `ratings`, oldest first."""
    own = plan.latest_assessments()
    counted = plan.counted_levels()
    chosen = ChosenLevel.read_all(plan.chosen_levels)
    latest: dict[int, dict[tuple, SkillRating]] = {}
    total: dict[int, int] = {}
    for rating in ratings:
        latest.setdefault(rating.skill_id, {})[_rater_key(rating)] = rating
        total[rating.skill_id] = total.get(rating.skill_id, 0) + 1
    rows = []
    for requirement in sorted(plan.target_role.requirements.all(), key=lambda r: r.skill.name):
        skill_id = requirement.skill_id
        choice = chosen.get(skill_id)
        own_row = own.get(skill_id)
        if choice and own_row and choice.chosen_at < own_row.assessed_at:
            choice = None  # assessed again since: their own level counts (counted_levels)
        if skill_id not in latest and choice is None:
            continue
        by_rater = sorted(latest.get(skill_id, {}).values(), key=lambda r: (r.created_at, r.pk), reverse=True)
        rows.append(
            SkillOpinions(
                skill=requirement.skill,
                required=requirement.level,
                own=own_row,
                counted=counted[skill_id][0] if skill_id in counted else None,
                choice=choice,
                ratings=by_rater,
                earlier=total.get(skill_id, 0) - len(by_rater),
            )
        )
    return rows
