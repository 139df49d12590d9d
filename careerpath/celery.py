import os
from pathlib import Path

from celery import Celery
from celery.signals import beat_init, celeryd_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerpath.settings")

app = Celery("careerpath")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # each app's tasks.py
app.autodiscover_tasks(["goals.reminders"])  # a feature folder's tasks.py

FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


def ensure_broker_folders() -> None:
    """kombu's filesystem transport needs its folders before it reads or writes a message."""
    options = app.conf.broker_transport_options or {}
    for name in FOLDER_OPTIONS:
        if options.get(name):
            Path(options[name]).mkdir(parents=True, exist_ok=True)


@celeryd_init.connect
@beat_init.connect
def _make_broker_folders(**kwargs) -> None:
    ensure_broker_folders()


@app.task(name="careerpath.ping")
def ping() -> str:
    """A no-op used by health checks and tests to prove the worker round trip."""
    return "pong"
