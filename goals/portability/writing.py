"""Writing a checked export (goals.portability.checking) into a person's account:
``import_document``, all or nothing in one transaction, and idempotent (a plan the account holds,
known by the moment it was created, is not imported again).

Ladder entries the instance lacks (goals.portability.preview) are either created from the file's
own ladder (a ladder editor's choice: only those, never changing an entry this instance has,
``_AddOnly``) or skipped: a plan whose roles are missing stays out; an assessment, a certification
or an activity's skill that is missing is left out; a plan loses a missing industry and a goal
its link to a missing entry.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from goals import services
from goals.models import CheckIn, Goal, GoalComment, Milestone, ReminderSettings
from goals.oneonones.portability import ROWS as one_on_ones_rows
from goals.oneonones.portability import one_on_ones_write
from goals.portability.checking import moment, validate
from goals.portability.preview import Preview, survey
from goals.portability.ratings import ratings_write
from goals.portability.reading import ImportRefused
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.sharing.models import Comment
from skills.ladder import ImportResult, LadderError
from skills.ladder.validation import Checker as LadderChecker
from skills.ladder.validation import Index, schema_errors
from skills.ladder.writing import Writer as LadderWriter
from skills.ladder.writing import may_import_ladder
from skills.models import Certification, GoalTemplate, Industry, Role, Skill

logger = logging.getLogger(__name__)


@dataclass
class Report:
    """What an import wrote."""

    plans: list[CareerPlan] = field(default_factory=list)
    known_plans: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    ladder: str = ""  # skills.ladder's summary, when the file's ladder was imported


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
    kind and batch whatever their number, each with its times (created_at) as exported."""

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
        self.skills = Skill.objects.in_bulk([*refs["skill"], *preview.aliases.values()], field_name="slug")
        # The skill holding a file entry's standard id is the one meant, as a ladder import reads it.
        self.skills.update({slug: self.skills[held] for slug, held in preview.aliases.items()})
        self.certifications = Certification.objects.in_bulk(refs["certification"], field_name="slug")
        self.templates = GoalTemplate.objects.in_bulk(refs["template"], field_name="slug")
        self.industries = Industry.objects.in_bulk(refs["industry"], field_name="slug")
        self.has_primary = CareerPlan.objects.filter(owner=user, is_primary=True).exists()
        # Inserted at the end, each list with the rows of its model.
        self.rows: dict[type[models.Model], list[Any]] = defaultdict(list)
        self.plan_times: list[tuple[int, datetime, datetime]] = []

    def add(self, obj: models.Model, **stamps: str) -> None:
        """A row to insert with the others of its kind; ``stamps``: its times as exported."""
        for name, text in stamps.items():
            setattr(obj, name, moment(text))
        self.rows[type(obj)].append(obj)

    def finish(self) -> None:
        for model in (CheckIn, Milestone, GoalComment, Comment, *one_on_ones_rows):
            model.objects.bulk_create(self.rows.pop(model, []), batch_size=self.BATCH)
        for pk, created_at, updated_at in self.plan_times:
            CareerPlan.objects.filter(pk=pk).update(created_at=created_at, updated_at=updated_at)

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
        # Saved as exported once every row under the plan is written (updated_at is auto_now).
        self.plan_times.append((plan.pk, moment(doc["created_at"]), moment(doc["updated_at"])))
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
        one_on_ones_write(self, plan, doc.get("one_on_ones", []))
        ratings_write(plan, doc, self.skills)
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
                links(activity=activity, skill=skill)
                for activity, item in zip(activities, items, strict=True)
                # by pk: two slugs of the file may name one skill here (Preview.aliases)
                for skill in {
                    self.skills[slug].pk: self.skills[slug] for slug in item["skills"] if slug in self.skills
                }.values()
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
            # Not in the file: a goal without a plan of attack is one left for later (export-format.md).
            attack_later=not doc["plan_of_attack"].strip(),
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
        goal.created_at = moment(doc["created_at"])
        goal.full_clean(validate_unique=False)
        services.goal_save(goal=goal)
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


def _reminder_settings(user, doc: dict[str, Any]) -> None:
    services.reminder_settings_save(
        user=user,
        timezone=doc["timezone"],
        hour=doc["hour"],
        weekday=doc["weekday"],
        default_cadence=doc["default_cadence"],
        paused_until=date.fromisoformat(doc["paused_until"]) if doc["paused_until"] else None,
        mentor_digest=doc.get("mentor_digest"),  # a file from before it: the choice stays
    )
    subscribed = ReminderSettings.for_user(user).unsubscribed_at is None
    if doc["unsubscribed"] and subscribed:
        services.reminder_unsubscribe(user=user)
    elif not doc["unsubscribed"] and not subscribed:
        services.reminder_resubscribe(user=user)


def _moment_or_none(text: str | None) -> datetime | None:
    return None if text is None else moment(text)
