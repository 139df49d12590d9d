"""Importing an export (goals.portability.export, docs/export-format.md) into a person's account: checked
whole before anything is written, then written in one transaction, and idempotent.

- ``read_document`` (goals.portability.reading, through base.documents) parses an uploaded file within
  limits (size, nesting, list and text lengths, digits; text no page could show).
- ``check`` refuses a document that is not a readable version-1 export, naming the entry and
  the field of every problem, and otherwise says what an import would do: the plans it adds, the
  plans already in the account (a plan is known by the moment it was created, which an import
  keeps), and the ladder entries this instance lacks and the file carries.
- ``import_document`` writes it. Ladder entries the instance lacks are either created from the
  file's own ladder (a ladder editor's choice: only those, never changing an entry this instance
  has) or skipped: a plan whose roles are missing stays out; an assessment, a certification or
  an activity's skill that is missing is left out; a plan loses a missing industry and a goal its
  link to a missing entry.
A slug neither on this instance nor in the file's ladder is a problem: the file contradicts itself.
"""

import logging
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from base.limits import Limit
from goals import services
from goals.models import CheckIn, Goal, GoalComment, Milestone, PendingImport, ReminderSettings
from goals.portability.export import FORMAT, VERSION, validate_export
from goals.portability.reading import LIMITS, MAX_BYTES, ImportRefused, read_document, read_text
from plans.models import Activity, CareerPlan, Comment, PlanCertification, SkillAssessment
from skills.ladder import ImportResult, LadderError
from skills.ladder.errors import ProblemPath, render_problems, show
from skills.ladder.validation import Checker as LadderChecker
from skills.ladder.validation import Index, schema_errors
from skills.ladder.writing import Writer as LadderWriter
from skills.ladder.writing import may_import_ladder
from skills.models import TOP_PROFICIENCY, Certification, GoalTemplate, Industry, Proficiency, Role, Skill

__all__ = [
    "LIMITS",
    "MAX_BYTES",
    "ImportRefused",
    "Preview",
    "Report",
    "check",
    "import_document",
    "read_document",
    "read_text",
]

logger = logging.getLogger(__name__)

# A time the document says something happened (created, assessed, completed, done) lies between
# these: from 1900 to tomorrow (a day's grace for clocks and time zones), in UTC.
EARLIEST_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)
MOMENT_EXAMPLE = "2026-06-15T12:00:00+00:00"

# What a document names, by kind: (the model, how its slug reads, the words for it).
KINDS = {
    "role": "role",
    "skill": "skill",
    "certification": "certification",
    "template": "goal template",
    "industry": "industry",
}


# The kinds a goal names (a plan names its roles and industry).
GOAL_KINDS = ("skill", "certification", "role", "template")


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


def _moment_or_none(text: str | None) -> datetime | None:
    return None if text is None else moment(text)


@dataclass
class Preview:
    """What importing a checked document would do."""

    document: dict | None = None
    new_plans: list[str] = field(default_factory=list)  # titles
    known_plans: list[str] = field(default_factory=list)  # titles of plans already in the account
    lacking: dict[str, list[str]] = field(default_factory=dict)  # kind -> slugs the file carries
    left_out: list[str] = field(default_factory=list)  # what skipping the lacking entries leaves out
    counts: Counter = field(default_factory=Counter)  # goals, check-ins… in the new plans
    known: set[str] = field(default_factory=set)  # created_at of the plans already in the account
    references: dict[str, set[str]] = field(default_factory=dict)  # kind -> every slug the plans name

    @property
    def lacks_ladder_entries(self) -> bool:
        return any(self.lacking.values())

    def summary(self) -> dict:
        """What the review page shows, as JSON (goals.models.PendingImport.preview)."""
        return {
            "new_plans": self.new_plans,
            "known_plans": self.known_plans,
            "lacking": self.lacking,
            "left_out": self.left_out,
            "counts": dict(self.counts),
        }

    @classmethod
    def from_summary(cls, summary: dict) -> "Preview":
        return cls(
            new_plans=summary["new_plans"],
            known_plans=summary["known_plans"],
            lacking=summary["lacking"],
            left_out=summary["left_out"],
            counts=Counter(summary["counts"]),
        )


@dataclass
class Report:
    """What an import wrote."""

    plans: list[CareerPlan] = field(default_factory=list)
    known_plans: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    ladder: str = ""  # skills.ladder's summary, when the file's ladder was imported


# --- Checking ---------------------------------------------------------------------------------


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


def survey(document: dict, *, user) -> Preview:
    """What importing a valid document (``validate``) into ``user``'s account would do, as this
    CareerPath stands: the plans it adds and those already there, the ladder entries it lacks and
    what skipping them leaves out. ImportRefused for a slug neither this CareerPath nor the file's
    ladder has. A few queries, whatever the file's size."""
    references = _references(document)
    lacking = _lacking(document, references)
    preview = Preview(
        document,
        lacking={kind: sorted(slugs) for kind, slugs in lacking.items()},
        known=_known_plans(user, document),
        references={kind: set(slugs) for kind, slugs in references.items()},
    )
    for plan in document["plans"]:
        if plan["created_at"] in preview.known:
            preview.known_plans.append(plan["title"])
            continue
        preview.new_plans.append(plan["title"])
        preview.counts.update(
            goals=len(plan["goals"]),
            check_ins=sum(len(goal["check_ins"]) for goal in plan["goals"]),
            assessments=len(plan["assessments"]),
            certifications=len(plan["certifications"]),
            activities=len(plan["activities"]),
        )
        preview.left_out += _left_out(plan, lacking)
    return preview


def _known_plans(user, document: dict) -> set[str]:
    """The export times of creation of the document's plans that the account already holds."""
    created = {
        plan["created_at"]: models.DateTimeField().to_python(plan["created_at"]) for plan in document["plans"]
    }
    held = set(
        CareerPlan.objects.filter(owner=user, created_at__in=created.values()).values_list(
            "created_at", flat=True
        )
    )
    return {text for text, moment in created.items() if moment in held}


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


References = dict[str, dict[str, list[ProblemPath]]]  # kind -> slug -> the places naming it


def _references(document: dict) -> References:
    """Every ladder entry the plans name, by kind and slug, with the places that name it."""
    references: References = {kind: {} for kind in KINDS}

    def refer(kind: str, slug: str | None, where: ProblemPath) -> None:
        if slug is not None:
            references[kind].setdefault(slug, []).append(where)

    for p, plan in enumerate(document["plans"]):
        base: ProblemPath = ["plans", p]
        refer("role", plan["current_role"], base + ["current_role"])
        refer("role", plan["target_role"], base + ["target_role"])
        refer("industry", plan.get("industry"), base + ["industry"])
        for a, assessment in enumerate(plan["assessments"]):
            refer("skill", assessment["skill"], base + ["assessments", a, "skill"])
        for c, held in enumerate(plan["certifications"]):
            refer("certification", held["certification"], base + ["certifications", c, "certification"])
        for a, activity in enumerate(plan["activities"]):
            for s, slug in enumerate(activity["skills"]):
                refer("skill", slug, base + ["activities", a, "skills", s])
        for g, goal in enumerate(plan["goals"]):
            for kind in GOAL_KINDS:
                refer(kind, goal[kind], base + ["goals", g, kind])
    return references


def _lacking(document: dict, references: References) -> dict[str, set[str]]:
    """Slugs this instance lacks and the file's ladder carries; ImportRefused for those neither has."""
    on_instance = _on_instance(references)
    in_file = _in_ladder(document["ladder"])
    lacking: dict[str, set[str]] = {kind: set() for kind in KINDS}
    problems = []
    for kind, slugs in references.items():
        for slug, places in slugs.items():
            if slug in on_instance[kind]:
                continue
            if slug in in_file[kind]:
                lacking[kind].add(slug)
                continue
            problem = f"{show(slug)} is {_a(KINDS[kind])} neither this CareerPath nor the file's ladder has"
            problems += [(place, problem) for place in places]
    if problems:
        raise ImportRefused(render_problems(document, problems))
    return lacking


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


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


def _on_instance(references: dict[str, dict[str, list]]) -> dict[str, set[str]]:
    roles = set()
    for ref in references["role"]:
        track, _, role = ref.partition("/")
        roles.add((track, role))
    known_roles = {
        f"{track}/{role}"
        for track, role in Role.objects.filter(slug__in={role for _, role in roles}).values_list(
            "track__slug", "slug"
        )
    }
    return {
        "role": known_roles,
        "skill": set(Skill.objects.filter(slug__in=references["skill"]).values_list("slug", flat=True)),
        "certification": set(
            Certification.objects.filter(slug__in=references["certification"]).values_list("slug", flat=True)
        ),
        "template": set(
            GoalTemplate.objects.filter(slug__in=references["template"]).values_list("slug", flat=True)
        ),
        "industry": set(
            Industry.objects.filter(slug__in=references["industry"]).values_list("slug", flat=True)
        ),
    }


def _in_ladder(ladder: dict) -> dict[str, set[str]]:
    return {
        "role": {f"{t['slug']}/{r['slug']}" for t in ladder.get("tracks", []) for r in t.get("roles", [])},
        "skill": {s["slug"] for s in ladder.get("skills", [])},
        "certification": {c["slug"] for c in ladder.get("certifications", [])},
        "template": {g["slug"] for g in ladder.get("goal_templates", [])},
        "industry": {i["slug"] for i in ladder.get("industries", [])},
    }


def _left_out(plan: dict, lacking: dict[str, set[str]]) -> list[str]:
    """What importing this plan without the lacking ladder entries leaves out, in words."""
    title = plan["title"]
    roles = [plan[key] for key in ("current_role", "target_role") if plan[key] in lacking["role"]]
    if roles:
        return [f"the plan “{title}”: its role {' and '.join(roles)} is not on this CareerPath"]
    lines = (
        [f"“{title}”: the industry {plan['industry']}"] if plan.get("industry") in lacking["industry"] else []
    )
    lines += [
        f"“{title}”: the self-assessment of {a['skill']}"
        for a in plan["assessments"]
        if a["skill"] in lacking["skill"]
    ]
    lines += [
        f"“{title}”: the certification {held['certification']}"
        for held in plan["certifications"]
        if held["certification"] in lacking["certification"]
    ]
    for activity in plan["activities"]:
        missing = [slug for slug in activity["skills"] if slug in lacking["skill"]]
        if missing:
            lines.append(
                f"“{title}”: the activity “{activity['title']}” loses the skill {', '.join(missing)}"
            )
    for goal in plan["goals"]:
        missing = [
            goal[kind] for kind in GOAL_KINDS if goal[kind] is not None and goal[kind] in lacking[kind]
        ]
        if missing:
            lines.append(f"“{title}”: the goal “{goal['title']}” loses its link to {', '.join(missing)}")
    return lines


# --- Throttling -------------------------------------------------------------------------------


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


# --- Waiting for the review -------------------------------------------------------------------


@transaction.atomic
def pending_import_save(*, user, text: str, digest: str, preview: Preview) -> PendingImport:
    """Keep a checked file for its owner's review, in place of any earlier one; uploads left
    waiting past PendingImport.KEPT_HOURS, anyone's, go."""
    now = timezone.now()
    PendingImport.objects.filter(uploaded_at__lte=now - timedelta(hours=PendingImport.KEPT_HOURS)).delete()
    pending, _ = PendingImport.objects.update_or_create(
        user=user,
        defaults={"document": text, "digest": digest, "preview": preview.summary(), "uploaded_at": now},
    )
    return pending


# --- Writing ----------------------------------------------------------------------------------


def import_document(document: dict, *, user, with_ladder: bool = False, validated: bool = False) -> Report:
    """Import a document into ``user``'s account, all or nothing (ImportRefused, and nothing
    written, when it cannot be). ``with_ladder`` imports the file's ladder first: a ladder
    editor's choice only. ``validated``: ``validate`` already passed this very document (a
    PendingImport's), so only what depends on the database is looked at again (``survey``)."""
    try:
        return _import(document, user=user, with_ladder=with_ladder, validated=validated)
    except (IntegrityError, ValidationError) as error:
        # A rule the checks missed: the transaction rolled back, so nothing is written.
        logger.warning("Import refused by the database: %s", error)
        raise ImportRefused(f"The file breaks a rule of this CareerPath's data: {error}") from None


@transaction.atomic
def _import(document: dict, *, user, with_ladder: bool, validated: bool) -> Report:
    report = Report()
    if not validated:
        validate(document)
    preview = survey(document, user=user)
    if with_ladder and preview.lacks_ladder_entries:
        if not may_import_ladder(user):
            raise ImportRefused("Only a ladder editor may import ladder entries.")
        try:
            report.ladder = str(_add_ladder_entries(document["ladder"]))
        except LadderError as error:
            raise ImportRefused([f"ladder: {line}" for line in error.errors]) from None
        preview = survey(document, user=user)
    report.known_plans, report.left_out = preview.known_plans, preview.left_out
    writer = _Writer(user, preview)
    imported = [writer.plan(plan) for plan in document["plans"] if plan["created_at"] not in preview.known]
    report.plans = [plan for plan in imported if plan is not None]
    writer.finish()
    if "reminder_settings" in document:
        _reminder_settings(user, document["reminder_settings"])
    return report


class _Writer:
    """Writes the plans of a checked document. Plans and goals are saved one by one (a plan's
    history record, a goal's reminder); the rows under them go in by bulk inserts, a query per
    kind and batch whatever their number. The times the database sets to now on insert
    (created_at) are then written as exported, a query per batch (``_write_times``)."""

    BATCH = 1000

    def __init__(self, user, preview: Preview) -> None:
        self.user = user
        refs = preview.references
        self.roles = {
            f"{role.track.slug}/{role.slug}": role
            for role in Role.objects.filter(
                slug__in={r.partition("/")[2] for r in refs["role"]}
            ).select_related("track")
        }
        self.skills = Skill.objects.in_bulk(refs["skill"], field_name="slug")
        self.certifications = Certification.objects.in_bulk(refs["certification"], field_name="slug")
        self.templates = GoalTemplate.objects.in_bulk(refs["template"], field_name="slug")
        self.industries = Industry.objects.in_bulk(refs["industry"], field_name="slug")
        self.has_primary = CareerPlan.objects.filter(owner=user, is_primary=True).exists()
        # Inserted at the end, each list with the rows of its model.
        self.rows: dict[type[models.Model], list[Any]] = defaultdict(list)
        self.stamped: dict[type[models.Model], list[tuple[models.Model, dict[str, str]]]] = defaultdict(list)

    def add(self, obj: models.Model, **stamps: str) -> None:
        """A row to insert with the others of its kind; ``stamps``: its times as exported."""
        self.rows[type(obj)].append(obj)
        if stamps:
            self.stamped[type(obj)].append((obj, stamps))

    def finish(self) -> None:
        for model in (CheckIn, Milestone, GoalComment, Comment):
            model.objects.bulk_create(self.rows.pop(model, []), batch_size=self.BATCH)
        for stamped_model, rows in self.stamped.items():
            for name in rows[0][1]:
                _write_times(stamped_model, name, [(obj.pk, moment(stamps[name])) for obj, stamps in rows])

    def plan(self, doc: dict) -> CareerPlan | None:
        current, target = self.roles.get(doc["current_role"]), self.roles.get(doc["target_role"])
        if current is None or target is None:
            return None
        plan = CareerPlan(
            owner=self.user,
            title=doc["title"],
            vision=doc["vision"],
            current_role=current,
            target_role=target,
            industry=self.industries.get(doc.get("industry")),
            target_date=doc["target_date"],
            status=doc["status"],
            is_primary=doc["is_primary"] and not self.has_primary,
        )
        self.has_primary |= plan.is_primary
        plan._change_reason = "Imported from a CareerPath export"
        plan.full_clean(validate_unique=False)
        plan.save()
        self.stamped[CareerPlan].append(
            (plan, {"created_at": doc["created_at"], "updated_at": doc["updated_at"]})
        )
        assessments = {
            item["id"]: SkillAssessment(
                plan=plan,
                skill=self.skills[item["skill"]],
                level=item["level"],
                note=item["note"],
                assessed_at=moment(item["assessed_at"]),
            )
            for item in doc["assessments"]
            if item["skill"] in self.skills
        }
        # Now: the check-ins of the plan's goals name them by primary key.
        SkillAssessment.objects.bulk_create(assessments.values(), batch_size=self.BATCH)
        PlanCertification.objects.bulk_create(
            (
                PlanCertification(
                    plan=plan,
                    certification=self.certifications[item["certification"]],
                    status=item["status"],
                    target_date=item["target_date"],
                    earned_on=item["earned_on"],
                    expires_on=item["expires_on"],
                    note=item["note"],
                )
                for item in doc["certifications"]
                if item["certification"] in self.certifications
            ),
            batch_size=self.BATCH,
        )
        self.activities(plan, doc["activities"])
        for item in doc["goals"]:
            self.goal(plan, item, assessments)
        for item in doc["comments"]:
            self.add(Comment(plan=plan, author=self.user, body=item["body"]), created_at=item["created_at"])
        return plan

    def activities(self, plan: CareerPlan, items: list[dict]) -> None:
        activities = Activity.objects.bulk_create(
            [
                Activity(
                    plan=plan,
                    kind=item["kind"],
                    title=item["title"],
                    date=item["date"],
                    status=item["status"],
                    link=item["link"],
                    note=item["note"],
                )
                for item in items
            ],
            batch_size=self.BATCH,
        )
        links = Activity.skills.through
        links.objects.bulk_create(
            (
                links(activity=activity, skill=self.skills[slug])
                for activity, item in zip(activities, items, strict=True)
                for slug in item["skills"]
                if slug in self.skills
            ),
            batch_size=self.BATCH,
        )

    def goal(self, plan: CareerPlan, doc: dict, assessments: dict[str, SkillAssessment]) -> None:
        goal = Goal(
            plan=plan,
            title=doc["title"],
            description=doc["description"],
            metric=doc["metric"],
            unit=doc["unit"],
            baseline=doc["baseline"],
            target=doc["target"],
            plan_of_attack=doc["plan_of_attack"],
            effort=doc["effort"],
            relevance=doc["relevance"],
            start_date=doc["start_date"],
            deadline=doc["deadline"],
            status=doc["status"],
            reminder_cadence=doc["reminder_cadence"],
            completed_at=_moment_or_none(doc["completed_at"]),
            skill=self.skills.get(doc["skill"]),
            certification=self.certifications.get(doc["certification"]),
            role=self.roles.get(doc["role"]),
            template=self.templates.get(doc["template"]),
        )
        goal.full_clean(validate_unique=False)
        services.goal_save(goal=goal)
        self.stamped[Goal].append((goal, {"created_at": doc["created_at"]}))
        for item in doc["check_ins"]:
            check_in = CheckIn(
                goal=goal,
                value=item["value"],
                note=item["note"],
                checked_on=item["checked_on"],
                assessment=assessments.get(item["assessment"]),
            )
            self.add(check_in, created_at=item["created_at"])
        for item in doc["milestones"]:
            milestone = Milestone(
                goal=goal,
                title=item["title"],
                due_date=item["due_date"],
                done_at=_moment_or_none(item["done_at"]),
            )
            self.add(milestone)
        for item in doc["comments"]:
            self.add(
                GoalComment(goal=goal, author=self.user, body=item["body"]), created_at=item["created_at"]
            )


def _add_ladder_entries(ladder: dict) -> ImportResult:
    """Create the entries of the file's ladder this CareerPath lacks, checked as import_ladder
    checks a ladder file; LadderError, and nothing written, for a ladder it would refuse."""
    errors = schema_errors(ladder)
    if errors:
        raise LadderError(errors)
    index = Index(ladder)
    errors = LadderChecker(ladder, index).run()
    if errors:
        raise LadderError(errors)
    return _AddOnly(ladder, index).run()


class _AddOnly(LadderWriter):
    """skills.ladder's writer, creating what this CareerPath lacks and changing nothing it has:
    the review lists the lacking entries, so an entry already here keeps its name and fields,
    requirements, industries and recommendations (a file renaming a shipped skill renames
    nothing). A requirement or a transition is added only with a role the import creates."""

    def upsert(self, kind: str, existing, model, lookup: dict, values: dict):
        if existing is not None:
            return existing
        if kind == "requirements" and lookup["role"] not in self.counted:
            return None
        if kind == "transitions" and not {lookup["from_role"], lookup["to_role"]} & self.counted:
            return None
        return super().upsert(kind, None, model, lookup, values)

    def sync(self, kind: str, obj, relation: str, wanted: set, scope=None) -> None:
        if obj in self.counted:  # created by this import (self.counted holds no update here)
            super().sync(kind, obj, relation, wanted, scope)


def _write_times(model: type[models.Model], name: str, rows: list[tuple[int, datetime]]) -> None:
    """Set a date-time column row by row: ``UPDATE … SET name = CASE pk WHEN … END``, the SQL
    bulk_update writes, built here because bulk_update spends about half a millisecond a row
    building its expressions (30 s for a goal's 43,000 check-ins). The primary keys are the
    database's own integers; the times go as parameters."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    field, pk = cast("models.Field[Any, Any]", model._meta.get_field(name)), model._meta.pk
    table, column, key = quote(model._meta.db_table), quote(field.column), quote(pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _Writer.BATCH):
            batch = rows[start : start + _Writer.BATCH]
            cases = " ".join(f"WHEN {int(row_pk)} THEN %s" for row_pk, _ in batch)
            keys = ", ".join(str(int(row_pk)) for row_pk, _ in batch)
            cursor.execute(
                f"UPDATE {table} SET {column} = CASE {key} {cases} END WHERE {key} IN ({keys})",
                [field.get_db_prep_value(value, connection) for _, value in batch],
            )


def _reminder_settings(user, doc: dict[str, Any]) -> None:
    services.reminder_settings_save(
        user=user,
        timezone=doc["timezone"],
        hour=doc["hour"],
        weekday=doc["weekday"],
        default_cadence=doc["default_cadence"],
        paused_until=doc["paused_until"],
    )
    subscribed = ReminderSettings.for_user(user).unsubscribed_at is None
    if doc["unsubscribed"] and subscribed:
        services.reminder_unsubscribe(user=user)
    elif not doc["unsubscribed"] and not subscribed:
        services.reminder_resubscribe(user=user)
