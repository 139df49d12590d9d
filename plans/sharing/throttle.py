"""Limits on what a person can make CareerPath email to others (an invitation is an email with
their words in it, to any address): counted in the database (base.limits), in the transaction
that sends the invitation, so they hold with any number of processes and with the cache down."""

from datetime import timedelta

from django.utils import timezone

from base.limits import Limit

DAY = timedelta(days=1)
# Invitations (and resends) a person may send a day, over all their plans, and to one plan.
INVITATIONS_PER_PERSON = Limit("invitations-person", 10, DAY)
INVITATIONS_PER_PLAN = Limit("invitations-plan", 5, DAY)
# After an invitation goes out, how long before the same one can be sent again.
RESEND_COOLDOWN = timedelta(minutes=10)


def resend_waiting(share) -> bool:
    """True while the share's last invitation (Share.sent_at) is more recent than RESEND_COOLDOWN."""
    return share.sent_at > timezone.now() - RESEND_COOLDOWN
