"""Where a plan's goals stand, worked out in the database: one query that reads a few rows per
plan, whatever the number of goals.

The plan page needs, of all its goals: how many are active and completed, the counts by track
status, how many are due for a check-in and when the next one falls, the one next action, and
the few goals that matter now. Loading every goal to work those out in Python made the page's
work grow with the plan. Here the rules of Goal.current_value, Goal.track_status and
Goal.next_check_in_on are written once more in SQL (tests/goals/test_standing.py holds them
equal to the Python rules over a grid of goals); each row carries its plan's figures as window
aggregates, and only the first ``limit`` rows of each plan, most urgent first, are read. The
Python rules stay the truth for a goal in memory (its row, its page); this is their sum.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection

from goals.models import CERTIFICATION_UNIT, LEVEL_UNIT, ON_TRACK_TOLERANCE, CheckIn, Goal, TrackStatus
from plans.models import PlanCertification

VALUE, CHECKED_ON = CheckIn._meta.get_field("value"), CheckIn._meta.get_field("checked_on")

# The rank of each track status among active goals in "the goals that matter": behind first.
URGENCY = (TrackStatus.BEHIND, TrackStatus.AT_RISK, TrackStatus.ON_TRACK, TrackStatus.DONE)


class Order:
    """Which goals a plan's rows are: the ones that matter now (the plan page), or the ones
    slipping (a mentor's dashboard card)."""

    # Due for a check-in first, then behind, at risk, on track, done; then by deadline.
    MATTER = "CASE WHEN r.due_in <= 0 THEN 0 ELSE 1 END, r.urgency, r.deadline, r.id"
    # Behind, then at risk, nearest deadline first; then the rest.
    SLIPPING = "CASE WHEN r.track IN ('behind', 'at_risk') THEN 0 ELSE 1 END, r.urgency, r.deadline, r.id"


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

    def summary(self) -> dict:
        """The shape sections.goals_summary gives for goals in memory."""
        return {
            "active": self.active,
            "completed": self.completed,
            "counts": [(status, self.counts[status]) for status in TrackStatus if self.counts.get(status)],
            "due": self.due,
            "next_check_in": self.next_check_in,
        }


def _days(later: str, earlier: str) -> str:
    """Whole days from ``earlier`` to ``later`` (two date expressions)."""
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _today() -> str:
    return "CAST(%(today)s AS DATE)" if connection.vendor == "postgresql" else "%(today)s"


def _sql(plans: str, order: str) -> str:
    today = _today()
    cadence = " ".join(f"WHEN '{cadence}' THEN {days}" for cadence, days in Goal.CADENCE_DAYS.items())
    tolerance = ON_TRACK_TOLERANCE
    urgency = " ".join(f"WHEN '{status.value}' THEN {rank}" for rank, status in enumerate(URGENCY))
    step = NextStep
    return f"""
WITH facts AS (
  SELECT g.id, g.plan_id, g.title, g.status, g.deadline, g.start_date, g.baseline, g.target,
    CASE g.reminder_cadence {cadence} END AS cadence_days,
    (SELECT c.id FROM goals_checkin c WHERE c.goal_id = g.id
      ORDER BY c.checked_on DESC, c.id DESC LIMIT 1) AS latest_check_in_pk,
    (SELECT c.value FROM goals_checkin c WHERE c.goal_id = g.id
      ORDER BY c.checked_on DESC, c.id DESC LIMIT 1) AS latest_check_in_value,
    (SELECT c.checked_on FROM goals_checkin c WHERE c.goal_id = g.id
      ORDER BY c.checked_on DESC, c.id DESC LIMIT 1) AS latest_check_in_on,
    CASE
      WHEN g.skill_id IS NOT NULL AND LOWER(TRIM(g.unit)) = '{LEVEL_UNIT}' THEN COALESCE(
        (SELECT a.level FROM plans_skillassessment a WHERE a.plan_id = g.plan_id AND a.skill_id = g.skill_id
          ORDER BY a.assessed_at DESC, a.id DESC LIMIT 1), g.baseline)
      WHEN g.certification_id IS NOT NULL AND LOWER(TRIM(g.unit)) = '{CERTIFICATION_UNIT}' THEN
        CASE WHEN EXISTS (SELECT 1 FROM plans_plancertification pc WHERE pc.plan_id = g.plan_id
          AND pc.certification_id = g.certification_id AND pc.status = '{PlanCertification.Status.EARNED}'
          AND (pc.expires_on IS NULL OR pc.expires_on > {today})) THEN g.target ELSE g.baseline END
      ELSE NULL
    END AS measured
  FROM goals_goal g WHERE g.plan_id IN ({plans})
),
progress AS (
  SELECT f.*,
    CAST(COALESCE(f.measured, f.latest_check_in_value, f.baseline) - f.baseline AS DOUBLE PRECISION)
      / CAST(NULLIF(f.target - f.baseline, 0) AS DOUBLE PRECISION) AS progress,
    {_days("f.deadline", "f.start_date")} AS total_days,
    {_days(today, "f.start_date")} AS elapsed_days,
    CASE WHEN f.status = 'active' THEN
      f.cadence_days - {_days(today, "COALESCE(f.latest_check_in_on, f.start_date)")} END AS due_in
  FROM facts f
),
expected AS (
  SELECT p.*,
    CASE WHEN p.total_days <= 0 THEN 1.0
         WHEN p.elapsed_days <= 0 THEN 0.0
         WHEN p.elapsed_days >= p.total_days THEN 1.0
         ELSE CAST(p.elapsed_days AS DOUBLE PRECISION) / p.total_days END AS expected
  FROM progress p
),
standing AS (
  SELECT e.*,
    CASE WHEN e.progress >= 1.0 THEN 'done'
         WHEN e.expected - e.progress <= {tolerance} THEN 'on_track'
         WHEN e.expected - e.progress <= {2 * tolerance} THEN 'at_risk'
         ELSE 'behind' END AS track
  FROM expected e
),
ranked AS (
  SELECT s.*,
    CASE WHEN s.status <> 'active' THEN NULL
         WHEN s.due_in <= 0 THEN {step.CHECK_IN}
         WHEN s.track = 'behind' THEN {step.CATCH_UP}
         WHEN s.latest_check_in_pk IS NULL THEN {step.FIRST_CHECK_IN} END AS step,
    CASE s.track {urgency} END AS urgency
  FROM standing s
),
windowed AS (
  SELECT r.*,
    ROW_NUMBER() OVER (PARTITION BY r.plan_id ORDER BY
      CASE WHEN r.status = 'active' THEN 0 ELSE 1 END, {order}) AS position,
    COUNT(*) OVER (PARTITION BY r.plan_id) AS total,
    SUM(CASE WHEN r.status = 'active' THEN 1 ELSE 0 END) OVER (PARTITION BY r.plan_id) AS active,
    SUM(CASE WHEN r.status = 'completed' THEN 1 ELSE 0 END) OVER (PARTITION BY r.plan_id) AS completed,
    SUM(CASE WHEN r.status = 'active' AND r.due_in <= 0 THEN 1 ELSE 0 END)
      OVER (PARTITION BY r.plan_id) AS due,
    {
        ", ".join(
            f"SUM(CASE WHEN r.status = 'active' AND r.track = '{s.value}' THEN 1 ELSE 0 END) "
            f"OVER (PARTITION BY r.plan_id) AS count_{s.value}"
            for s in TrackStatus
        )
    },
    FIRST_VALUE(r.id) OVER next_check_in AS next_check_in_id,
    FIRST_VALUE(r.title) OVER next_check_in AS next_check_in_title,
    FIRST_VALUE(r.due_in) OVER next_check_in AS next_check_in_due_in,
    FIRST_VALUE(r.id) OVER next_step AS next_step_id,
    FIRST_VALUE(r.title) OVER next_step AS next_step_title,
    FIRST_VALUE(r.step) OVER next_step AS next_step
  FROM ranked r
  WINDOW
    next_check_in AS (PARTITION BY r.plan_id
      ORDER BY CASE WHEN r.due_in IS NULL THEN 1 ELSE 0 END, r.due_in, r.id),
    next_step AS (PARTITION BY r.plan_id
      ORDER BY CASE WHEN r.step IS NULL THEN 1 ELSE 0 END, r.step, r.deadline, r.id)
)
SELECT g.*, {", ".join(f"w.{column}" for column in ROW_COLUMNS)}
FROM windowed w JOIN goals_goal g ON g.id = w.id
WHERE w.position <= %(limit)s ORDER BY w.plan_id, w.position
"""


# What each row carries besides the goal: its latest check-in (as GoalQuerySet.with_latest_check_in
# annotates it) and its plan's figures.
ROW_COLUMNS = (
    "latest_check_in_pk", "latest_check_in_value", "latest_check_in_on", "total", "active", "completed",
    "due", *(f"count_{status.value}" for status in TrackStatus), "next_check_in_id", "next_check_in_title",
    "next_check_in_due_in", "next_step_id", "next_step_title", "next_step",
)  # fmt: skip


def plan_standings(plans, *, today: date, limit: int, order: str = Order.MATTER) -> dict[int, Standing]:
    """Each plan's Standing, by plan id (plans without goals get an empty one), in one query: its
    figures and its first ``limit`` active goals in ``order``. The goals read their plan from
    ``plans``; Goal.latest_check_in() reads the columns read here."""
    by_pk = {plan.pk: plan for plan in plans}
    standings = {pk: Standing() for pk in by_pk}
    if not by_pk:
        return standings
    params = {"today": today, "limit": limit, **{f"plan{i}": pk for i, pk in enumerate(by_pk)}}
    sql = _sql(", ".join(f"%(plan{i})s" for i in range(len(by_pk))), order)
    for goal in Goal.objects.raw(sql, params):
        goal.plan = by_pk[goal.plan_id]
        # Raw columns come back as the database gives them (SQLite: floats and ISO strings).
        if goal.latest_check_in_pk is not None:
            goal.latest_check_in_value = VALUE.to_python(goal.latest_check_in_value)
            goal.latest_check_in_on = CHECKED_ON.to_python(goal.latest_check_in_on)
        standing = standings[goal.plan_id]
        if not standing.total:
            _read_figures(standing, goal, today)
        if goal.status == Goal.Status.ACTIVE:
            standing.goals.append(goal)
    return standings


def _read_figures(standing: Standing, row: Goal, today: date) -> None:
    """The plan's figures, which every row of it carries."""
    standing.total, standing.active, standing.completed, standing.due = (
        row.total, row.active, row.completed, row.due,
    )  # fmt: skip
    standing.counts = {status: getattr(row, f"count_{status.value}") for status in TrackStatus}
    if row.next_check_in_due_in is not None:
        goal = Goal(pk=row.next_check_in_id, title=row.next_check_in_title, plan=row.plan)
        standing.next_check_in = (today + timedelta(days=row.next_check_in_due_in), goal)
    if row.next_step is not None:
        standing.next_step = (
            row.next_step,
            Goal(pk=row.next_step_id, title=row.next_step_title, plan=row.plan),
        )
