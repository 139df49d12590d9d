"""What deleting takes away, told in words for the confirmation pages, and the plan rows an
account's deletion removes beyond Django's cascade from the user row (accounts.deletion)."""

from allauth.account.models import EmailAddress
from django.db.models import Count, Q

from accounts.addresses import normalize_address
from accounts.names import display_name
from base.emails import queue
from base.models import OutgoingEmail
from base.words import counted
from plans.events import ADDRESSED, PlanEvent
from plans.models import CareerPlan
from plans.ratings.models import SkillRating
from plans.sharing.models import Share

# What goes with a plan: (relation from the plan, one, many). goals' rows are named by their
# relations, never imported (plans sits below goals).
PLAN_CONTENTS = [
    ("goals", "goal", "goals"),
    ("goals__check_ins", "check-in", "check-ins"),
    ("goals__milestones", "milestone", "milestones"),
    ("assessments", "skill assessment", "skill assessments"),
    ("certifications", "certification", "certifications"),
    ("activities", "activity", "activities"),
    ("comments", "comment on the plan", "comments on the plan"),
    ("ratings", "rating from a mentor", "ratings from mentors"),
    ("goals__comments", "comment on its goals", "comments on its goals"),
    ("events", "entry in its history", "entries in its history"),
    ("one_on_ones", "1:1", "1:1s"),
]


def plan_contents(plan: CareerPlan) -> list[str]:
    """What goes with the plan, in words, leaving out what it has none of: one count per kind
    (a single query joining them all would count their product)."""
    plans = CareerPlan.objects.filter(pk=plan.pk)
    counts = [(plans.aggregate(n=Count(relation))["n"], one, many) for relation, one, many in PLAN_CONTENTS]
    return [counted(n, one, many) for n, one, many in counts if n]


def plan_mentors(plan: CareerPlan) -> list:
    """The people who read the plan through an accepted invitation, who lose it with the plan."""
    return [share.user for share in plan.shares.filter(user__isnull=False).select_related("user")]


def plan_pending_invitations(plan: CareerPlan) -> int:
    return plan.shares.filter(user__isnull=True).count()


def account_plans_delete(sender, *, user, address: str, **kwargs) -> None:
    """accounts.deletion.account_deleting: what the person has in plans goes, before their user row.

    Their plans (goals, events and all under them go by cascade), then every history row of those
    plans, the "-" records deleting them just wrote and those of plans deleted earlier
    (simple_history's rows have no foreign key constraint, so no cascade reaches them); the plans
    they read as a mentor and the pending invitations to any of their verified addresses, and
    those addresses in others' plans' events, and their name on the ratings they gave (what they
    did there stays, by no one); the outbox's
    emails to them and those they caused (outbox_purge). Last, the confirmation email to the
    address they signed in with."""
    # Not an address they added and never confirmed: it may be someone else's, whose invitations
    # and emails are not theirs to take (an address no one verified belongs to no one). Nor "".
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    addresses = {address, user.email, *verified}
    addresses = (addresses | {normalize_address(a) for a in addresses}) - {""}
    outbox_purge(user=user, addresses=addresses)
    plan_ids = list(CareerPlan.objects.filter(owner=user).values_list("pk", flat=True))
    CareerPlan.objects.filter(pk__in=plan_ids).delete()
    CareerPlan.history.filter(Q(owner_id=user.pk) | Q(id__in=plan_ids)).delete()
    Share.objects.filter(Q(user=user) | Q(user__isnull=True, email__in=addresses)).delete()
    PlanEvent.objects.filter(kind__in=ADDRESSED, subject__in=addresses).update(subject="")
    # Their ratings of others' skills stay with those plans' owners, by "a former member".
    SkillRating.objects.filter(rater=user).update(rater_name="")
    account_deleted_send(to=address, name=display_name(user))


def outbox_purge(*, user, addresses: set[str]) -> int:
    """The outbox's emails to the person and those they caused go, sent or waiting (issue 21):
    the goodbye says their plans went with the account, so no invitation they sent (their name,
    message and plan) and no notice of a comment they wrote (their name and words) stays, and
    none still waiting leaves after them. How many rows went."""
    return OutgoingEmail.objects.filter(
        Q(to__in=addresses) | Q(caused_by=user) | Q(kind="plan_invitation", reply_to__in=addresses)
    ).delete()[0]


def account_deleted_send(*, to: str, name: str) -> OutgoingEmail:
    """The confirmation that an account and its plans are deleted, to the address its owner signed
    in with (queued while the account is deleted: the row names no user, and keeps neither name nor
    address once sent)."""
    context = {"name": name, "email": to}
    return queue(template="account_deleted", context=context, to=to, erase_when_sent=True)
