"""Error reports (the debug page, the admins' email) never show a password from a URL setting."""

import pytest
from django.test import Client
from django.urls import path
from django.views.debug import get_default_exception_reporter_filter

from careerpath.reporting import hide_url_passwords

SECRET = "s3cret-broker-pass"


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom)]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"redis://:{SECRET}@redis.internal:6379/0", "redis://:********************@redis.internal:6379/0"),
        (f"amqp://worker:{SECRET}@mq:5672//", "amqp://worker:********************@mq:5672//"),
        ("redis://redis.internal:6379/0", "redis://redis.internal:6379/0"),
        ("https://example.com/a:b@c", "https://example.com/a:b@c"),
    ],
)
def test_the_password_in_a_url_is_hidden(url, shown):
    assert hide_url_passwords(url) == shown


def test_the_debug_page_shows_no_broker_or_cache_password(settings, db):
    settings.DEBUG = True
    settings.ROOT_URLCONF = __name__
    settings.CELERY_BROKER_URL = f"redis://:{SECRET}@redis.internal:6379/0"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "other": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://:{SECRET}@r:6379/1",
        },
    }

    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == 500
    page = response.content.decode()
    assert (
        "CELERY_BROKER_URL" in page and "redis.internal" in page
    )  # the setting is there, its password is not
    assert SECRET not in page
    assert SECRET not in str(get_default_exception_reporter_filter().get_safe_settings())
