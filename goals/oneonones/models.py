"""1:1s on a share: a dated conversation between a plan's owner and a mentor, with talking points,
notes and action items that can become goals or activities on the owner's plan.

A 1:1 belongs to the plan (it goes with the plan and the owner's account, and is in the owner's
export). The share it was held on gives the mentor access: when the share ends (revoked, or the
invited address left the mentor's account) the share is set to null and the mentor reads it no
more; the owner keeps it whole.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.names import display_name
from plans.models import Activity, CareerPlan
from plans.sharing.models import Share
from skills.models import DATE_BOUNDS


class Side(models.TextChoices):
    """Who wrote a row: kept as a side, not only an author, so an imported 1:1 or one whose mentor
    deleted their account still says which side said what."""

    OWNER = "owner", "Owner"
    MENTOR = "mentor", "Mentor"


# The share still binds the mentor the 1:1 was held with: a share whose address left its mentor's
# account is pending again, and whoever accepts it next (accepted_at moves on) is not that mentor.
HELD = Q(share__accepted_at__isnull=True) | Q(share__accepted_at__lte=F("created_at"))


class OneOnOneQuerySet(models.QuerySet["OneOnOne"]):
    def visible_to(self, user) -> "OneOnOneQuerySet":
        """The owner's 1:1s, and a mentor's on a share they still hold (an ended share is null)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(plan__owner=user) | (Q(share__user=user) & HELD))

    def of_person(self, user_ids: list[int]) -> "OneOnOneQuerySet":
        """1:1s these people take part in: as the plan's owner, or as the mentor of a live share."""
        return self.filter(Q(plan__owner_id__in=user_ids) | (Q(share__user_id__in=user_ids) & HELD))

    def between(self, start: datetime, end: datetime) -> "OneOnOneQuerySet":
        return self.filter(starts_at__gte=start, starts_at__lt=end)


class OneOnOne(models.Model):
    class Length(models.IntegerChoices):
        QUARTER = 15, "15 minutes"
        HALF = 30, "30 minutes"
        THREE_QUARTERS = 45, "45 minutes"
        HOUR = 60, "1 hour"
        HOUR_AND_HALF = 90, "1 hour 30 minutes"

    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="one_on_ones")
    # The share it is held on: null once the share ends, when the mentor loses it and the owner keeps it.
    share = models.ForeignKey(
        Share, on_delete=models.SET_NULL, null=True, blank=True, related_name="one_on_ones"
    )
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(choices=Length.choices, default=Length.HALF)
    started_by = models.CharField(max_length=6, choices=Side.choices)
    created_at = models.DateTimeField(
        default=timezone.now, editable=False
    )  # an import sets the exported time

    objects = OneOnOneQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["plan", "starts_at"]), models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"1:1 on {self.plan} at {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("goals:one_on_one", args=[self.pk])

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    def is_owned_by(self, user) -> bool:
        return self.plan.is_owned_by(user)

    def side_of(self, user) -> Side:
        return Side.OWNER if self.is_owned_by(user) else Side.MENTOR

    def other_side_name(self, user) -> str:
        """Who ``user`` meets: the mentor for the owner ("a former mentor" once the share ended),
        the owner for the mentor."""
        if self.is_owned_by(user):
            return display_name(self.mentor) if self.mentor else "a former mentor"
        return display_name(self.plan.owner)

    @property
    def mentor(self):
        """The mentor while the share lasts (HELD); None after (pages say "a former mentor")."""
        share = self.share if self.share_id else None
        if share is None or share.user_id is None:
            return None
        if share.accepted_at is not None and share.accepted_at > self.created_at:
            return None
        return share.user


class Written(models.Model):
    """What either side writes on a 1:1."""

    side = models.CharField(max_length=6, choices=Side.choices)
    # Null once the author deleted their account, or for rows an import wrote: the side remains.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(
        default=timezone.now, editable=False
    )  # an import sets the exported time

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class TalkingPoint(Written):
    one_on_one = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="talking_points")
    text = models.CharField(max_length=300)
    # Filled in from the plan when the 1:1 was made (goals.oneonones.suggestions).
    suggested = models.BooleanField(default=False)

    class Meta(Written.Meta):
        pass

    def __str__(self) -> str:
        return self.text


class OneOnOneNote(Written):
    one_on_one = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField()

    class Meta(Written.Meta):
        pass

    def __str__(self) -> str:
        return self.body[:60]


class ActionItem(Written):
    class Becomes(models.TextChoices):
        GOAL = "goal", "A goal"
        ACTIVITY = "activity", "An activity"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PROPOSED = "proposed", "Waiting for the owner"  # the mentor asked to put it on the plan
        DONE = "done", "On the plan"
        DECLINED = "declined", "Declined"

    OPEN_STATUSES = (Status.OPEN, Status.PROPOSED)

    one_on_one = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(max_length=200)
    becomes = models.CharField(max_length=8, choices=Becomes.choices, default=Becomes.GOAL)
    # What an activity it becomes is (the plan's activity kinds); unused for a goal.
    activity_kind = models.CharField(
        max_length=20, choices=Activity.Kind.choices, default=Activity.Kind.COURSE
    )
    due_on = models.DateField(validators=DATE_BOUNDS)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    goal = models.ForeignKey("goals.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta(Written.Meta):
        pass

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
