"""The throttle's message at its edges (issue 28): the wait is rounded up to whole minutes, never
"0 minutes", one minute in the singular, and a refused attempt is not counted."""

from datetime import timedelta

import pytest
from django.urls import reverse

from base.models import LimitUse
from goals.portability.export import export_person
from goals.portability.throttle import IMPORTS, UPLOADS
from tests.conftest import NOW
from tests.goals.test_import_views import _file

pytestmark = pytest.mark.usefixtures("frozen_time")


def _uses(limit, user, oldest: timedelta) -> None:
    """A full hour for ``user``: ten uses, the oldest ``oldest`` ago, the others just now."""
    ages = [oldest] + [timedelta(seconds=s) for s in range(9)]
    LimitUse.objects.bulk_create(LimitUse(scope=limit.scope, key=str(user.pk), at=NOW - age) for age in ages)


@pytest.mark.parametrize(
    ("oldest", "wait"),
    [
        (timedelta(minutes=59, seconds=59), "1 minute"),  # a second to wait
        (timedelta(minutes=59), "1 minute"),  # exactly a minute
        (timedelta(minutes=58, seconds=59), "2 minutes"),  # a minute and a second
        (timedelta(minutes=30), "30 minutes"),
    ],
)
def test_the_wait_is_rounded_up_to_whole_minutes(client, owned, alice, bob, oldest, wait):
    _uses(UPLOADS, bob, oldest)
    client.force_login(bob)

    refused = client.post(reverse("goals:import"), {"file": _file(export_person(alice))})

    assert refused.status_code == 429
    assert f"You have uploaded 10 files in the last hour: try again in {wait}." in refused.content.decode()
    assert LimitUse.objects.filter(scope=UPLOADS.scope, key=str(bob.pk)).count() == 10  # not counted


def test_imports_and_uploads_are_counted_apart(client, owned, alice, bob):
    _uses(IMPORTS, bob, timedelta(minutes=10))
    client.force_login(bob)

    uploaded = client.post(reverse("goals:import"), {"file": _file(export_person(alice))})
    review = client.get(reverse("goals:import_confirm"))
    refused = client.post(
        reverse("goals:import_confirm"), {"ladder": "skip", "digest": review.context["digest"]}
    )

    assert uploaded.status_code == 302
    assert refused.status_code == 429
    assert "You have imported 10 files in the last hour: try again in 50 minutes." in refused.content.decode()
    assert LimitUse.objects.filter(scope=UPLOADS.scope, key=str(bob.pk)).count() == 1
    assert LimitUse.objects.filter(scope=IMPORTS.scope, key=str(bob.pk)).count() == 10
