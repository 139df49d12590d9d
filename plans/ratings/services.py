"""Writes of second-opinion ratings: the owner allows a mentor to rate, a mentor rates, the owner
chooses which level counts. Each writes its plan event and moves the plan's version."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accounts.names import FORMER_MEMBER, display_name
from base import versions
from plans.events import PlanEvent
from plans.models import CareerPlan
from plans.ratings.models import SkillRating
from plans.readiness import ChosenLevel
from plans.sharing.models import Share
from skills.models import Skill


@transaction.atomic
def share_set_may_rate(*, share: Share, may_rate: bool) -> bool:
    """Allow, or stop, the share's mentor rating the owner's skills; False when nothing changed.
    Ratings already given stay (the owner's history keeps them)."""
    if not Share.objects.filter(pk=share.pk).exclude(may_rate=may_rate).update(may_rate=may_rate):
        return False
    share.may_rate = may_rate
    versions.bump(versions.plan(share.plan_id))  # update() sends no signal
    kind = PlanEvent.Kind.RATING_ALLOWED if may_rate else PlanEvent.Kind.RATING_STOPPED
    PlanEvent.objects.record(plan=share.plan, kind=kind, subject=share.email)
    return True


@transaction.atomic
def rating_add(*, share: Share, rater: User, skill: Skill, level: int, note: str) -> SkillRating:
    """A mentor's rating of one skill: a new row (earlier ones stay). It changes no level that
    counts until the owner chooses it (level_choose)."""
    rating = SkillRating.objects.create(
        plan=share.plan,
        skill=skill,
        rater=rater,
        rater_name=display_name(rater),
        share=share,
        level=level,
        note=note,
    )
    versions.bump(versions.plan(share.plan_id))
    PlanEvent.objects.record(
        plan=share.plan,
        kind=PlanEvent.Kind.RATED,
        subject=skill.name,
        detail=rating.get_level_display(),
        by_id=rater.pk,
    )
    return rating


@transaction.atomic
def level_choose(
    *, plan: CareerPlan, skill: Skill, rating: SkillRating | None = None, level: int | None = None
) -> ChosenLevel | None:
    """The owner's choice of which level of `skill` counts: `rating`'s, an agreed `level`, or
    (neither) their own assessment again. Kept in the plan's chosen_levels, told in its events
    (the history of choices); their own assessment is never changed. The chosen level, or None."""
    # The plan's row locked before it is read: of two choices saved at once, neither loses the other.
    stored = CareerPlan.objects.select_for_update().values_list("chosen_levels", flat=True).get(pk=plan.pk)
    chosen = dict(stored) if isinstance(stored, dict) else {}
    entry = None
    if rating is not None:
        entry = ChosenLevel(level=rating.level, chosen_at=timezone.now(), rating=rating.pk)
        detail = f"{rating.level}, as rated by {rating.rater_name or FORMER_MEMBER}"
    elif level is not None:
        entry = ChosenLevel(level=level, chosen_at=timezone.now())
        detail = f"{level}, as agreed"
    else:
        detail = "their own assessment"
    if entry is None:
        chosen.pop(str(skill.pk), None)
    else:
        chosen[str(skill.pk)] = entry.as_json()
    CareerPlan.objects.filter(pk=plan.pk).update(chosen_levels=chosen)  # no revision: not the plan's fields
    plan.chosen_levels = chosen
    versions.bump(versions.plan(plan.pk))  # update() sends no signal
    PlanEvent.objects.record(plan=plan, kind=PlanEvent.Kind.LEVEL_CHOSEN, subject=skill.name, detail=detail)
    return entry
