"""How many export files a person may upload and import an hour (docs/export-format.md):
counted in the database (base.limits) with the person's row locked, so every process counts the
same, not in the cache."""

import math
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from base.limits import Limit

# Uploads and imports a person may make an hour, counted in the database (base.limits).
UPLOADS = Limit("import-uploads", 10, timedelta(hours=1))
IMPORTS = Limit("import-imports", 10, timedelta(hours=1))


class TooManyAttempts(Exception):
    """More uploads or imports in the last hour than UPLOADS or IMPORTS allows."""

    def __init__(self, limit: Limit, wait: timedelta) -> None:
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        done, count = ("uploaded" if limit is UPLOADS else "imported"), limit.count
        super().__init__(
            f"You have {done} {count} files in the last hour: try again in {minutes} minute{'s' * (minutes != 1)}."
        )


def import_attempt(*, user, limit: Limit) -> None:
    """Count an upload (UPLOADS) or an import (IMPORTS) by ``user``; TooManyAttempts (and nothing
    counted) when the last hour already holds as many as ``limit`` allows."""
    with transaction.atomic():
        # The person's row is locked while counting: of two requests at once at the limit, the
        # second counts after the first's attempt is in, so both cannot pass.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if not limit.remaining(user.pk):
            raise TooManyAttempts(limit, limit.free_at(user.pk) - timezone.now())
        limit.take(user.pk)
