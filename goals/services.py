"""Writes that span a goal and its history, keeping next_reminder_at right."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from base import versions
from base.numbers import plain_number
from goals.drafting import OnPlan
from goals.models import CheckIn, Goal, GoalComment, Milestone, ReminderSettings
from goals.reminders.models import ReminderNudge
from plans.events import PlanEvent
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.sharing import emails
from skills.models import Skill


@transaction.atomic
def goal_save(*, goal: Goal) -> Goal:
    """Create or update a goal; (re)schedule its reminder when it is new or its cadence/status changed."""
    stored = (
        Goal.objects.filter(pk=goal.pk).values_list("reminder_cadence", "status").first() if goal.pk else None
    )
    if stored != (goal.reminder_cadence, goal.status) or goal.next_reminder_at is None or not goal.is_active:
        goal.schedule_next_reminder()
    kind = PlanEvent.Kind.GOAL_EDITED if goal.pk else PlanEvent.Kind.GOAL_ADDED
    goal.save()
    PlanEvent.objects.record(plan=goal.plan, kind=kind, subject=goal.title)
    return goal


@dataclass
class DraftsAdded:
    goals: list[Goal]
    activities: list[Activity]
    certifications: list[PlanCertification]


@transaction.atomic
def drafts_keep(
    *,
    plan: CareerPlan,
    goals: list[Goal],
    activities: list[tuple[Activity, list[Skill]]],
    certifications: list[PlanCertification],
) -> DraftsAdded:
    """Add what a person kept from drafting to their plan, in one transaction: goals with their
    reminders, planned activities with the skills they build, planned certifications.

    What the plan holds by now is left out (goals.drafting.OnPlan), so a second submit of the same
    page adds nothing. The plan's row is locked first so that two submits check in turn on
    PostgreSQL; SQLite's IMMEDIATE transactions already take them in turn.
    """
    list(CareerPlan.objects.select_for_update().filter(pk=plan.pk).values_list("pk", flat=True))
    on_plan = OnPlan.read(plan)
    added = DraftsAdded(goals=[], activities=[], certifications=[])
    for goal in goals:
        if goal.skill_id not in on_plan.goal_skills:
            added.goals.append(goal_save(goal=goal))
            on_plan.goal_skills.add(goal.skill_id)
    for activity, skills in activities:
        if not on_plan.has_activity(activity.title, activity.link):
            activity.save()
            activity.skills.set(skills)
            added.activities.append(activity)
            _record(
                activity.plan,
                PlanEvent.Kind.ACTIVITY_ADDED,
                activity.title,
                activity.get_kind_display().lower(),
            )
            on_plan.add_activity(activity.title, activity.link)
    for record in certifications:
        if record.certification_id not in on_plan.certifications:
            record.save()
            added.certifications.append(record)
            _record(
                plan,
                PlanEvent.Kind.CERTIFICATION_ADDED,
                str(record.certification),
                record.get_status_display().lower(),
            )
            on_plan.certifications.add(record.certification_id)
    return added


@transaction.atomic
def certification_mark_earned(*, goal: Goal, earned_on: date) -> PlanCertification:
    """Mark the certification a goal served as earned, adding it to the goal's plan if it isn't there.

    The expiry is worked out afresh from the certification's validity (PlanCertification.save).
    """
    record, _ = PlanCertification.objects.select_for_update().get_or_create(
        plan=goal.plan, certification=goal.certification
    )
    record.status = PlanCertification.Status.EARNED
    record.earned_on = earned_on
    record.expires_on = None
    record.save()
    _record(goal.plan, PlanEvent.Kind.CERTIFICATION_EARNED, str(record.certification))
    return record


def _record(plan: CareerPlan, kind: PlanEvent.Kind, subject: str, detail: str = "") -> None:
    """The plan's history notes a change its owner made (mentors only read, and comment)."""
    PlanEvent.objects.record(plan=plan, kind=kind, subject=subject, detail=detail)


def _amount(goal: Goal, check_in: CheckIn) -> str:
    return f"{plain_number(check_in.value)} {goal.unit}".strip()


def _assessed_at(checked_on: date) -> datetime:
    """When a check-in's self-assessment counts as made: now for today; midday of an earlier day."""
    if checked_on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(checked_on, time(12)))


def _keep_fact_in_step(check_in: CheckIn) -> None:
    """Write the fact a check-in states to the plan, where the rest of the app reads it.

    A skill-level goal's check-in is a self-assessment row of the skill (added, or changed with the
    check-in: level, note, and the time when its date moved). A certification goal's check-in of its
    target marks the certification earned on that day unless the plan already holds it.
    """
    goal = check_in.goal
    if goal.measures_skill_level:
        assert goal.skill_id is not None  # measures_skill_level says so
        assessment = check_in.assessment or SkillAssessment(plan=goal.plan, skill_id=goal.skill_id)
        if assessment.pk is None or timezone.localtime(assessment.assessed_at).date() != check_in.checked_on:
            assessment.assessed_at = _assessed_at(check_in.checked_on)
        assessment.level = int(check_in.value)
        assessment.note = check_in.note
        assessment.save()
        check_in.assessment = assessment
    elif goal.measures_certification and check_in.value == goal.target and not goal.certification_earned():
        certification_mark_earned(goal=goal, earned_on=check_in.checked_on)


@transaction.atomic
def check_in_record(*, goal: Goal, value: Decimal, note: str = "", checked_on: date | None = None) -> CheckIn:
    """Record progress and the fact it states on the plan; the next reminder moves a full cadence interval away."""
    check_in = CheckIn(goal=goal, value=value, note=note, checked_on=checked_on or timezone.localdate())
    _keep_fact_in_step(check_in)
    check_in.save()
    goal.schedule_next_reminder()
    goal.save(update_fields=["next_reminder_at"])
    _record(goal.plan, PlanEvent.Kind.CHECK_IN_ADDED, goal.title, _amount(goal, check_in))
    return check_in


@transaction.atomic
def check_in_update(*, check_in: CheckIn) -> CheckIn:
    """Save a corrected check-in (value, note, date); a skill-level goal's self-assessment follows it.

    A check-in recorded on a skill-level goal before check-ins were self-assessments gets its
    assessment row now.
    """
    _keep_fact_in_step(check_in)
    check_in.save()
    _record(
        check_in.goal.plan,
        PlanEvent.Kind.CHECK_IN_CORRECTED,
        check_in.goal.title,
        _amount(check_in.goal, check_in),
    )
    return check_in


@transaction.atomic
def check_in_delete(*, check_in: CheckIn) -> None:
    """Delete a check-in and the self-assessment it recorded, so the skill is back at the one before.

    An earned certification stays as the plan records it: it is corrected on the plan's certification.
    """
    assessment_id = check_in.assessment_id
    check_in.delete()
    if assessment_id is not None:
        SkillAssessment.objects.filter(pk=assessment_id).delete()
    goal = check_in.goal
    _record(goal.plan, PlanEvent.Kind.CHECK_IN_DELETED, goal.title, _amount(goal, check_in))


@transaction.atomic
def goal_delete(*, goal: Goal) -> None:
    """Delete a goal with its check-ins, milestones and comments; the plan's history says so.

    The self-assessments and the earned certification its check-ins wrote stay on the plan: they
    are the plan's record of the person's skills, which the goal only measured."""
    plan = goal.plan
    goal.delete()
    _record(plan, PlanEvent.Kind.GOAL_DELETED, goal.title)


@transaction.atomic
def goal_set_status(*, goal: Goal, status: str) -> Goal:
    """Complete, pause, abandon or resume a goal; only active goals keep a reminder time.

    Completing a certification goal marks its certification earned today unless the plan holds it.
    """
    if status == Goal.Status.COMPLETED and goal.measures_certification and not goal.certification_earned():
        certification_mark_earned(goal=goal, earned_on=timezone.localdate())
    goal.status = status
    goal.completed_at = timezone.now() if status == Goal.Status.COMPLETED else None
    goal.schedule_next_reminder()
    goal.save(update_fields=["status", "completed_at", "next_reminder_at"])
    if status == Goal.Status.COMPLETED:
        _record(goal.plan, PlanEvent.Kind.GOAL_COMPLETED, goal.title)
    else:
        _record(goal.plan, PlanEvent.Kind.GOAL_STATUS, goal.title, goal.get_status_display().lower())
    return goal


@transaction.atomic
def milestone_add(*, milestone: Milestone) -> Milestone:
    milestone.save()
    _record(milestone.goal.plan, PlanEvent.Kind.MILESTONE_ADDED, milestone.title, milestone.goal.title)
    return milestone


@transaction.atomic
def milestone_set_done(*, milestone: Milestone, done: bool) -> Milestone:
    """Mark a milestone done or not done; nothing changes (nor is noted) when it already is."""
    if done != milestone.is_done:
        milestone.done_at = timezone.now() if done else None
        milestone.save(update_fields=["done_at"])
        kind = PlanEvent.Kind.MILESTONE_DONE if done else PlanEvent.Kind.MILESTONE_REOPENED
        _record(milestone.goal.plan, kind, milestone.title, milestone.goal.title)
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone) -> None:
    milestone.delete()
    _record(milestone.goal.plan, PlanEvent.Kind.MILESTONE_DELETED, milestone.title, milestone.goal.title)


def _reminders_reschedule(*, user: User, prefs: ReminderSettings) -> None:
    """Move each active goal on the user's plans to their new slot, never later than it was due,
    and their next nudge to the first slot of their settings."""
    now = timezone.now()
    ReminderNudge.reschedule(prefs, now)
    goals = list(Goal.objects.for_owner(user).filter(status=Goal.Status.ACTIVE))
    for goal in goals:
        goal.schedule_next_reminder(now, reminder_settings=prefs, keep_due=True)
    Goal.objects.bulk_update(goals, ["next_reminder_at"])
    versions.bump_many({versions.plan(goal.plan_id) for goal in goals})  # bulk_update sends no signal


@transaction.atomic
def reminder_settings_save(
    *,
    user: User,
    timezone: str,
    hour: int,
    weekday: int,
    default_cadence: str,
    paused_until: date | None,
    mentor_digest: bool | None = None,
) -> ReminderSettings:
    """Save when the user's reminders go out and move their goals' next reminders to match;
    ``mentor_digest`` None keeps what they chose. Opting in starts their nudges even without a
    plan of their own (ReminderNudge.start; a plan's first save starts them otherwise)."""
    fields: dict[str, object] = {
        "timezone": timezone,
        "hour": hour,
        "weekday": weekday,
        "default_cadence": default_cadence,
        "paused_until": paused_until,
    }
    if mentor_digest is not None:
        fields["mentor_digest"] = mentor_digest
    # Other callers than the form (the admin, a shell) must not store a zone the slot can't read.
    # Checked on an instance of no one's: one made with user= would stand in the user's cached
    # reminder_settings, so for_user() would read it, unsaved, in place of their row.
    ReminderSettings(**fields).full_clean(exclude=["user"], validate_unique=False)
    prefs, _ = ReminderSettings.objects.update_or_create(user=user, defaults=fields)
    user.reminder_settings = prefs  # what for_user() reads from now on is the row as saved
    if prefs.mentor_digest:
        ReminderNudge.start(user)
    _reminders_reschedule(user=user, prefs=prefs)
    return prefs


@transaction.atomic
def reminder_unsubscribe(*, user: User) -> ReminderSettings:
    """No more reminder emails: every goal's next reminder is cleared until they resubscribe."""
    prefs, _ = ReminderSettings.objects.get_or_create(user=user)
    if prefs.unsubscribed_at is None:
        prefs.unsubscribed_at = timezone.now()
        prefs.save(update_fields=["unsubscribed_at", "updated_at"])
    _reminders_reschedule(user=user, prefs=prefs)
    return prefs


@transaction.atomic
def reminder_resubscribe(*, user: User) -> ReminderSettings:
    """Reminders again: each active goal is due a full cadence interval from now. The unsubscribe
    links of the digests sent before end (ReminderSettings.unsubscribe_link_ended)."""
    prefs, _ = ReminderSettings.objects.get_or_create(user=user)
    if prefs.unsubscribed_at is not None:
        prefs.unsubscribed_at = None
        prefs.resubscribed_at = timezone.now()
        prefs.save(update_fields=["unsubscribed_at", "resubscribed_at", "updated_at"])
    _reminders_reschedule(user=user, prefs=prefs)
    return prefs


@transaction.atomic
def goal_comment_add(*, goal: Goal, author: User, body: str) -> GoalComment:
    """Post a comment in the goal's thread; the other side is emailed (plans.sharing.emails.comment_notify:
    the owner when a mentor writes, every mentor when the owner does, never the author)."""
    is_reply = goal.comments.exclude(author=author).exists()
    comment = GoalComment.objects.create(goal=goal, author=author, body=body)
    PlanEvent.objects.record(
        plan=goal.plan, kind=PlanEvent.Kind.COMMENTED, subject=goal.title, by_id=author.pk
    )
    emails.comment_notify(
        plan=goal.plan,
        author=author,
        body=body,
        url=goal.get_absolute_url() + "#comments",
        is_reply=is_reply,
        goal_title=goal.title,
    )
    return comment
