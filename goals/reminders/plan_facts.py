"""What a digest reads about a person's plans beyond their due goals, for a whole set of people
at once: their active plans with the latest sign of life, when their last digest left, what
changed in their roles' requirements since, which certifications entered an expiry window, what
their target roles recommend, and the next step of a plan gone quiet."""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Prefetch, Subquery
from django.urls import reverse

from goals.models import CheckIn, Goal, ReminderDelivery
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.readiness import REQUIREMENT_CHANGES_DAYS
from skills.history import RequirementChange, requirement_changes
from skills.models import Certification, Role

# Certification expiries within these windows are in the digest, each told once as it enters one.
EXPIRY_WINDOWS = (7, 30, 60)


def active_plans(owners: list[int]) -> list[CareerPlan]:
    """The owners' active plans (CareerPlan's own ordering), with their target roles' recommended
    certifications and the latest check-in, assessment and activity that stalled_plans reads."""
    return list(
        CareerPlan.objects.filter(owner__in=owners)
        .active()
        .select_related("target_role", "current_role")
        .prefetch_related(Prefetch("target_role__recommended_certifications", to_attr="recommended"))
        .annotate(
            last_check_in=_latest(CheckIn, "checked_on", "goal__plan"),
            last_assessment=_latest(SkillAssessment, "assessed_at", "plan"),
            last_activity=_latest(Activity, "date", "plan"),
            has_goals=Exists(Goal.objects.filter(plan=OuterRef("pk"))),
        )
        .order_by("-is_primary", "-created_at", "pk")
    )


def last_digests(owners: list[int]) -> dict[int, tuple[date, datetime]]:
    """Each owner's last digest sent: (its period, when it left). One query."""
    rows = (
        ReminderDelivery.objects.filter(user__in=owners, status=ReminderDelivery.Status.SENT)
        .values("user")
        .annotate(period=Max("period"), sent_at=Max("sent_at"))
        .values_list("user", "period", "sent_at")
    )
    return {user: (period, sent_at) for user, period, sent_at in rows}


def entered_window(held: PlanCertification, today: date, last: tuple[date, datetime] | None) -> bool:
    """Whether the certification's expiry entered a smaller window than it was in on the day of
    their last digest (any window, when it was in none, or there was none)."""
    if last is None:
        return True
    assert held.expires_on is not None  # an expiring certification has an expiry
    days_then = (held.expires_on - last[0]).days
    window_then = next((window for window in EXPIRY_WINDOWS if days_then <= window), None)
    return window_then is None or expiry_window(held, today) < window_then


def requirement_changes_since(
    plans, last_sent: dict[int, tuple[date, datetime]], now: datetime
) -> dict[int, list[tuple[Role, list[RequirementChange]]]]:
    """Per plan, what changed in its target and current roles' requirements since the plan last
    changed, their last digest left, or REQUIREMENT_CHANGES_DAYS ago, whichever is latest (the plan
    page's notice, CareerPlan.requirement_changes, told once in the digest): each (role, skill)
    with its level before and after, when they differ. One query for every plan."""
    plans = list(plans)
    floor = now - timedelta(days=REQUIREMENT_CHANGES_DAYS)
    roles_of = {
        plan.pk: [plan.target_role]
        + ([plan.current_role] if plan.current_role_id != plan.target_role_id else [])
        for plan in plans
    }
    role_ids = {role.pk for roles in roles_of.values() for role in roles}
    changes = requirement_changes(role_ids, since=floor) if role_ids else []
    result = {}
    for plan in plans:
        last = last_sent.get(plan.owner_id)
        since = max(plan.updated_at, floor, *([last[1]] if last and last[1] else []))
        by_role = []
        for role in roles_of[plan.pk]:
            net: dict[int, RequirementChange] = {}
            for change in changes:  # oldest first
                if change.role_id != role.pk or change.at is None or change.at <= since:
                    continue
                first = net.get(change.skill_id)
                net[change.skill_id] = RequirementChange(
                    role.pk,
                    change.skill_id,
                    change.skill_name,
                    first.before if first else change.before,
                    change.after,
                    at=change.at,
                )
            told = sorted((c for c in net.values() if c.before != c.after), key=lambda c: c.skill_name)
            if told:
                by_role.append((role, told))
        if by_role:
            result[plan.pk] = by_role
    return result


def expiry_window(held: PlanCertification, today: date) -> int:
    """The smallest of EXPIRY_WINDOWS the expiry falls in (7, 30 or 60 days)."""
    assert held.expires_on is not None  # an expiring certification has an expiry
    days = (held.expires_on - today).days
    return next(window for window in EXPIRY_WINDOWS if days <= window)


def recommended_certifications(
    plans: list[CareerPlan], records: list[PlanCertification], today: date
) -> list[tuple[CareerPlan, list[tuple[Certification, PlanCertification | None]]]]:
    """Per plan, what its target role recommends that the plan does not have: neither planned, in
    progress nor earned and current. One it earned that has lapsed is recommended again, as a
    renewal, with that record. ``records``: every certification on the plans."""
    on_plan = {(pc.plan_id, pc.certification_id): pc for pc in records}
    result = []
    for plan in plans:
        offered = []
        role: Any = plan.target_role  # with active_plans' Prefetch(to_attr="recommended")
        for certification in role.recommended:
            record = on_plan.get((plan.pk, certification.pk))
            if record is None or record.effective_status(today).is_expired:
                offered.append((certification, record))
        if offered:
            result.append((plan, offered))
    return result


def _latest(model, date_field: str, plan_path: str) -> Subquery:
    rows = model.objects.filter(**{plan_path: OuterRef("pk")}).order_by(f"-{date_field}")
    return Subquery(rows.values(date_field)[:1])


def stalled_plans(plans: list[CareerPlan], today: date) -> list[tuple[CareerPlan, str, str]]:
    """Plans with no check-in, assessment or activity for REMINDER_STALLED_DAYS: one next step each.
    ``plans`` carry active_plans' annotations."""
    since = today - timedelta(days=settings.REMINDER_STALLED_DAYS)
    stalled = []
    for plan in plans:
        quiet: Any = plan  # with active_plans' annotations
        dates = [
            quiet.last_check_in,
            quiet.last_activity,
            quiet.last_assessment and quiet.last_assessment.date(),
        ]
        if plan.created_at.date() > since or any(d and d > since for d in dates):
            continue
        stalled.append((plan, *_next_step(plan)))
    return stalled


def _next_step(plan: CareerPlan) -> tuple[str, str]:
    """(what to do, link) for a plan that has gone quiet: assess, then set goals, then check in."""
    quiet: Any = plan  # with active_plans' annotations
    if quiet.last_assessment is None:
        step, path = (
            "Assess your skills to see the gap to your target role.",
            reverse("plans:assess", args=[plan.pk]),
        )
    elif not quiet.has_goals:
        step, path = "Draft next steps from your gap.", reverse("goals:draft", args=[plan.pk])
    else:
        step, path = "Record a check-in on one of your goals.", plan.get_absolute_url() + "#goals"
    return step, settings.SITE_URL + path
