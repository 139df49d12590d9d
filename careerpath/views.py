from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_GET

from careerpath.celery import app as celery_app
from plans.dashboard import dashboard_context, dashboard_etag


@condition(etag_func=dashboard_etag)
def home(request: HttpRequest) -> HttpResponse:
    """The landing page for visitors; the dashboard for a signed-in person (a repeated view
    answers 304 until one of their plans changes)."""
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    response = render(request, "dashboard.html", dashboard_context(request))
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 while the database answers, 503 when it does not.

    The broker is reported but does not fail the check: pages still work without
    it (only reminders wait), so a Redis outage should not take the site down.
    """
    database, broker = _database_ok(), _broker_ok()
    body = {
        "status": "ok" if database else "error",
        "database": "ok" if database else "error",
        "broker": "ok" if broker else "error",
    }
    return JsonResponse(body, status=200 if database else 503)
