"""Deleting an account, in one transaction: what the apps above accounts own is removed by their
receivers of ``account_deleting`` (plans.deletion.account_plans_delete: the plans with their
history, shares and invitations, the outbox, the confirmation email), then the person's sessions
end and the user row goes, taking with it by cascade what points at it (email addresses, reminder
settings, calendar feed, reminder deliveries); comments they wrote on others' plans and goals stay,
their author set to null ("a former member").

accounts sits below plans and goals and imports neither: they connect to the signal.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import Signal

# Sent inside the transaction, before the user row is deleted: user (still whole), address (the
# one they signed in with, for the confirmation email).
account_deleting = Signal()


@transaction.atomic
def account_delete(*, user, address: str) -> None:
    account_deleting.send(sender=type(user), user=user, address=address)
    sessions_end(user=user)
    user.delete()


def sessions_end(*, user) -> None:
    """End every session signed in as the person: other browsers and devices too, and expired
    rows no one has cleared yet (they still name the person). Sessions don't index their user, so
    this decodes every row; an account is deleted rarely. Through the session engine, so a cached
    session goes from the cache as well as the table."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()
