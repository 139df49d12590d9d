from django.db import models
from django.utils import timezone


class Version(models.Model):
    """The current token of one kind of content (base.versions): written in the same transaction
    as the change it stands for, so every process reads the token and the data that go together."""

    name = models.CharField(max_length=100, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.name} @ {self.token}"


class LimitUse(models.Model):
    """One use of a limited action (base.limits): who (key) did what (scope) and when."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="limit_use_window_idx")]

    def __str__(self) -> str:
        return f"{self.scope} by {self.key} at {self.at:%Y-%m-%d %H:%M}"
