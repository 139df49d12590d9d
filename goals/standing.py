"""Where a plan's goals stand, worked out in the database: one query that reads a few rows per
plan, whatever the number of goals.

The plan page needs, of all its goals: how many are active and completed, the counts by track
status, how many are due for a check-in and when the next one falls, the one next action, and
the few goals that matter now. Loading every goal to work those out in Python made the page's
work grow with the plan. Here the rules of Goal.current_value, Goal.track_status and
Goal.next_check_in_on are written once more as ORM expressions (tests/goals/test_standing.py
holds them equal to the Python rules over a grid of goals, on SQLite and PostgreSQL); each row
carries its plan's figures as window aggregates, and only the first ``limit`` rows of each plan,
most urgent first, are read (Django wraps the windows in a subquery to filter on the row number).
The Python rules stay the truth for a goal in memory (its row, its page); this is their sum.

What the ORM cannot say, and how this module gets by:
- Whole days between two dates, as a number: expected progress divides elapsed days by the
  goal's days, and a check-in falls due a number of days after the last. Django subtracts dates
  into a duration (microseconds on SQLite, an interval on PostgreSQL) and has no function that
  turns a duration into a number (Extract reads a duration only where the database has a native
  duration type, which SQLite lacks), so ``DaysBetween`` spells that one subtraction for each
  database. (Django's date + timedelta does give the due date portably, but on SQLite it calls a
  Python function for every row and every use: 1,000 goals took 130 ms instead of 45.)
- A name for an intermediate result (a CTE or a subquery in FROM): an annotation is written out
  in full wherever another uses it. So a goal's latest check-in, latest self-assessment and held
  certification are joins (FilteredRelation) rather than subqueries, which would run once for
  every use, and the track status is counted as three nested facts rather than once per status.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Expression,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, FirstValue, Lower, RowNumber, Trim
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual, Lookup

from goals.models import CERTIFICATION_UNIT, LEVEL_UNIT, CheckIn, Goal
from goals.progress.status import ON_TRACK_TOLERANCE, TrackStatus
from plans.models import PlanCertification, SkillAssessment

ACTIVE = Q(status=Goal.Status.ACTIVE)
# The rank of each track status among active goals in "the goals that matter": behind first.
URGENCY = (TrackStatus.BEHIND, TrackStatus.AT_RISK, TrackStatus.ON_TRACK, TrackStatus.DONE)
# The statuses a goal is slipping in (Standing.slipping).
SLIPPING = (TrackStatus.BEHIND, TrackStatus.AT_RISK)


class Order:
    """Which goals a plan's rows are: the ones that matter now (the plan page), or the ones
    slipping (a mentor's dashboard card). Each is an ordering of the annotations _standing makes."""

    # Due for a check-in first, then behind, at risk, on track, done; then by deadline.
    MATTER = ("later", "urgency", "deadline", "pk")
    # Behind, then at risk, nearest deadline first; then the rest.
    SLIPPING = ("slipping_last", "urgency", "deadline", "pk")


class NextStep:
    """What the plan's goals ask for next, in the order the plan page offers it."""

    CHECK_IN, CATCH_UP, FIRST_CHECK_IN = 0, 1, 2


@dataclass
class Standing:
    """One plan's goals at a glance (see the module docstring)."""

    goals: list[Goal] = field(default_factory=list)  # active, most urgent first, at most ``limit``
    total: int = 0
    active: int = 0
    completed: int = 0
    counts: dict[TrackStatus, int] = field(default_factory=dict)
    due: int = 0
    next_check_in: tuple[date, Goal] | None = None
    next_step: tuple[int, Goal] | None = None  # (NextStep.*, the goal)

    def slipping(self, today: date) -> list[Goal]:
        """The active goals behind or at risk among the rows read, in their order: the one rule
        "behind or at risk" on the dashboard, the owner's and their mentors' alike (read in
        Order.SLIPPING, behind comes first, then at risk, nearest deadline first)."""
        return [goal for goal in self.goals if goal.track_status(today) in SLIPPING]

    @property
    def slipping_count(self) -> int:
        """How many active goals are behind or at risk, read or not."""
        return sum(self.counts.get(status, 0) for status in SLIPPING)

    def summary(self) -> dict:
        """The shape sections.goals_summary gives for goals in memory."""
        return {
            "active": self.active,
            "completed": self.completed,
            "counts": [(status, self.counts[status]) for status in TrackStatus if self.counts.get(status)],
            "due": self.due,
            "next_check_in": self.next_check_in,
        }


class DaysBetween(Func):
    """Whole days from the first date to the second: the one expression written per database (see
    the module docstring). PostgreSQL subtracts dates into days; SQLite counts Julian days."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def __init__(self, earlier, later):
        super().__init__(later, earlier)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def _measured(today: date) -> dict[str, FilteredRelation]:
    """What a goal's current value reads, joined once per goal: its latest check-in, the plan's
    latest self-assessment of its skill, and the plan's record of its certification while held
    (earned, not expired). Joins, not subqueries in the expressions: an expression is written out
    wherever another uses it, a subquery in it with it."""
    latest_check_in = CheckIn.objects.filter(goal=OuterRef("pk")).order_by("-checked_on", "-pk")
    latest_assessment = SkillAssessment.objects.filter(plan=OuterRef("plan_id"), skill=OuterRef("skill_id"))
    latest_assessment = latest_assessment.order_by("-assessed_at", "-pk")
    held = Q(plan__certifications__expires_on__isnull=True) | Q(plan__certifications__expires_on__gt=today)
    return {
        "latest": FilteredRelation(
            "check_ins", condition=Q(check_ins__pk=Subquery(latest_check_in.values("pk")[:1]))
        ),
        "assessment": FilteredRelation(
            "plan__assessments",
            condition=Q(plan__assessments__pk=Subquery(latest_assessment.values("pk")[:1])),
        ),
        "held": FilteredRelation(
            "plan__certifications",
            condition=held
            & Q(
                plan__certifications__certification=F("certification"),
                plan__certifications__status=PlanCertification.Status.EARNED,
            ),
        ),
    }


def _current_value() -> Case:
    """Goal.current_value: a skill-level goal's latest self-assessment, a certification goal's
    target while the plan holds it, any other goal's latest check-in; the baseline until there is
    one (``unit``: the unit as Goal._unit_is compares it)."""
    return Case(
        When(Q(skill__isnull=False, unit_key=LEVEL_UNIT), then=Coalesce("assessment__level", "baseline")),
        When(
            Q(certification__isnull=False, unit_key=CERTIFICATION_UNIT),
            then=Case(When(held__isnull=False, then="target"), default="baseline"),
        ),
        default=Coalesce("latest__value", "baseline"),
        output_field=DecimalField(),
    )


def _expected_progress(today: date) -> Case:
    """Goal.expected_progress: the straight line from start (0) to deadline (1)."""
    return Case(
        When(deadline__lte=F("start_date"), then=Value(1.0)),
        When(start_date__gte=today, then=Value(0.0)),
        When(deadline__lte=today, then=Value(1.0)),
        default=Cast(DaysBetween("start_date", Value(today)), FloatField())
        / DaysBetween("start_date", "deadline"),
        output_field=FloatField(),
    )


def _due_in(today: date) -> Expression:
    """Days until Goal.next_check_in_on (0 or less: due), one cadence interval after the latest
    check-in or the start; NULL for goals that are not active or have no reminders."""
    interval = Case(
        *(
            When(status=Goal.Status.ACTIVE, reminder_cadence=cadence, then=days)
            for cadence, days in Goal.CADENCE_DAYS.items()
        ),
        output_field=IntegerField(),
    )
    return interval - DaysBetween(Coalesce("latest__checked_on", "start_date"), Value(today))


def _standing(plan_ids: list[int], today: date) -> QuerySet:
    """The plans' goals, each with its plan's figures and the annotations an Order names.

    Conditions on the large annotations are written with the annotation on the right
    (``Value(1.0) <= progress``): Django resolves a lookup's left side again each time it compiles
    it, which made the query take a quarter of a second to compile."""
    active = ACTIVE
    due: Lookup[Any] = GreaterThanOrEqual(Value(0), F("due_in"))
    # Track status (Goal.track_status) as three nested facts: a goal past its target is never short
    # of the line (expected progress is at most 1), so done implies fine, and fine implies steady.
    done: Lookup[Any] = LessThanOrEqual(Value(1.0), F("progress"))
    fine: Lookup[Any] = GreaterThanOrEqual(Value(ON_TRACK_TOLERANCE), F("shortfall"))  # done or on track
    steady: Lookup[Any] = GreaterThanOrEqual(Value(2 * ON_TRACK_TOLERANCE), F("shortfall"))  # not behind
    rank = {status: n for n, status in enumerate(URGENCY)}
    # Typed as rows of any shape: its annotations (progress among them) are not Goal's fields.
    plan_goals: QuerySet[Any] = Goal.objects.filter(plan_id__in=plan_ids)
    goals = (
        plan_goals.alias(**_measured(today))
        .annotate(
            latest_check_in_pk=F("latest__pk"),
            latest_check_in_value=F("latest__value"),
            latest_check_in_on=F("latest__checked_on"),
        )
        .alias(unit_key=Lower(Trim("unit")))
        .alias(value=_current_value())
        .alias(
            progress=Cast(F("value") - F("baseline"), FloatField())
            / Cast(F("target") - F("baseline"), FloatField()),
            due_in=_due_in(today),
        )
        .alias(shortfall=_expected_progress(today) - F("progress"))
        .alias(
            urgency=Case(
                When(done, then=rank[TrackStatus.DONE]),
                When(fine, then=rank[TrackStatus.ON_TRACK]),
                When(steady, then=rank[TrackStatus.AT_RISK]),
                default=rank[TrackStatus.BEHIND],
            ),
            later=Case(When(due, then=0), default=1),
            slipping_last=Case(When(fine, then=1), default=0),
            step=Case(
                When(active & Q(due), then=NextStep.CHECK_IN),
                When(active & ~Q(steady), then=NextStep.CATCH_UP),
                When(active & Q(latest__isnull=True), then=NextStep.FIRST_CHECK_IN),
                output_field=IntegerField(),
            ),
        )
    )

    def per_plan(expression, *order_by) -> Window:
        return Window(expression, partition_by=F("plan_id"), order_by=order_by or None)

    def count(condition: Q) -> Window:
        return per_plan(Count("pk", filter=condition))

    by_next_check_in = (F("due_in").asc(nulls_last=True), "pk")
    by_next_step = (F("step").asc(nulls_last=True), "deadline", "pk")
    return goals.annotate(
        total=per_plan(Count("pk")),
        active_count=count(active),
        completed=count(Q(status=Goal.Status.COMPLETED)),
        due=count(active & Q(due)),
        done=count(active & Q(done)),
        fine=count(active & Q(fine)),
        steady=count(active & Q(steady)),
        unmeasured=count(active & Q(latest__isnull=True)),
        next_check_in_id=per_plan(FirstValue("pk"), *by_next_check_in),
        next_check_in_title=per_plan(FirstValue("title"), *by_next_check_in),
        next_check_in_due_in=per_plan(FirstValue("due_in"), *by_next_check_in),
        next_step_id=per_plan(FirstValue("pk"), *by_next_step),
        next_step_title=per_plan(FirstValue("title"), *by_next_step),
    )


def plan_standings(
    plans, *, today: date, limit: int, order: tuple[str, ...] = Order.MATTER
) -> dict[int, Standing]:
    """Each plan's Standing, by plan id (plans without goals get an empty one), in one query: its
    figures and its first ``limit`` active goals in ``order``. The goals read their plan from
    ``plans``; Goal.latest_check_in() reads the columns read here."""
    by_pk = {plan.pk: plan for plan in plans}
    standings = {pk: Standing() for pk in by_pk}
    if not by_pk:
        return standings
    goals = _standing(list(by_pk), today)
    first: tuple[Any, ...] = (Case(When(ACTIVE, then=0), default=1), *order)  # the active goals, in order
    if len(by_pk) == 1:
        # One plan (its page): a slice, which spares Django a second compilation of the whole
        # query for the subquery around the windows that a filter on a row number needs.
        rows = goals.order_by(*first)[:limit]
    else:
        position = Window(RowNumber(), partition_by=F("plan_id"), order_by=first)
        rows = goals.annotate(position=position).filter(position__lte=limit).order_by("plan_id", "position")
    for goal in rows:
        goal.plan = by_pk[goal.plan_id]
        standing = standings[goal.plan_id]
        if not standing.total:
            _read_figures(standing, goal, today)
        if goal.status == Goal.Status.ACTIVE:
            standing.goals.append(goal)
    return standings


def _read_figures(standing: Standing, row: Any, today: date) -> None:
    """The plan's figures, which every row of it (a Goal with the query's annotations) carries."""
    standing.total, standing.active = row.total, row.active_count
    standing.completed, standing.due = row.completed, row.due
    standing.counts = {
        TrackStatus.DONE: row.done,
        TrackStatus.ON_TRACK: row.fine - row.done,
        TrackStatus.AT_RISK: row.steady - row.fine,
        TrackStatus.BEHIND: row.active_count - row.steady,
    }
    if row.next_check_in_due_in is not None:
        goal = Goal(pk=row.next_check_in_id, title=row.next_check_in_title, plan=row.plan)
        standing.next_check_in = (today + timedelta(days=row.next_check_in_due_in), goal)
    # The step is the most pressing one any active goal asks for; its goal is the first in step order.
    steps = [
        (NextStep.CHECK_IN, row.due),
        (NextStep.CATCH_UP, standing.counts[TrackStatus.BEHIND]),
        (NextStep.FIRST_CHECK_IN, row.unmeasured),
    ]
    step = next((step for step, goals in steps if goals), None)
    if step is not None:
        standing.next_step = (step, Goal(pk=row.next_step_id, title=row.next_step_title, plan=row.plan))
