import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerpath.settings")

app = Celery("careerpath")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="careerpath.ping")
def ping() -> str:
    """A no-op used by health checks and tests to prove the worker round trip."""
    return "pong"
