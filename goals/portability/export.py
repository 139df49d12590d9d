"""Everything a person owns, as one JSON document they can keep, read without this server, and
(soon) import into another CareerPath: docs/export-format.md, validated by goals/portability/export.schema.json.

The document names ladder entries by slug (roles as "track/role", as ladder files do) and
carries the ladder entries it refers to, in the ladder file's own format (skills.ladder), so it
stands on its own. Ids inside it ("plan-1", "goal-3") are the document's own, not the database's.
A fixed number of queries whatever the amount of data: one per kind of row.
"""

import json
from collections import defaultdict
from datetime import date, datetime
from functools import cache
from pathlib import Path

from django.db.models import Prefetch
from django.utils import timezone
from jsonschema import Draft202012Validator

from base.numbers import plain_number
from goals.models import CheckIn, Goal, GoalComment, Milestone, ReminderSettings
from goals.oneonones.models import OneOnOne
from goals.portability.ratings import rating_skills, ratings_doc
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.ratings.models import SkillRating
from plans.sharing.models import Comment
from skills.ladder import export_ladder, schema_errors
from skills.ladder.errors import explain, render_problems, show
from skills.models import Role, Track

FORMAT, VERSION = "careerpath-plan", 1
SCHEMA_PATH = Path(__file__).with_name("export.schema.json")


def _when(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _role(role: Role | None) -> str | None:
    return f"{role.track.slug}/{role.slug}" if role is not None else None


def export_person(user) -> dict:
    """Everything ``user`` owns: their plans, whole, and their reminder settings."""
    plans = list(CareerPlan.objects.owned_by(user).order_by("created_at", "pk"))
    document = _document(plans, author=user)
    settings = ReminderSettings.for_user(user)
    document["reminder_settings"] = {
        "timezone": settings.timezone,
        "hour": settings.hour,
        "weekday": settings.weekday,
        "default_cadence": settings.default_cadence,
        "paused_until": _when(settings.paused_until),
        "unsubscribed": settings.unsubscribed_at is not None,
        "mentor_digest": settings.mentor_digest,
    }
    return document


def export_plan(plan: CareerPlan) -> dict:
    """One plan on its own (from the plan page)."""
    return _document([plan], author=plan.owner)


def _document(plans: list[CareerPlan], *, author) -> dict:
    plan_ids = [plan.pk for plan in plans]
    plans = list(
        CareerPlan.objects.filter(pk__in=plan_ids)
        .select_related("current_role__track", "target_role__track", "industry")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=SkillAssessment.objects.select_related("skill").order_by("assessed_at", "pk"),
            ),
            Prefetch(
                "certifications",
                queryset=PlanCertification.objects.select_related("certification").order_by("pk"),
            ),
            Prefetch(
                "activities", queryset=Activity.objects.prefetch_related("skills").order_by("date", "pk")
            ),
            Prefetch("comments", queryset=Comment.objects.filter(author=author).order_by("created_at", "pk")),
            Prefetch(
                "ratings", queryset=SkillRating.objects.select_related("skill").order_by("created_at", "pk")
            ),
            Prefetch(
                "one_on_ones",
                queryset=OneOnOne.objects.order_by("starts_at", "pk").prefetch_related(
                    "talking_points", "notes", "action_items"
                ),
            ),
        )
        .order_by("created_at", "pk")
    )
    goals = defaultdict(list)
    for goal in (
        Goal.objects.filter(plan_id__in=plan_ids)
        .select_related("skill", "certification", "role__track", "template__role")
        .prefetch_related(
            Prefetch("check_ins", queryset=CheckIn.objects.order_by("checked_on", "pk")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
            Prefetch(
                "comments", queryset=GoalComment.objects.filter(author=author).order_by("created_at", "pk")
            ),
        )
        .order_by("created_at", "pk")
    ):
        goals[goal.plan_id].append(goal)
    ladder = _ladder_referred_to(plans, [goal for plan_goals in goals.values() for goal in plan_goals])
    counter: defaultdict[str, int] = defaultdict(int)

    def local_id(kind: str) -> str:
        counter[kind] += 1
        return f"{kind}-{counter[kind]}"

    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "plans": [_plan_doc(plan, goals[plan.pk], local_id) for plan in plans],
        "ladder": ladder,
    }


def _ladder_referred_to(plans: list[CareerPlan], goals: list[Goal]) -> dict:
    """The ladder entries the plans and goals name, in the ladder file's format: the tracks of
    every role they name (whole, with what those tracks reference), and any other skill,
    certification, industry or goal template they name (a template of no track too)."""
    roles = [role for plan in plans for role in (plan.current_role, plan.target_role)]
    roles += [goal.role for goal in goals if goal.role]
    track_ids = {role.track_id for role in roles}
    track_ids |= {goal.template.track_id for goal in goals if goal.template and goal.template.track_id}
    track_ids |= {goal.template.role.track_id for goal in goals if goal.template and goal.template.role}
    skills = {assessment.skill for plan in plans for assessment in plan.assessments.all()}
    skills |= {
        skill for plan in plans for activity in plan.activities.all() for skill in activity.skills.all()
    }
    skills |= {goal.skill for goal in goals if goal.skill}
    skills |= rating_skills(plans)
    certifications = {held.certification for plan in plans for held in plan.certifications.all()}
    certifications |= {goal.certification for goal in goals if goal.certification}
    industries = {plan.industry for plan in plans if plan.industry}
    return export_ladder(
        Track.objects.filter(pk__in=track_ids),
        skills=skills,
        certifications=certifications,
        industries=industries,
        goal_templates={goal.template for goal in goals if goal.template},
    )


def _plan_doc(plan: CareerPlan, goals: list[Goal], local_id) -> dict:
    assessment_ids: dict[int | None, str] = {}  # read with a check-in's assessment id, which may be None
    assessments = []
    for assessment in plan.assessments.all():
        assessment_ids[assessment.pk] = local_id("assessment")
        assessments.append(
            {
                "id": assessment_ids[assessment.pk],
                "skill": assessment.skill.slug,
                "level": assessment.level,
                "note": assessment.note,
                "assessed_at": _when(assessment.assessed_at),
            }
        )
    return {
        "id": local_id("plan"),
        "title": plan.title,
        "vision": plan.vision,
        "current_role": _role(plan.current_role),
        "target_role": _role(plan.target_role),
        "target_date": _when(plan.target_date),
        "industry": plan.industry.slug if plan.industry else None,
        "status": plan.status,
        "is_primary": plan.is_primary,
        "created_at": _when(plan.created_at),
        "updated_at": _when(plan.updated_at),
        "assessments": assessments,
        "certifications": [
            {
                "certification": held.certification.slug,
                "status": held.status,
                "target_date": _when(held.target_date),
                "earned_on": _when(held.earned_on),
                "expires_on": _when(held.expires_on),
                "note": held.note,
            }
            for held in plan.certifications.all()
        ],
        "activities": [
            {
                "kind": activity.kind,
                "title": activity.title,
                "date": _when(activity.date),
                "status": activity.status,
                "link": activity.link,
                "note": activity.note,
                "skills": sorted(skill.slug for skill in activity.skills.all()),
            }
            for activity in plan.activities.all()
        ],
        "goals": [_goal_doc(goal, assessment_ids, local_id) for goal in goals],
        "comments": [{"body": c.body, "created_at": _when(c.created_at)} for c in plan.comments.all()],
        **ratings_doc(plan, local_id),
        "one_on_ones": [_one_on_one_doc(one) for one in plan.one_on_ones.all()],
    }


def _one_on_one_doc(one: OneOnOne) -> dict:
    """A 1:1 whole, both sides' rows, each saying whose side wrote it: the 1:1 is the owner's record
    (docs/decisions.md), and names no mentor (neither their name nor their address)."""
    return {
        "starts_at": _when(one.starts_at),
        "minutes": one.minutes,
        "started_by": one.started_by,
        "created_at": _when(one.created_at),
        "talking_points": [
            {"text": p.text, "by": p.side, "suggested": p.suggested, "created_at": _when(p.created_at)}
            for p in one.talking_points.all()
        ],
        "notes": [{"body": n.body, "by": n.side, "created_at": _when(n.created_at)} for n in one.notes.all()],
        "action_items": [
            {
                "text": i.text,
                "becomes": i.becomes,
                "activity_kind": i.activity_kind,
                "due_on": _when(i.due_on),
                "status": i.status,
                "by": i.side,
                "created_at": _when(i.created_at),
                "decided_at": _when(i.decided_at),
            }
            for i in one.action_items.all()
        ],
    }


def _goal_doc(goal: Goal, assessment_ids: dict[int | None, str], local_id) -> dict:
    return {
        "id": local_id("goal"),
        "title": goal.title,
        "description": goal.description,
        "metric": goal.metric,
        "unit": goal.unit,
        "baseline": plain_number(goal.baseline),
        "target": plain_number(goal.target),
        "plan_of_attack": goal.plan_of_attack,
        "effort": goal.effort,
        "relevance": goal.relevance,
        "skill": goal.skill.slug if goal.skill else None,
        "certification": goal.certification.slug if goal.certification else None,
        "role": _role(goal.role),
        "template": goal.template.slug if goal.template else None,
        "start_date": _when(goal.start_date),
        "deadline": _when(goal.deadline),
        "status": goal.status,
        "reminder_cadence": goal.reminder_cadence,
        "created_at": _when(goal.created_at),
        "completed_at": _when(goal.completed_at),
        "check_ins": [
            {
                "value": plain_number(c.value),
                "note": c.note,
                "checked_on": _when(c.checked_on),
                "created_at": _when(c.created_at),
                "assessment": assessment_ids.get(c.assessment_id),
            }
            for c in goal.check_ins.all()
        ],
        "milestones": [
            {"title": m.title, "due_date": _when(m.due_date), "done_at": _when(m.done_at)}
            for m in goal.milestones.all()
        ],
        "comments": [{"body": c.body, "created_at": _when(c.created_at)} for c in goal.comments.all()],
    }


# What a value whose format the schema names must look like (the formats are checked: "date-time"
# needs rfc3339-validator, pinned in requirements.txt).
FORMAT_PROBLEMS = {
    "date": "is an invalid date: write it as YYYY-MM-DD, a day the calendar has",
    "date-time": "is not a date and time with its offset from UTC: write it as 2026-06-15T12:00:00+00:00",
}


def validate_export(document: dict) -> list[str]:
    """Every way ``document`` departs from the schema (its ladder from the ladder file's), one
    line per problem naming the entry and the field, in document order; none when valid."""
    errors = list(_validator().iter_errors(document))
    # A value of the wrong form fails its pattern and its format: say it once.
    misshapen = {tuple(e.absolute_path) for e in errors if e.validator == "pattern"}
    problems = []
    for error in errors:
        if error.validator == "maxItems":  # jsonschema's own message quotes the whole list
            problems.append(
                (
                    list(error.absolute_path),
                    f"holds {len(error.instance)} items, at most {error.validator_value}",
                )
            )
        elif error.validator != "format":
            problems += explain(error)
        elif tuple(error.absolute_path) not in misshapen:
            message = FORMAT_PROBLEMS.get(error.validator_value, f"is not a {error.validator_value}")
            problems.append((list(error.absolute_path), f"{show(error.instance)} {message}"))
    errors = render_problems(document, problems)
    if isinstance(document, dict) and isinstance(document.get("ladder"), dict):
        errors += [f"ladder.{error}" for error in schema_errors(document["ladder"])]
    return errors


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(
        json.loads(SCHEMA_PATH.read_text(encoding="utf-8")),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def dump(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
