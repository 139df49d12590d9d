from django.db import transaction
from django.utils import timezone

from plans.models import CareerPlan, SkillAssessment


@transaction.atomic
def plan_create(*, owner, form) -> CareerPlan:
    """Save a new plan; a person's first plan becomes their primary plan."""
    plan = form.save(commit=False)
    plan.owner = owner
    plan.is_primary = not CareerPlan.objects.owned_by(owner).filter(is_primary=True).exists()
    plan._change_reason = "Plan created"
    plan.save()
    return plan


@transaction.atomic
def plan_update(*, form, reason: str = "") -> CareerPlan:
    plan = form.instance
    plan._change_reason = reason or None
    return form.save()


@transaction.atomic
def plan_make_primary(*, plan: CareerPlan) -> None:
    # Unset the old primary first: the partial unique constraint allows one per owner.
    CareerPlan.objects.owned_by(plan.owner).filter(is_primary=True).exclude(pk=plan.pk).update(
        is_primary=False
    )
    plan.is_primary = True
    plan._change_reason = "Made primary"
    plan.save(update_fields=["is_primary", "updated_at"])


@transaction.atomic
def plan_set_archived(*, plan: CareerPlan, archived: bool) -> None:
    plan.status = CareerPlan.Status.ARCHIVED if archived else CareerPlan.Status.ACTIVE
    plan._change_reason = "Archived" if archived else "Restored"
    fields = ["status", "updated_at"]
    if archived and plan.is_primary:
        plan.is_primary = False
        fields.append("is_primary")
    plan.save(update_fields=fields)


@transaction.atomic
def assessment_save(*, plan: CareerPlan, values: dict[int, tuple[int | None, str]]) -> int:
    """Add an assessment row for each skill whose level or note changed; earlier rows stay.

    Returns how many skills changed.
    """
    latest = plan.latest_assessments()
    now = timezone.now()
    new_rows = [
        SkillAssessment(plan=plan, skill_id=skill_id, level=level, note=note, assessed_at=now)
        for skill_id, (level, note) in values.items()
        if level is not None
        and (skill_id not in latest or (latest[skill_id].level, latest[skill_id].note) != (level, note))
    ]
    SkillAssessment.objects.bulk_create(new_rows)
    return len(new_rows)
