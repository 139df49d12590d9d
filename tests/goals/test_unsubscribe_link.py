"""The unsubscribe link in a reminder digest: how long it works, and that resubscribing ends it.

Time is frozen (time-machine) at tests/conftest.py NOW; the link is made there, as a digest sent
then would carry it, and used later.
"""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from goals.models import ReminderSettings
from goals.reminders.tokens import unsubscribe_url
from tests.conftest import NOW

pytestmark = pytest.mark.usefixtures("frozen_time")


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def one_click(link: str):
    """What a mail client's unsubscribe button does (RFC 8058): a POST, no sign-in, no CSRF token."""
    return Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})


def receives_reminders(user) -> bool:
    return ReminderSettings.for_user(type(user).objects.get(pk=user.pk)).receives_reminders


def test_the_link_of_a_digest_sent_before_resubscribing_is_refused(alice, alice_client):
    link = path_of(unsubscribe_url(alice))  # in a digest of 15 June
    assert one_click(link).status_code == 200
    assert not receives_reminders(alice)

    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        alice_client.post(reverse("goals:reminder_resubscribe"))
        assert receives_reminders(alice)
    with time_machine.travel(NOW + timedelta(days=4), tick=False):
        opened = Client().get(link)
        response = one_click(link)

    for refused in (opened, response):
        assert refused.status_code == 410
        page = refused.content.decode()
        assert "This unsubscribe link has ended" in page
        assert "you turned reminders back on" in page
        assert reverse("goals:reminder_settings") in page
    assert receives_reminders(alice)


def test_a_digest_sent_after_resubscribing_carries_a_link_that_works(alice, alice_client):
    one_click(path_of(unsubscribe_url(alice)))
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        alice_client.post(reverse("goals:reminder_resubscribe"))
    with time_machine.travel(NOW + timedelta(days=10), tick=False):
        link = path_of(unsubscribe_url(alice))  # the next digest's
        response = one_click(link)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not receives_reminders(alice)


def test_a_link_from_before_an_unsubscribe_and_resubscribe_from_settings_is_refused_too(alice, alice_client):
    link = path_of(unsubscribe_url(alice))
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        alice_client.post(reverse("goals:reminder_unsubscribe"))
        alice_client.post(reverse("goals:reminder_resubscribe"))
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        assert one_click(link).status_code == 410
    assert receives_reminders(alice)


def test_the_link_works_until_the_last_moment_of_its_180_days(alice):
    link = path_of(unsubscribe_url(alice))
    with time_machine.travel(NOW + timedelta(days=180), tick=False):
        response = one_click(link)
    assert response.status_code == 200
    assert not receives_reminders(alice)


def test_a_link_older_than_180_days_is_refused_with_a_way_to_unsubscribe(alice):
    link = path_of(unsubscribe_url(alice))
    with time_machine.travel(NOW + timedelta(days=180, seconds=1), tick=False):
        response = one_click(link)
    assert response.status_code == 410
    page = response.content.decode()
    assert "This unsubscribe link has expired" in page
    assert "work for 180 days" in page
    assert reverse("goals:reminder_settings") in page
    assert receives_reminders(alice)


def test_a_person_never_unsubscribed_keeps_a_working_link(alice):
    ReminderSettings.objects.create(user=alice, hour=17)  # settings saved, never resubscribed
    link = path_of(unsubscribe_url(alice))
    with time_machine.travel(NOW + timedelta(days=100), tick=False):
        assert one_click(link).status_code == 200
    assert not receives_reminders(alice)
