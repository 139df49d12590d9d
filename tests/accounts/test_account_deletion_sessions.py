"""Deleting an account ends every session signed in as the person: no row of the session table
(sessions are in the database) still names them, whichever browser it came from and whether or
not it has expired; other people's sessions are left alone.

Time is frozen at Monday 15 June 2026, 12:00 UTC (tests/conftest.py); a session lasts two weeks.
"""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.conftest import NOW

pytestmark = pytest.mark.usefixtures("frozen_time")

DELETE_URL = "/accounts/profile/delete/"


def session_rows_of(user) -> list[Session]:
    """Every row of the session table signed in as ``user``, expired or not."""
    return [row for row in Session.objects.all() if row.get_decoded().get(SESSION_KEY) == str(user.pk)]


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def delete_account(client, password: str) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, "allauth did not accept the password"
    response = client.post(DELETE_URL, {"confirm": "on"})
    assert response.status_code == 302


def test_no_session_row_names_her_after_she_deletes_her_account(alice_client, alice, password):
    signed_in_client(alice)  # her phone, signed in now
    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        signed_in_client(alice)  # a laptop she signed in on a month ago: expired, still in the table
    assert len(session_rows_of(alice)) == 3

    delete_account(alice_client, password)

    assert session_rows_of(alice) == []


def test_other_peoples_sessions_stay_when_she_deletes_her_account(alice_client, alice, bob, password):
    bobs_browser = signed_in_client(bob)
    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        signed_in_client(bob)  # expired: his to clear, not hers

    delete_account(alice_client, password)

    assert len(session_rows_of(bob)) == 2
    assert bobs_browser.get(reverse("accounts:account")).status_code == 200
