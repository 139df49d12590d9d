"""Writes that change what a plan's pages show move the plan's version (base.versions)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from base import versions
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.ratings.models import SkillRating
from plans.sharing.models import Comment, Share


def plan_changed(sender, instance, **kwargs) -> None:
    if isinstance(instance, CareerPlan):
        # A plan's page shows whether its owner has other plans (the "Primary" badge): creating,
        # archiving or deleting one changes every one of the owner's plan pages.
        owned = CareerPlan.objects.filter(owner_id=instance.owner_id).values_list("pk", flat=True)
        versions.bump_many({versions.plan(plan_id) for plan_id in {instance.pk, *owned} if plan_id})
        return
    if instance.plan_id is not None:
        versions.bump(versions.plan(instance.plan_id))


def people_changed(update_fields=None, **kwargs) -> None:
    # A sign-in saves last_login alone: no page shows it, and every sign-in would otherwise
    # invalidate every cached page.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    versions.bump(versions.PEOPLE)


def address_removed(sender, instance, **kwargs) -> None:
    """An address left an account (removed in allauth's email page, or by an admin): the plans
    shared through invitations to it are no longer readable by that account."""
    from plans.sharing.services import shares_end_for_address

    shares_end_for_address(user=instance.user_id, email=instance.email)


def connect() -> None:
    from allauth.account.models import EmailAddress

    from accounts.deletion import account_deleting
    from plans.deletion import account_plans_delete

    account_deleting.connect(account_plans_delete, dispatch_uid="plans-account-deleting")

    post_delete.connect(address_removed, sender=EmailAddress, dispatch_uid="plan-shares-address-removed")
    for model in (CareerPlan, SkillAssessment, PlanCertification, Activity, Share, Comment, SkillRating):
        post_save.connect(plan_changed, sender=model, dispatch_uid=f"plan-save-{model.__name__}")
        post_delete.connect(plan_changed, sender=model, dispatch_uid=f"plan-delete-{model.__name__}")
    m2m_changed.connect(plan_changed, sender=Activity.skills.through, dispatch_uid="plan-activity-skills")
    post_save.connect(people_changed, sender=get_user_model(), dispatch_uid="people-save")
