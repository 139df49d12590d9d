"""Uploads and imports are throttled per person, counted in the database (every web process
counts the same): 10 of each an hour, then a 429 saying when to try again."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from base.models import LimitUse
from goals.portability.export import dump, export_person
from goals.portability.throttle import IMPORTS, UPLOADS
from plans.models import CareerPlan
from tests.conftest import NOW
from tests.goals.test_import_views import _file

pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def exported(owned, alice) -> dict:
    return export_person(alice)


def test_the_eleventh_upload_in_an_hour_is_refused_until_the_hour_is_over(client, bob, exported):
    client.force_login(bob)
    for _ in range(10):
        assert client.post(reverse("goals:import"), {"file": _file(exported)}).status_code == 302

    refused = client.post(reverse("goals:import"), {"file": _file(exported)})

    assert refused.status_code == 429
    assert "You have uploaded 10 files in the last hour: try again in 60 minutes." in refused.content.decode()
    with time_machine.travel(NOW + timedelta(hours=1, seconds=1), tick=False):
        assert client.post(reverse("goals:import"), {"file": _file(exported)}).status_code == 302


def test_the_eleventh_import_in_an_hour_is_refused_and_nothing_is_written(client, bob, exported):
    client.force_login(bob)
    LimitUse.objects.bulk_create(
        LimitUse(scope=IMPORTS.scope, key=str(bob.pk), at=NOW - timedelta(minutes=m)) for m in range(10)
    )
    client.post(reverse("goals:import"), {"file": _file(exported)})
    review = client.get(reverse("goals:import_confirm"))

    refused = client.post(
        reverse("goals:import_confirm"), {"ladder": "skip", "digest": review.context["digest"]}
    )

    assert refused.status_code == 429
    assert "You have imported 10 files in the last hour: try again in 51 minutes." in refused.content.decode()
    assert not CareerPlan.objects.filter(owner=bob).exists()


def test_each_person_is_counted_alone(client, alice, bob, exported):
    LimitUse.objects.bulk_create(LimitUse(scope=UPLOADS.scope, key=str(alice.pk), at=NOW) for _ in range(10))
    client.force_login(bob)
    assert client.post(reverse("goals:import"), {"file": _file(dump(exported).encode())}).status_code == 302
