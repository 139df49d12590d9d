"""What an error report (the debug page, the admins' email) may show of the settings."""

import re

from django.views.debug import SafeExceptionReporterFilter

# scheme://user:password@host, scheme://:password@host: the password part of a URL-valued setting.
_URL_PASSWORD = re.compile(
    r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<password>[^@\s]+)(?=@)", re.IGNORECASE
)


def hide_url_passwords(text: str) -> str:
    return _URL_PASSWORD.sub(
        lambda match: match["head"] + SafeExceptionReporterFilter.cleansed_substitute, text
    )


class CredentialsFilter(SafeExceptionReporterFilter):
    """Django hides settings named like secrets (KEY, PASS, TOKEN…); this also hides the password in
    any URL-valued setting, whatever its name: CELERY_BROKER_URL, a cache LOCATION, a result
    backend (DEFAULT_EXCEPTION_REPORTER_FILTER)."""

    def cleanse_setting(self, key, value):
        value = super().cleanse_setting(key, value)
        return hide_url_passwords(value) if isinstance(value, str) else value
