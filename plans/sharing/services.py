"""Sharing a plan: inviting a mentor or manager by email, accepting, resending, the comment
thread, and ending the shares of an address that left its account."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.addresses import normalize_address
from base import versions
from plans.events import PlanEvent
from plans.models import CareerPlan
from plans.sharing import emails, throttle
from plans.sharing.models import Comment, Share


class AlreadyInvited(Exception):
    """The address already has an invitation to this plan (the database's unique constraint said so)."""


class InvitationLimit(Exception):
    """The owner has sent as many invitations as plans.sharing.throttle allows today (or this one too
    recently); the message says which, and when they can send more."""


def _send_invitation(share: Share) -> None:
    """Email the invitation unless a limit forbids it: per person and per plan a day (plans.sharing.throttle).
    The owner's row is locked first, so of two invitations sent at once the second counts the
    first (on SQLite the IMMEDIATE transaction's write lock does the same)."""
    list(get_user_model().objects.select_for_update().filter(pk=share.plan.owner_id).values_list("pk"))
    if not throttle.INVITATIONS_PER_PERSON.remaining(share.plan.owner_id):
        limit = throttle.INVITATIONS_PER_PERSON.count
        raise InvitationLimit(f"You have sent {limit} invitations today, the most a day: send more tomorrow.")
    if not throttle.INVITATIONS_PER_PLAN.remaining(share.plan_id):
        limit = throttle.INVITATIONS_PER_PLAN.count
        raise InvitationLimit(
            f"This plan has had {limit} invitations sent today, the most a day: send more tomorrow."
        )
    emails.invitation_send(share=share)
    Share.objects.filter(pk=share.pk).update(sent_at=timezone.now())  # a resend renews the invitation
    throttle.INVITATIONS_PER_PERSON.take(share.plan.owner_id)
    throttle.INVITATIONS_PER_PLAN.take(share.plan_id)


@transaction.atomic
def share_invite(*, plan: CareerPlan, email: str, message: str, may_rate: bool = False) -> Share:
    """Invite `email` to read the plan; the invitation is emailed once the transaction commits.
    InvitationLimit (nothing saved) when the owner or the plan has had its invitations for today."""
    try:
        with transaction.atomic():
            share = Share.objects.create(plan=plan, email=email, message=message, may_rate=may_rate)
    except IntegrityError as error:  # the same address invited twice at the same moment
        raise AlreadyInvited(email) from error
    _send_invitation(share)  # InvitationLimit rolls the share back with the transaction
    PlanEvent.objects.record(plan=plan, kind=PlanEvent.Kind.INVITED, subject=share.email)
    return share


def share_accept(*, share: Share, user: User) -> bool:
    """Bind an open, unexpired invitation to `user` if they hold a verified address equal to the
    invited one.

    True when the user can now read the plan (they own it, were already bound, or just got bound).
    """
    if share.user_id == user.pk or share.plan.is_owned_by(user):
        return True
    if share.user_id is not None or share.is_expired() or not share.invitee_verified(user):
        return False
    # Conditional update: of two sessions accepting at once, only one binds the share.
    with transaction.atomic():
        if Share.objects.filter(pk=share.pk, user__isnull=True).update(user=user, accepted_at=timezone.now()):
            versions.bump(versions.plan(share.plan_id))  # update() sends no signal
            kind = PlanEvent.Kind.INVITATION_ACCEPTED
            PlanEvent.objects.record(plan=share.plan, kind=kind, subject=share.email, by_id=user.pk)
    share.refresh_from_db()
    return share.user_id == user.pk


@transaction.atomic
def share_resend(*, share: Share) -> None:
    """Send the invitation again: not within RESEND_COOLDOWN of the last one, and it counts
    towards the day's limits (InvitationLimit)."""
    if throttle.resend_waiting(share):
        minutes = int(throttle.RESEND_COOLDOWN.total_seconds() // 60)
        raise InvitationLimit(f"The invitation to {share.email} went out less than {minutes} minutes ago.")
    _send_invitation(share)
    PlanEvent.objects.record(plan=share.plan, kind=PlanEvent.Kind.INVITATION_RESENT, subject=share.email)


@transaction.atomic
def share_revoke(*, share: Share) -> None:
    """End a mentor's access, or withdraw a pending invitation: the share goes."""
    share.delete()
    PlanEvent.objects.record(plan=share.plan, kind=PlanEvent.Kind.ACCESS_REVOKED, subject=share.email)


@transaction.atomic
def comment_add(*, plan: CareerPlan, author: User, body: str) -> Comment:
    """Post a comment on the plan's thread; the other side is emailed (emails.comment_notify)."""
    is_reply = plan.comments.exclude(author=author).exists()
    comment = Comment.objects.create(plan=plan, author=author, body=body)
    PlanEvent.objects.record(plan=plan, kind=PlanEvent.Kind.COMMENTED, by_id=author.pk)
    emails.comment_notify(
        plan=plan, author=author, body=body, url=plan.get_absolute_url() + "#comments", is_reply=is_reply
    )
    return comment


def shares_end_for_address(*, user: User, email: str) -> int:
    """The address left the user's account: the plans shared with them through an invitation to
    it are no longer theirs to read (the invitation stays, pending, for whoever verifies the
    address next). How many shares ended."""
    ended = list(
        Share.objects.filter(user=user, email=normalize_address(email)).values_list("plan_id", flat=True)
    )
    Share.objects.filter(user=user, email=normalize_address(email)).update(user=None, accepted_at=None)
    versions.bump_many({versions.plan(plan_id) for plan_id in ended})
    return len(ended)
