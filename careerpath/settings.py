"""CareerPath settings, read from the environment.

Every value has a safe development default, so a fresh clone runs with no
environment at all: SQLite and a filesystem Celery broker under ``var/``,
email printed to the console. Production sets DEBUG=0 and the URLs below;
README.md lists every variable.
"""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import csp.constants
import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG=0 CareerPath needs a long random SECRET_KEY "
            "in the environment; generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute base for links in emails sent outside a request (the Celery worker).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    # Single sign-on (issue 26): always installed, so URLs and tables do not depend on the environment;
    # with no OIDC_SERVER_URL there is no provider and nothing shows.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "base",
    "accounts",
    "skills",
    "plans",
    "goals",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # first: every answer carries the policy, a refused request's too
    "careerpath.middleware.RefuseUnreadableInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "careerpath.middleware.PrivatePagesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "careerpath.middleware.HtmxLoginRedirectMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "base.middleware.RememberVersionsMiddleware",
]

ROOT_URLCONF = "careerpath.urls"
WSGI_APPLICATION = "careerpath.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# Settings create nothing on disk: `make setup`, the Celery start-up (careerpath/celery.py) and the
# test session make var/ and the broker's folders, so loading settings works on a read-only disk.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file: WAL lets readers run beside the
    # writer, and IMMEDIATE transactions take the write lock up front instead of
    # failing mid-transaction with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # One connection per thread for as long as it lives, as with PostgreSQL below: opening SQLite
    # and running the init_command on every request is needless work.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # A file, not memory, so a Celery worker process in the integration tests sees it too.
    DATABASES["default"]["TEST"] = {
        "NAME": env.str("TEST_DATABASE_NAME", default=str(VAR_DIR / "test.sqlite3"))
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache only saves work: what decides freshness (base.versions), sessions and limits live in
# the database. By default it is a folder every local process shares (web workers, worker, beat),
# so allauth's sign-in rate limits count once for the whole app; production uses Redis.
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache":
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that is down is an empty cache, never an error (careerpath/cache.py), and is given
    # up on quickly.
    CACHES["default"]["BACKEND"] = "careerpath.cache.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 0.5, "socket_timeout": 0.5})
# Sessions live in the database alone: a request landing on any process, with the cache lost or
# down, sees the session (and what a security step stored in it) as the last request left it.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Auth (django-allauth, email is the login) ------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# A few addresses per account (a work and a personal one, an old one on its way out), not a list.
ACCOUNT_MAX_EMAIL_ADDRESSES = 5
# Confirming in the browser that signed up signs the person in and honours the sign-up's
# ?next= (allauth only does this within that same session, so a leaked link cannot log in).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Opening the emailed link confirms the address: no second page with a "Confirm" button. A mail
# scanner that prefetches the link confirms an address that did receive the email, which is all a
# confirmation proves; signing in on confirmation still needs the browser that signed up (above).
ACCOUNT_CONFIRM_EMAIL_ON_GET = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CareerPath] "
ACCOUNT_ADAPTER = "careerpath.accounts.AccountAdapter"
# Sign-up asks for the name others see (User.first_name); accounts.names is the one rule for showing a person.
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupNameForm"
# An address no one has verified never blocks a sign-up with it (careerpath.accounts.SignupForm).
ACCOUNT_FORMS = {
    "login": "careerpath.accounts.LoginForm",
    "signup": "careerpath.accounts.SignupForm",
    "reset_password": "careerpath.accounts.ResetPasswordForm",
}
ACCOUNT_USER_DISPLAY = "accounts.names.display_name"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_SESSION_REMEMBER = None
# allauth's rate limits stay at their defaults (on); ACCOUNT_RATE_LIMITS=False would disable them.

# --- Single sign-on (OpenID Connect through allauth; docs/decisions.md "Single sign-on") ---------
# Who may create an account, by SSO or by password: the domains after the @ (empty: anyone).
SIGNUP_ALLOWED_DOMAINS = [
    d.strip().lstrip("@").lower() for d in env.list("SIGNUP_ALLOWED_DOMAINS", default=[])
]
# Password sign-in, sign-up and reset off for everyone but superusers (who sign in at /admin/login/).
SSO_ONLY = env.bool("SSO_ONLY", default=False)
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS: dict[str, Any] = {}
OIDC_SERVER_URL = env.str("OIDC_SERVER_URL", default="")
if OIDC_SERVER_URL and not DEBUG and not OIDC_SERVER_URL.startswith("https://"):
    # The client secret, the codes and the tokens travel between CareerPath and the provider.
    raise ImproperlyConfigured("OIDC_SERVER_URL must start with https:// when DEBUG=0")
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env.str("OIDC_PROVIDER_ID", default="sso"),
                "name": env.str("OIDC_NAME", default="single sign-on"),
                "client_id": env.str("OIDC_CLIENT_ID"),
                "secret": env.str("OIDC_CLIENT_SECRET", default=""),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ],
    }
elif SSO_ONLY:
    raise ImproperlyConfigured("SSO_ONLY=1 needs OIDC_SERVER_URL, or no one but superusers could sign in")
# The provider's verified address signs into the account that has verified it too (linking the two);
# accounts.sso.SocialAccountAdapter refuses every other match, and every unverified address.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False

# --- Email --------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds an SMTP connection may wait on the server at each step: a hung server fails the send
# (retried later) instead of holding a worker forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Seconds before the first retry of an email the server did not take; it doubles each retry.
EMAIL_RETRY_DELAY = env.float("EMAIL_RETRY_DELAY", default=10.0)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CareerPath <noreply@careerpath.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files (vendored under static/, served by whitenoise) ----------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery ---------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
# Error reports never show a password in a URL-valued setting such as this one.
DEFAULT_EXCEPTION_REPORTER_FILTER = "careerpath.reporting.CredentialsFilter"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # A broker that needs no server: messages are files under var/celery/, whose folders
    # careerpath.celery.ensure_broker_folders() makes before a worker or beat starts.
    _broker_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # How often a worker or beat looks in the folders for a message (kombu's default, 1 s). The
        # test suite's workers look every 0.1 s (tests/conftest.py worker_env).
        "polling_interval": env.float("CELERY_BROKER_POLLING_INTERVAL", default=1.0),
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=90)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Celery's processes log through LOGGING above (JSON under make serve), not a format of their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Broker messages unacknowledged this long are delivered again; task time limits stay well below it.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

# --- Reminders ----------------------------------------------------------------------
# A plan with no check-in, assessment or activity for this many days is "stalled" in the digest.
REMINDER_STALLED_DAYS = env.int("REMINDER_STALLED_DAYS", default=30)
# The O*NET release imported into the taxonomy catalogue ("29.1"): the attribution O*NET's licence
# asks for names it. Empty: the attribution says "the O*NET Database".
ONET_DATABASE_VERSION = env.str("ONET_DATABASE_VERSION", default="")
# Requests per token in any minute on /api/v1/ (api.auth), counted in the database.
API_REQUESTS_PER_MINUTE = env.int("API_REQUESTS_PER_MINUTE", default=120)
CELERY_TIMEZONE = "UTC"

# --- Security (production) ---------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
if env.bool("BEHIND_PROXY", default=False):
    # Only behind a proxy that sets this header and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # allauth's rate limits count per client address: read it from X-Forwarded-For, where each of
    # the TRUSTED_PROXY_COUNT proxies in front appends the address it saw (or from the one header
    # the proxy sets, CLIENT_IP_HEADER, e.g. X-Real-IP), not from REMOTE_ADDR, which is the proxy's.
    ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="") or None
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (django-csp): scripts, styles and everything else from
# this site only; no inline script or style, no eval. Charts, htmx and Bootstrap are vendored in
# static/; sizes the templates used to write as style="" are classes or set by static scripts;
# htmx is told not to inject its indicator <style> (templates/base.html, htmx-config).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.constants.SELF],
        "script-src": [csp.constants.SELF],
        "style-src": [csp.constants.SELF],
        "img-src": [csp.constants.SELF, "data:"],  # Bootstrap's form controls draw with data: SVGs
        "font-src": [csp.constants.SELF],
        "connect-src": [csp.constants.SELF],
        "form-action": [csp.constants.SELF],
        "frame-ancestors": [csp.constants.NONE],
        "base-uri": [csp.constants.SELF],
        "object-src": [csp.constants.NONE],
    },
}
if OIDC_SERVER_URL:
    # The "Sign in with" button posts here and is redirected to the provider, which form-action governs.
    _issuer = urlsplit(OIDC_SERVER_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_issuer.scheme}://{_issuer.netloc}")

# LOG_FORMAT=json (make serve): one JSON object a line, for a log collector; text otherwise.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
if LOG_FORMAT not in LOGGING["formatters"]:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
