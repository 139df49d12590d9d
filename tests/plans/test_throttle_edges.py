"""The invitation throttle at its edges (issue 28, from mutation testing): a resend is allowed
exactly 10 minutes after the last invitation and not a second before; a limit forgets the uses
that left its window and only those, and counts each key apart."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from base.limits import Limit
from base.models import LimitUse
from plans.sharing.models import Share
from tests.conftest import NOW

pytestmark = pytest.mark.usefixtures("frozen_time")

HOUR = timedelta(hours=1)


def invitation(plan, sent_ago: timedelta) -> Share:
    return Share.objects.create(plan=plan, email="mentor@example.com", sent_at=NOW - sent_ago)


@pytest.mark.parametrize(
    "sent_ago, sent_again",
    [
        (timedelta(minutes=10), True),  # exactly the cooldown: allowed
        (timedelta(minutes=10) - timedelta(seconds=1), False),
    ],
)
def test_a_resend_is_allowed_exactly_ten_minutes_after_the_last_invitation(
    alice_client, plan, sent_ago, sent_again
):
    share = invitation(plan, sent_ago)

    page = alice_client.post(
        reverse("plans:share_resend", args=[plan.pk, share.pk]), follow=True
    ).content.decode()

    assert ("Invitation sent to mentor@example.com again." in page) is sent_again
    assert ("went out less than 10 minutes ago" in page) is not sent_again
    assert len(mail.outbox) == (1 if sent_again else 0)


@pytest.mark.django_db
def test_a_limit_forgets_uses_once_they_leave_the_window_and_only_those():
    limit = Limit("test-scope", 2, HOUR)
    with time_machine.travel(NOW - HOUR, tick=False):
        limit.take("alice")  # exactly a window ago: forgotten
    with time_machine.travel(NOW - HOUR + timedelta(seconds=1), tick=False):
        limit.take("alice")  # a second inside the window: still counted
    limit.take("bob")

    assert limit.remaining("alice") == 1
    limit.take("alice")

    assert limit.remaining("alice") == 0
    assert sorted(LimitUse.objects.filter(key="alice").values_list("at", flat=True)) == [
        NOW - HOUR + timedelta(seconds=1),
        NOW,
    ]
    assert limit.remaining("bob") == 1  # each key counts apart
