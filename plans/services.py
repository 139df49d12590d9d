from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from base import versions
from base.words import listed
from plans.events import PlanEvent
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from skills.models import Skill


class PlanArchived(Exception):
    """An archived plan can't become the primary plan until it is restored."""


@transaction.atomic
def plan_create(*, plan: CareerPlan, owner: User) -> CareerPlan:
    """Save a new (unsaved) plan for `owner`; a person's first plan becomes their primary plan."""
    plan.owner = owner
    plan.is_primary = not CareerPlan.objects.owned_by(owner).filter(is_primary=True).exists()
    plan._change_reason = "Plan created"
    plan.save()
    return plan


@transaction.atomic
def plan_update(*, plan: CareerPlan, reason: str = "") -> CareerPlan:
    """Save a changed plan; `reason` goes on its history."""
    plan._change_reason = reason or None
    plan.save()
    return plan


@transaction.atomic
def plan_make_primary(*, plan: CareerPlan) -> None:
    if plan.is_archived:
        raise PlanArchived(plan.pk)
    # Unset the old primary first: the partial unique constraint allows one per owner.
    demoted = CareerPlan.objects.owned_by(plan.owner).filter(is_primary=True).exclude(pk=plan.pk)
    for plan_id in demoted.values_list("pk", flat=True):  # update() sends no signal
        versions.bump(versions.plan(plan_id))
    demoted.update(is_primary=False)
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
def plan_delete(*, plan: CareerPlan) -> None:
    """Delete a plan with everything in it (goals and their check-ins, assessments, certifications,
    activities, comments, shares: its mentors lose access). simple_history keeps a "-" record of
    it, with this reason, until its owner's account is deleted (plans.deletion.account_plans_delete)."""
    plan._change_reason = "Plan deleted"
    plan.delete()


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
    if new_rows:
        versions.bump(versions.plan(plan.pk))  # bulk_create sends no signal
        names = Skill.objects.filter(pk__in=[row.skill_id for row in new_rows]).order_by("name")
        PlanEvent.objects.record(
            plan=plan,
            kind=PlanEvent.Kind.ASSESSED,
            count=len(new_rows),
            detail=listed(list(names.values_list("name", flat=True))),
        )
    return len(new_rows)


@transaction.atomic
def certification_save(*, record: PlanCertification) -> PlanCertification:
    """Add a certification to its plan, or save the changes to one; the plan's history says which
    (earned, when this save makes it so)."""
    stored = (
        PlanCertification.objects.filter(pk=record.pk).values_list("status", flat=True).first()
        if record.pk
        else None
    )
    record.save()
    if stored is None:
        kind = PlanEvent.Kind.CERTIFICATION_ADDED
    elif record.status == PlanCertification.Status.EARNED and stored != record.status:
        kind = PlanEvent.Kind.CERTIFICATION_EARNED
    else:
        kind = PlanEvent.Kind.CERTIFICATION_CHANGED
    detail = record.get_status_display().lower()
    PlanEvent.objects.record(plan=record.plan, kind=kind, subject=str(record.certification), detail=detail)
    return record


@transaction.atomic
def certification_delete(*, record: PlanCertification) -> None:
    plan, name = record.plan, str(record.certification)
    record.delete()
    PlanEvent.objects.record(plan=plan, kind=PlanEvent.Kind.CERTIFICATION_REMOVED, subject=name)


@transaction.atomic
def activity_save(*, activity: Activity, skills: Iterable[Skill]) -> Activity:
    """Log a new activity, or save the changes to one, with the skills it builds."""
    kind = PlanEvent.Kind.ACTIVITY_EDITED if activity.pk else PlanEvent.Kind.ACTIVITY_ADDED
    activity.save()
    activity.skills.set(skills)
    detail = activity.get_kind_display().lower()
    PlanEvent.objects.record(plan=activity.plan, kind=kind, subject=activity.title, detail=detail)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    plan, title = activity.plan, activity.title
    activity.delete()
    PlanEvent.objects.record(plan=plan, kind=PlanEvent.Kind.ACTIVITY_DELETED, subject=title)
