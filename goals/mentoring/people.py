"""The people page of whoever mentors: a row per plan shared with them, most in need of attention
first (attention_order). It lives in goals because a row is mostly about goals (behind, at risk,
deadlines, check-ins); plans.mentoring gives the plans, readiness and its trend.

The page reads a fixed number of queries whatever the number of people: the plans (with their
gap data), where each plan's goals stand (goals.standing, one query), the next deadlines, the
certifications expiring, the latest check-in and activity dates, and the comments (one each).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DateTimeField, F, Max, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, Greatest, RowNumber
from django.utils import timezone

from accounts.names import display_name
from goals.models import CheckIn, Goal, GoalComment
from goals.progress.status import TrackStatus
from goals.standing import Order, Standing, plan_standings
from plans.mentoring.people import TREND_DAYS, readiness_as_of
from plans.models import EXPIRY_WARNING_DAYS, Activity, CareerPlan, PlanCertification
from plans.readiness import Readiness
from plans.sharing.models import Comment

# Per row: the goals behind or at risk named (the count says how many in all), the next deadlines.
SLIPPING_ROWS = 3
DEADLINE_ROWS = 2
# Before any comment: the mentor's "last comment" when they have written none.
_NEVER = datetime(1900, 1, 1, tzinfo=timezone.get_fixed_timezone(0))


@dataclass
class PersonRow:
    plan: CareerPlan
    name: str
    readiness: Readiness
    readiness_before: Readiness  # TREND_DAYS ago, from the rows that existed then
    standing: Standing
    slipping: list[Goal] = field(default_factory=list)  # behind, then at risk; SLIPPING_ROWS at most
    deadlines: list[Goal] = field(default_factory=list)
    expiring: list[PlanCertification] = field(default_factory=list)
    moves: dict[str, date] = field(default_factory=dict)  # "check-in" / "assessment" / "activity": latest
    new_comments: int = 0

    @property
    def trend(self) -> int | None:
        """Readiness points gained (or lost) in TREND_DAYS; None without a figure both then and now."""
        if self.readiness.percent is None or self.readiness_before.percent is None:
            return None
        return self.readiness.percent - self.readiness_before.percent

    @property
    def trend_size(self) -> int:
        return abs(self.trend or 0)

    @property
    def behind(self) -> int:
        return self.standing.counts.get(TrackStatus.BEHIND, 0)

    @property
    def at_risk(self) -> int:
        return self.standing.counts.get(TrackStatus.AT_RISK, 0)

    @property
    def last_moved(self) -> tuple[date, str] | None:
        """The latest of the person's moves on the plan, and what it was."""
        if not self.moves:
            return None
        kind = max(self.moves, key=lambda k: self.moves[k])
        return self.moves[kind], kind


def attention_order(row: PersonRow) -> tuple:
    """Who needs attention first (docs/decisions.md, "Mentoring"): more goals behind, then more at
    risk, then readiness fallen since TREND_DAYS ago, then more certifications expiring, then
    quiet longest (never moved first), then by name."""
    moved = row.last_moved
    return (
        -row.behind,
        -row.at_risk,
        0 if (row.trend or 0) < 0 else 1,
        -len(row.expiring),
        moved[0] if moved else date.min,
        row.name.casefold(),
        row.plan.pk,
    )


def people_rows(plans: list[CareerPlan], user, *, today: date) -> list[PersonRow]:
    """A row per plan (``plans`` from plans.mentoring.people.mentored_plans), attention_order first."""
    if not plans:
        return []
    ids = [plan.pk for plan in plans]
    then = timezone.make_aware(datetime.combine(today - timedelta(days=TREND_DAYS), time.max))
    standings = plan_standings(plans, today=today, limit=SLIPPING_ROWS, order=Order.SLIPPING)
    rows = {
        plan.pk: PersonRow(
            plan=plan,
            name=display_name(plan.owner),
            readiness=plan.readiness(),
            readiness_before=readiness_as_of(plan, then),
            standing=standings[plan.pk],
            slipping=standings[plan.pk].slipping(today),
        )
        for plan in plans
    }
    for row in rows.values():
        assessed = [a.assessed_at for a in row.plan.assessments.all()]
        if assessed:
            row.moves["assessment"] = timezone.localdate(max(assessed))
    for goal in _next_deadlines(ids):
        rows[goal.plan_id].deadlines.append(goal)
    expiring = PlanCertification.objects.filter(plan_id__in=ids).expiring(
        within=EXPIRY_WARNING_DAYS, today=today
    )
    for record in expiring.select_related("certification").order_by("expires_on", "pk"):
        rows[record.plan_id].expiring.append(record)
    for pk, moves in recorded_moves(ids, today=today).items():
        rows[pk].moves.update(moves)
    for pk, count in _comments_since_own(ids, user).items():
        rows[pk].new_comments = count
    return sorted(rows.values(), key=attention_order)


def recorded_moves(ids: list[int], *, today: date) -> dict[int, dict[str, date]]:
    """Per plan, the date of its latest check-in and of its latest activity done (not in the
    future), two of "last moved" (the third, a self-assessment, is read where the plan holds its
    assessments): two queries. The mentor's digest reads them too (goals.reminders.mentees)."""
    moves: dict[int, dict[str, date]] = {pk: {} for pk in ids}
    check_ins = (
        CheckIn.objects.filter(goal__plan_id__in=ids).values("goal__plan_id").annotate(last=Max("checked_on"))
    )
    for entry in check_ins.order_by():
        moves[entry["goal__plan_id"]]["check-in"] = entry["last"]
    done = Activity.objects.filter(plan_id__in=ids, status=Activity.Status.DONE, date__lte=today)
    for entry in done.values("plan_id").annotate(last=Max("date")).order_by():
        moves[entry["plan_id"]]["activity"] = entry["last"]
    return moves


def _next_deadlines(ids: list[int]) -> list[Goal]:
    """The DEADLINE_ROWS nearest deadlines of each plan's active goals (overdue ones first)."""
    position = Window(RowNumber(), partition_by=F("plan_id"), order_by=(F("deadline").asc(), F("pk").asc()))
    goals = Goal.objects.filter(plan_id__in=ids, status=Goal.Status.ACTIVE).annotate(position=position)
    return list(
        goals.filter(position__lte=DEADLINE_ROWS)
        .order_by("plan_id", "position")
        .only("pk", "plan_id", "title", "deadline")
    )


def _comments_since_own(ids: list[int], user) -> dict[int, int]:
    """Per plan, the comments others wrote in its threads (the plan's and its goals') since the
    user's own latest comment in any of them; all of them when the user wrote none. CareerPath
    records no reading, so this stands for "unread" (the page says so). One query."""

    def own_latest(model, plan_path: str) -> Coalesce:
        mine = model.objects.filter(**{plan_path: OuterRef("pk")}, author=user).order_by("-created_at")
        return Coalesce(Subquery(mine.values("created_at")[:1]), Value(_NEVER), output_field=DateTimeField())

    def others_since(model, plan_path: str) -> Coalesce:
        theirs = model.objects.filter(**{plan_path: OuterRef("pk")}, created_at__gt=OuterRef("own_latest"))
        theirs = theirs.exclude(author=user).order_by().values(plan_path).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(theirs), 0)

    plans = (
        CareerPlan.objects.filter(pk__in=ids)
        .annotate(own_latest=Greatest(own_latest(Comment, "plan"), own_latest(GoalComment, "goal__plan")))
        .annotate(new=others_since(Comment, "plan") + others_since(GoalComment, "goal__plan"))
        .filter(~Q(new=0))
    )
    return dict(plans.values_list("pk", "new"))
