from unittest import mock

from django.urls import reverse


def test_healthz_reports_database_and_broker(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_is_503_when_the_database_is_down(client, db):
    with mock.patch("careerpath.views._database_ok", return_value=False):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_healthz_reports_a_broker_outage_without_failing(client, db, settings):
    with mock.patch("careerpath.views._broker_ok", return_value=False):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["broker"] == "error"
