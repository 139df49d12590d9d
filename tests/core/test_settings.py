"""Settings come from the environment; production settings pass `check --deploy`."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import environ
from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Kq-9vZ_2mN4pR8sT1wY5uB3cE6gH0jL-aDfGhJkLzXcVbNm_QwErTy",
    "ALLOWED_HOSTS": "careerpath.example.com",
    "DATABASE_URL": "sqlite:////tmp/careerpath-deploy-check.sqlite3",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "SECRET_KEY", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_database_url_for_postgresql_is_parsed():
    config = environ.Env.db_url_config("postgres://cp:secret@db.internal:5433/careerpath")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "careerpath")
    assert (config["USER"], config["PASSWORD"]) == ("cp", "secret")


def test_check_deploy_is_clean_with_production_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_with_debug_off_is_a_clear_startup_error():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def settings_read_from(env: dict[str, str]) -> dict:
    """The names careerpath/settings.py defines when it is run afresh with ``env`` as the whole
    environment, as a new process would read it; this process's environment is put back after.
    In this process: what is asserted is values read from variables, not a process's start-up
    (check --deploy, the missing SECRET_KEY, the read-only load and LOG_FORMAT=json start one)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        return runpy.run_path(str(Path(settings.BASE_DIR) / "careerpath" / "settings.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_embedded_defaults_need_no_server():
    # With no environment a newcomer gets SQLite, a filesystem broker and console email.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL")}
    read = settings_read_from(env)
    assert (read["DATABASES"]["default"]["ENGINE"], read["CELERY_BROKER_URL"], read["EMAIL_BACKEND"]) == (
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.mail.backends.console.EmailBackend",
    )


def test_an_smtp_url_selects_djangos_smtp_backend():
    from django.core.mail import get_connection

    read = settings_read_from({**os.environ, "EMAIL_URL": "smtp://mail.example.com:2525"})
    backend = "django.core.mail.backends.smtp.EmailBackend"
    assert (read["EMAIL_BACKEND"], read["EMAIL_HOST"], read["EMAIL_PORT"]) == (
        backend,
        "mail.example.com",
        2525,
    )
    assert type(get_connection(read["EMAIL_BACKEND"])).__module__ == "django.core.mail.backends.smtp"


def test_loading_settings_writes_nothing_to_disk():
    """A read-only filesystem must not fail just by loading settings (and with the filesystem broker)."""
    import subprocess
    import sys

    from django.conf import settings

    script = (
        "import pathlib, os\n"
        "def refuse(*a, **k): raise PermissionError('read-only filesystem')\n"
        "pathlib.Path.mkdir = refuse\n"
        "os.makedirs = os.mkdir = refuse\n"
        "import careerpath.settings as s\n"
        "from careerpath.celery import app\n"
        "print(s.DATABASES['default']['ENGINE'])\n"
    )
    env = {"PATH": "/usr/bin:/bin", "CELERY_BROKER_URL": "filesystem://", "HOME": "/tmp"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "sqlite3" in done.stdout


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for():
    proxied = {**PRODUCTION_ENV, "BEHIND_PROXY": "1"}
    read = settings_read_from(proxied)
    assert (read["ALLAUTH_TRUSTED_PROXY_COUNT"], read["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"]) == (1, None)
    read = settings_read_from({**proxied, "TRUSTED_PROXY_COUNT": "2", "CLIENT_IP_HEADER": "X-Real-IP"})
    assert (read["ALLAUTH_TRUSTED_PROXY_COUNT"], read["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"]) == (2, "X-Real-IP")


def test_log_format_json_writes_one_json_object_a_line():
    import json

    script = "import logging; logging.getLogger('careerpath.check').warning('hello %s', 'there')"
    result = run_manage("shell", "-v", "0", "-c", script, env={**PRODUCTION_ENV, "LOG_FORMAT": "json"})
    [line] = [line for line in result.stderr.splitlines() if "careerpath.check" in line]
    record = json.loads(line)
    assert (record["level"], record["logger"], record["message"]) == (
        "WARNING",
        "careerpath.check",
        "hello there",
    )
    assert "time" in record


def test_make_serve_refuses_to_start_without_its_settings():
    clean = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL")
    }
    result = subprocess.run(
        ["make", "serve"], cwd=settings.BASE_DIR, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "make serve: set SECRET_KEY" in result.stdout + result.stderr


def test_a_filesystem_broker_is_looked_at_every_second_unless_the_environment_says_otherwise():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CELERY_BROKER_URL", "CELERY_BROKER_POLLING_INTERVAL")
    }
    assert settings_read_from(env)["CELERY_BROKER_TRANSPORT_OPTIONS"]["polling_interval"] == 1.0
    env["CELERY_BROKER_POLLING_INTERVAL"] = "0.1"
    assert settings_read_from(env)["CELERY_BROKER_TRANSPORT_OPTIONS"]["polling_interval"] == 0.1
