"""What people did to a plan, one row per change, for the plan's history page.

The plan's own fields keep django-simple-history (plans.history reads both); everything in the
plan — assessments, goals and their check-ins and milestones, certifications, activities, sharing
and comments — is told here by the service that made the change, in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator

from plans.models import CareerPlan

SUBJECT_LENGTH = 200


class PlanEventQuerySet(models.QuerySet["PlanEvent"]):
    def record(
        self,
        *,
        plan: CareerPlan,
        kind: "PlanEvent.Kind",
        subject: str = "",
        detail: str = "",
        count: int | None = None,
        by_id: int | None = None,
    ) -> "PlanEvent":
        """Note a change; by the plan's owner unless `by_id` names someone else (a mentor)."""
        return self.create(
            plan=plan,
            kind=kind,
            subject=Truncator(subject).chars(SUBJECT_LENGTH),
            detail=Truncator(detail).chars(SUBJECT_LENGTH),
            count=count,
            by_id=plan.owner_id if by_id is None else by_id,
        )


class PlanEvent(models.Model):
    """One change someone made to a plan: what (kind, and the name of the thing), who and when."""

    class Kind(models.TextChoices):
        ASSESSED = "assessed", "Skills assessed"
        GOAL_ADDED = "goal_added", "Goal added"
        GOAL_EDITED = "goal_edited", "Goal edited"
        GOAL_COMPLETED = "goal_completed", "Goal completed"
        GOAL_STATUS = "goal_status", "Goal status changed"
        GOAL_DELETED = "goal_deleted", "Goal deleted"
        CHECK_IN_ADDED = "check_in_added", "Check-in added"
        CHECK_IN_CORRECTED = "check_in_corrected", "Check-in corrected"
        CHECK_IN_DELETED = "check_in_deleted", "Check-in deleted"
        MILESTONE_ADDED = "milestone_added", "Milestone added"
        MILESTONE_DONE = "milestone_done", "Milestone done"
        MILESTONE_REOPENED = "milestone_reopened", "Milestone not done"
        MILESTONE_DELETED = "milestone_deleted", "Milestone removed"
        CERTIFICATION_ADDED = "certification_added", "Certification added"
        CERTIFICATION_CHANGED = "certification_changed", "Certification changed"
        CERTIFICATION_EARNED = "certification_earned", "Certification earned"
        CERTIFICATION_REMOVED = "certification_removed", "Certification removed"
        ACTIVITY_ADDED = "activity_added", "Activity logged"
        ACTIVITY_EDITED = "activity_edited", "Activity edited"
        ACTIVITY_DELETED = "activity_deleted", "Activity deleted"
        INVITED = "invited", "Invitation sent"
        INVITATION_RESENT = "invitation_resent", "Invitation sent again"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        ACCESS_REVOKED = "access_revoked", "Access revoked"
        COMMENTED = "commented", "Comment"
        RATING_ALLOWED = "rating_allowed", "May rate skills"
        RATING_STOPPED = "rating_stopped", "May no longer rate skills"
        RATED = "rated", "Skill rated"
        LEVEL_CHOSEN = "level_chosen", "Level that counts chosen"

    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    # Who made the change; null once their account is deleted ("a former member").
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # The name of the thing changed, as it was then (a goal's title; the invited address).
    subject = models.CharField(max_length=SUBJECT_LENGTH, blank=True)
    detail = models.CharField(max_length=SUBJECT_LENGTH, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)

    objects = PlanEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["plan", "-at", "-id"], name="planevent_plan_newest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}" if self.subject else self.get_kind_display()


# Events whose subject is an invited address: shown to the owner only (mentors never see the share
# list), and blanked when that address's account is deleted (plans.deletion).
ADDRESSED = {
    PlanEvent.Kind.INVITED,
    PlanEvent.Kind.INVITATION_RESENT,
    PlanEvent.Kind.INVITATION_ACCEPTED,
    PlanEvent.Kind.ACCESS_REVOKED,
    PlanEvent.Kind.RATING_ALLOWED,
    PlanEvent.Kind.RATING_STOPPED,
}
