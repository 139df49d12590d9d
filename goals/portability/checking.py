"""Checking an uploaded export (goals.portability.export, docs/export-format.md) whole, before
anything is written; the file was read within limits first (goals.portability.reading).

- ``check`` refuses (ImportRefused) a document that is not a readable version-1 export, naming the
  entry and the field of every problem, and otherwise says what an import would do
  (goals.portability.preview.survey).
- ``validate`` is the part no database changes: the schema, the models' rules for each value,
  ids, a check-in's assessment (``_Checker``). An upload runs it once (goals.models.PendingImport).
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date

from goals.models import CheckIn, Goal, GoalComment, Milestone, ReminderSettings
from goals.oneonones.portability import one_on_ones_check
from goals.portability.export import FORMAT, VERSION, validate_export
from goals.portability.preview import Preview, survey
from goals.portability.ratings import ratings_check
from goals.portability.reading import ImportRefused
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.sharing.models import Comment
from skills.ladder.errors import ProblemPath, render_problems, show
from skills.models import TOP_PROFICIENCY, Proficiency

# A time the document says something happened (created, assessed, completed, done) lies between
# these: from 1900 to tomorrow (a day's grace for clocks and time zones), in UTC.
EARLIEST_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)
MOMENT_EXAMPLE = "2026-06-15T12:00:00+00:00"


def moment(text: str, *, now: datetime | None = None) -> datetime:
    """The time ``text`` says something happened, in UTC; ValueError saying what is wrong when it
    is no date and time, has no offset from UTC, or lies outside 1900 to tomorrow (outside Python's
    years 1–9999 once in UTC included: such a time is stored, then breaks every page showing it)."""
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"{show(text)} is not a date and time: write it as {MOMENT_EXAMPLE}") from None
    if value.utcoffset() is None:
        raise ValueError(
            f"{show(text)} has no offset from UTC: write the time with its offset, as {MOMENT_EXAMPLE}"
        )
    latest = (now or timezone.now()) + timedelta(days=1)
    try:
        utc: datetime | None = value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST_MOMENT <= utc <= latest:
        raise ValueError(
            f"{show(text)} is not between 1900-01-01 and tomorrow: it says when something happened"
        )
    return utc


def check(document: dict, *, user) -> Preview:
    """Refuse (ImportRefused) a document that cannot be imported; otherwise say what importing it
    into ``user``'s account would do. Reads the database, writes nothing."""
    validate(document)
    return survey(document, user=user)


def validate(document: dict) -> None:
    """Refuse (ImportRefused) a document that is no importable version-1 export, whatever the
    database holds: the schema, the models' rules for each value, ids, a check-in's assessment.
    The costly part of a check, made once per upload (goals.models.PendingImport)."""
    if document.get("format") != FORMAT:
        raise ImportRefused(
            f"format: {show(document.get('format'))} is not a CareerPath export ('{FORMAT}')."
        )
    if document.get("version") != VERSION:
        raise ImportRefused(
            f"version: {show(document.get('version'))} is not a version this CareerPath reads (it reads {VERSION})."
        )
    problems = validate_export(document)
    if problems:
        raise ImportRefused(problems)
    checker = _Checker(document)
    checker.run()
    if checker.problems:
        raise ImportRefused(render_problems(document, checker.problems))


class _Checker:
    """The checks a schema cannot make: ids used once, a check-in's assessment on its own plan,
    values the models accept."""

    def __init__(self, document: dict) -> None:
        self.document = document
        self.now = timezone.now()
        self.problems: list[tuple[ProblemPath, str]] = []

    def run(self) -> None:
        if "reminder_settings" in self.document:
            fields = ["timezone", "hour", "weekday", "default_cadence", "paused_until"]
            self.values(ReminderSettings, self.document["reminder_settings"], ["reminder_settings"], fields)
        seen: dict[str, ProblemPath] = {}
        for p, plan in enumerate(self.document["plans"]):
            base: ProblemPath = ["plans", p]
            self.unique_id(seen, plan, base)
            self.values(
                CareerPlan,
                plan,
                base,
                ["title", "vision", "target_date", "status", "created_at", "updated_at"],
            )
            assessments = {}
            for a, assessment in enumerate(plan["assessments"]):
                where = base + ["assessments", a]
                self.unique_id(seen, assessment, where)
                assessments[assessment["id"]] = where
                self.values(SkillAssessment, assessment, where, ["level", "note", "assessed_at"])
            certifications = set()
            for c, held in enumerate(plan["certifications"]):
                where = base + ["certifications", c]
                if held["certification"] in certifications:
                    self.problems.append((where + ["certification"], "is on this plan twice"))
                certifications.add(held["certification"])
                self.values(
                    PlanCertification,
                    held,
                    where,
                    ["status", "target_date", "earned_on", "expires_on", "note"],
                )
            for a, activity in enumerate(plan["activities"]):
                where = base + ["activities", a]
                self.values(Activity, activity, where, ["kind", "title", "date", "status", "link", "note"])
            used: set[str] = set()
            for g, goal in enumerate(plan["goals"]):
                self.goal(goal, base + ["goals", g], seen, assessments, used)
            for c, comment in enumerate(plan["comments"]):
                self.values(Comment, comment, base + ["comments", c], ["body", "created_at"])
            one_on_ones_check(self, plan, base)
            ratings_check(self, plan, base)

    def goal(self, goal: dict, where: ProblemPath, seen: dict, assessments: dict, used: set[str]) -> None:
        self.unique_id(seen, goal, where)
        fields = [
            "title",
            "description",
            "metric",
            "unit",
            "baseline",
            "target",
            "plan_of_attack",
            "effort",
            "relevance",
            "start_date",
            "deadline",
            "status",
            "reminder_cadence",
            "created_at",
            "completed_at",
        ]
        self.values(Goal, goal, where, fields)
        for c, check_in in enumerate(goal["check_ins"]):
            at = where + ["check_ins", c]
            # Its one constraint (an assessed value is a whole level) is _is_level, below.
            self.values(
                CheckIn, check_in, at, ["value", "note", "checked_on", "created_at"], constraints=False
            )
            assessment = check_in["assessment"]
            if assessment is None:
                continue
            if not _is_level(check_in["value"]):
                self.problems.append(
                    (at + ["value"], "records a self-assessment, so it must be a whole level from 1 to 5")
                )
            if assessment not in assessments:
                self.problems.append(
                    (at + ["assessment"], f"{show(assessment)} is not a self-assessment of this plan")
                )
            elif assessment in used:
                self.problems.append(
                    (at + ["assessment"], f"{show(assessment)} is recorded by another check-in too")
                )
            used.add(assessment)
        dated = _dated_goal(goal)
        for m, milestone in enumerate(goal["milestones"]):
            # Held against its goal only once its date is one the field takes: Model.full_clean
            # runs clean() even when a field's validators refused its value, which it leaves as
            # the document's text (Milestone.clean would compare that text with a date).
            related: dict[str, Any] = (
                {"goal": dated} if _accepted(Milestone, "due_date", milestone["due_date"]) else {}
            )
            at = where + ["milestones", m]
            self.values(Milestone, milestone, at, ["title", "due_date", "done_at"], **related)
        for c, comment in enumerate(goal["comments"]):
            self.values(GoalComment, comment, where + ["comments", c], ["body", "created_at"])

    def unique_id(self, seen: dict, entry: dict, where: ProblemPath) -> None:
        if entry["id"] in seen:
            self.problems.append((where + ["id"], f"{show(entry['id'])} is the id of another entry too"))
        seen[entry["id"]] = where

    def values(
        self,
        model,
        entry: dict,
        where: ProblemPath,
        names: list[str],
        *,
        constraints: bool = True,
        **related: models.Model,
    ) -> None:
        """What the model's own validation says of these values (dates, lengths, choices, ranges);
        a time (every date-time field records when something happened) is read by ``moment``.
        ``constraints=False`` where the checker states the model's constraints itself: Django
        checks each with a query of its own (4 s for a goal's 43,000 check-ins). ``related``: the
        unsaved rows its rules read (a milestone's goal, for its dates)."""
        instance = model(**related)
        checked = []
        for name in names:
            field = model._meta.get_field(name)
            value = entry[name]
            if isinstance(field, models.DateTimeField) and value is not None:
                try:
                    value = moment(value, now=self.now)
                except ValueError as problem:
                    self.problems.append((where + [name], str(problem)))
                    continue
            setattr(instance, field.attname, value)
            checked.append(name)
        try:
            instance.full_clean(
                exclude=_all_but(model, checked), validate_unique=False, validate_constraints=constraints
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                place = where + [name] if name in names else where
                self.problems += [(place, message) for message in messages]


def _accepted(model: type[models.Model], name: str, value: Any) -> bool:
    """Whether the model's field takes ``value`` (converted and within its validators)."""
    try:
        cast("models.Field[Any, Any]", model._meta.get_field(name)).clean(value, None)
    except ValidationError:
        return False
    return True


def _dated_goal(goal: dict) -> Goal:
    """An unsaved goal with the document's start and deadline, which Milestone.clean holds each
    milestone against; both None (no milestone checked against them) when either is no date the
    goal's field takes or the deadline is not after the start: the goal's own problem, said once,
    on the goal."""
    start = deadline = None
    if _accepted(Goal, "start_date", goal["start_date"]) and _accepted(Goal, "deadline", goal["deadline"]):
        start, deadline = parse_date(goal["start_date"]), parse_date(goal["deadline"])
    if start is None or deadline is None or deadline <= start:
        start = deadline = None
    dates = {"start_date": start, "deadline": deadline}  # None is no date the saved goal could have
    return Goal(**dates)


def _is_level(value: str) -> bool:
    try:
        level = Decimal(value)
    except InvalidOperation:
        return False
    return level == level.to_integral_value() and Proficiency.AWARENESS <= level <= TOP_PROFICIENCY


def _all_but(model, names: list[str]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name not in names]
