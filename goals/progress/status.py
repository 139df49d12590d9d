"""How an active goal is doing against the straight line from its start to its deadline
(Goal.track_status applies it)."""

from django.db import models

# Progress within this many points of the ideal line is "on track"; within twice, "at risk".
ON_TRACK_TOLERANCE = 0.10


class TrackStatus(models.TextChoices):
    """How an active goal is doing against the straight line from its start to its deadline."""

    DONE = "done", "Target reached"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    BEHIND = "behind", "Behind"

    @property
    def badge(self) -> str:
        """The Bootstrap badge class that shows this status."""
        return {
            "done": "text-bg-success",
            "on_track": "text-bg-primary",
            "at_risk": "text-bg-warning",
            "behind": "text-bg-danger",
        }[self.value]
