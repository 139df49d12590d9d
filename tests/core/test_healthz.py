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


def test_healthz_is_503_when_the_database_is_unreachable(client, transactional_db):
    """No mock: the connection really points at a database that isn't there."""
    from django.db import connection

    real = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-directory/db.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1
    try:
        response = client.get(reverse("healthz"))
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(real)
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert client.get(reverse("healthz")).status_code == 200  # and back once it is reachable


def test_healthz_answers_plain_http_under_ssl_redirect(client, db, settings):
    """Load balancers probe over plain HTTP: /healthz must not be redirected to HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/plans/").status_code == 301  # everything else is redirected
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
