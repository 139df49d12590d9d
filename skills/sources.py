"""Where a ladder entry comes from: a public standard's id on a skill, role or certification.

A skill drafted from ESCO or O*NET keeps the standard's own id (an ESCO concept URI, an O*NET
element id or O*NET-SOC code), so ladders drafted from different sources meet on one skill and the
public pages give the attribution each standard's licence asks for. The rule for a well-formed id
lives here once (``source_problem``) and serves the model's clean(), the admin form and the ladder
import's check (docs/decisions.md, "Skills keep their source").
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from skills.taxonomy.models import Standard

EXTERNAL_ID_LENGTH = 255
# ESCO's concept URIs (skills, occupations, groups) all live under this prefix, in http.
_ESCO_ID = re.compile(r"http://data\.europa\.eu/esco/[A-Za-z]+/[^\s/]+(/[^\s/]+)*")
# O*NET's element ids ("2.A.1.a") and O*NET-SOC codes ("11-1021.00").
_ONET_ID = re.compile(r"[0-9]+(\.[0-9A-Za-z]+)+|[0-9]{2}-[0-9]{4}\.[0-9]{2}")
_FORMS = {
    Standard.ESCO: (_ESCO_ID, "an ESCO concept URI (http://data.europa.eu/esco/<kind>/<id>)"),
    Standard.ONET: (_ONET_ID, "an O*NET element id such as 2.A.1.a or an O*NET-SOC code such as 11-1021.00"),
}


def source_problem(standard: str, external_id: str) -> str | None:
    """What is wrong with this pair as a source, in words, or None when it is a source or none."""
    if not standard and not external_id:
        return None
    if not standard:
        return "an id needs its standard"
    if not external_id:
        return f"an {Standard(standard).label} source needs its id"  # ESCO and O*NET both take "an"
    if len(external_id) > EXTERNAL_ID_LENGTH:
        return f"an id has at most {EXTERNAL_ID_LENGTH} characters"
    pattern, form = _FORMS[Standard(standard)]
    if not pattern.fullmatch(external_id):
        return f"the id is not {form}"
    return None


def source_constraints(model_name: str, *, unique: bool) -> list[models.BaseConstraint]:
    """Both fields or neither; ``unique``: one row per standard id (a skill is one concept)."""
    constraints: list[models.BaseConstraint] = [
        models.CheckConstraint(
            condition=Q(standard="", external_id="") | (~Q(standard="") & ~Q(external_id="")),
            name=f"{model_name}_source_both_or_neither",
        )
    ]
    if unique:
        constraints.append(
            models.UniqueConstraint(
                fields=["standard", "external_id"],
                condition=~Q(external_id=""),
                name=f"{model_name}_unique_source",
                violation_error_message=f"Another {model_name} already has this standard id.",
            )
        )
    return constraints


def onet_database_title() -> str:
    """How the attribution O*NET's licence asks for names the data: its release when it is set."""
    version = getattr(settings, "ONET_DATABASE_VERSION", "")
    return f"O*NET {version} Database" if version else "O*NET Database"


class Sourced(models.Model):
    """The standard and id a ladder entry was taken from; both blank for one written here."""

    standard = models.CharField(
        max_length=4,
        choices=Standard.choices,
        blank=True,
        help_text="The public standard this entry comes from, if any; its id goes below.",
    )
    external_id = models.CharField(
        "standard id",
        max_length=EXTERNAL_ID_LENGTH,
        blank=True,
        help_text="ESCO: the concept URI (http://data.europa.eu/esco/skill/…). "
        "O*NET: the element id (2.A.1.a) or the O*NET-SOC code (11-1021.00).",
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        problem = source_problem(self.standard, self.external_id)
        if problem:
            field = "standard" if self.external_id and not self.standard else "external_id"
            raise ValidationError({field: problem[:1].upper() + problem[1:] + "."})

    @property
    def source(self) -> dict[str, str] | None:
        """The ladder file's ``source`` object, or None for an entry written here."""
        return {"standard": self.standard, "id": self.external_id} if self.standard else None
