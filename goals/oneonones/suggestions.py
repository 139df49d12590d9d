"""The talking points a new 1:1 starts with, read from the plan: goals behind or at risk, open skill
gaps towards the target role, certifications about to expire, and comment threads whose latest word
is from the other side."""

from datetime import date

from django.db.models import OuterRef, Subquery

from goals.models import Goal, GoalComment, prefetch_measured_facts
from goals.progress.status import TrackStatus
from plans.models import EXPIRY_WARNING_DAYS, CareerPlan, PlanCertification

# Skill gaps named, largest first: a 1:1 has time for a few.
GAPS_SHOWN = 3
SLIPPING = (TrackStatus.BEHIND, TrackStatus.AT_RISK)


def suggested_points(plan: CareerPlan, *, user_id: int, today: date) -> list[str]:
    """What the plan asks to talk about, as seen by ``user_id`` (the side starting the 1:1)."""
    return [
        *_goals_slipping(plan, today),
        *_open_gaps(plan),
        *_expiring(plan, today),
        *_unanswered(plan, user_id),
    ]


def _goals_slipping(plan: CareerPlan, today: date) -> list[str]:
    goals = list(Goal.objects.filter(plan=plan, status=Goal.Status.ACTIVE).with_latest_check_in())
    for goal in goals:
        goal.plan = plan
    prefetch_measured_facts(goals)
    points = []
    for goal in goals:
        status = goal.track_status(today)
        if status in SLIPPING:
            points.append(f"Goal “{goal.title}” is {status.label.lower()}")
    return points


def _open_gaps(plan: CareerPlan) -> list[str]:
    gaps = [gap for gap in plan.skill_gaps() if gap.is_open][:GAPS_SHOWN]
    return [
        f"Skill gap: {gap.skill.name}, level {gap.current} of {gap.required} needed"
        if gap.assessed
        else f"Skill gap: {gap.skill.name}, not assessed yet ({gap.required} needed)"
        for gap in gaps
    ]


def _expiring(plan: CareerPlan, today: date) -> list[str]:
    records = (
        PlanCertification.objects.filter(plan=plan)
        .expiring(within=EXPIRY_WARNING_DAYS, today=today)
        .select_related("certification")
    )
    return [f"{held.certification.name} expires on {held.expires_on:%-d %b %Y}" for held in records]


def _unanswered(plan: CareerPlan, user_id: int) -> list[str]:
    points = []
    latest = list(plan.comments.order_by("-created_at", "-pk").values_list("author_id", flat=True)[:1])
    if latest and latest[0] != user_id:
        points.append("Answer the latest comment on the plan")
    last_author = GoalComment.objects.filter(goal=OuterRef("pk")).order_by("-created_at", "-pk")
    threads = (
        Goal.objects.filter(plan=plan, comments__isnull=False)
        .distinct()
        .annotate(last_author=Subquery(last_author.values("author_id")[:1]))
        .order_by("deadline", "pk")
        .values_list("title", "last_author")
    )
    for title, author_id in threads:
        if author_id != user_id:
            points.append(f"Answer the latest comment on “{title}”")
    return points
