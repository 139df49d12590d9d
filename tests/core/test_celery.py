import pytest
from django.conf import settings

from careerpath.celery import app, ping


def test_celery_app_is_configured_from_django_settings():
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert "careerpath.ping" in app.tasks


@pytest.mark.worker
def test_a_task_runs_on_a_real_worker_through_the_configured_broker(celery_worker_process):
    result = ping.apply_async(queue=celery_worker_process.queue)
    celery_worker_process.wait_for_output(f"Task careerpath.ping[{result.id}] succeeded")
