"""Which real services this run is on. Under CAREERPATH_STRICT=1 (CI's second pass) a
missing PostgreSQL or Redis fails here instead of quietly testing SQLite and files."""

import os

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import STRICT


@pytest.mark.django_db
def test_database_is_the_one_configured():
    url = os.environ.get("DATABASE_URL", "")
    if STRICT or url.startswith("postgres"):
        assert connection.vendor == "postgresql", f"expected PostgreSQL, got {connection.vendor}"
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            assert cursor.fetchone()[0]
    else:
        assert connection.vendor == "sqlite"


def test_broker_is_the_one_configured():
    from careerpath.celery import app

    if STRICT or settings.CELERY_BROKER_URL.startswith("redis"):
        assert settings.CELERY_BROKER_URL.startswith("redis://"), "strict runs need a Redis broker"
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=5)
