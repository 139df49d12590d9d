"""What goals add to plans' pages (the plan page's goals section, the dashboard's cards) and the
goal page's progress panel.

plan_goals_section and dashboard_goals_section are registered with plans.sections in
GoalsConfig.ready; the htmx views in goals/progress/views.py render the same partials from the
same context builders.
"""

from datetime import date

from django.db.models import Count, Prefetch, QuerySet, Window, prefetch_related_objects
from django.http import HttpRequest
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from goals.models import CheckIn, Goal, GoalComment, GoalQuerySet, Milestone, prefetch_measured_facts
from goals.progress.forms import CheckInForm, MilestoneForm
from goals.progress.status import TrackStatus
from goals.standing import URGENCY, NextStep, Order, Standing, plan_standings
from plans.dashboard import ATTENTION_ROWS, Attention, NewComment, new_comments_since
from plans.models import CareerPlan
from skills.models import SHORT_TERM_MONTHS, Horizon

HORIZON_GROUPS = (
    (Horizon.SHORT, "Short-term goals", f"due within {SHORT_TERM_MONTHS} months of their start"),
    (Horizon.LONG, "Long-term goals", f"more than {SHORT_TERM_MONTHS} months out"),
)
# The dashboard's deadline card looks this far ahead, and each card lists at most DASHBOARD_ROWS goals.
DEADLINE_WINDOW_DAYS = 30
DASHBOARD_ROWS = 5


def with_progress(goals: QuerySet) -> QuerySet:
    """Everything a goal row shows, in a fixed number of queries whatever the number of goals:
    the goals (with the skill and certification a row may name), their check-ins and their
    milestones (Goal.progress() reads the prefetched list)."""
    return goals.select_related("skill", "certification").prefetch_related(
        Prefetch("check_ins", queryset=CheckIn.objects.order_by("checked_on", "pk")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
    )


def goal_rows(goals: GoalQuerySet) -> list[Goal]:
    """Goals as their rows show them, in a fixed number of queries and objects whatever their
    history: the latest check-in by subquery (not every check-in), and ``next_milestone`` set
    (see with_next_milestones)."""
    return with_next_milestones(prefetch_measured_facts(list(goals.with_latest_check_in())))


def goal_with_history(goals: QuerySet) -> Goal:
    """One goal with every check-in and milestone (the goal page's panel and chart), and
    ``next_milestone`` set like a row's."""
    [goal] = prefetch_measured_facts(list(with_progress(goals)))
    goal.next_milestone = next((m for m in goal.milestones.all() if not m.is_done), None)
    return goal


def with_next_milestones(goals: list[Goal]) -> list[Goal]:
    """Set each goal's ``next_milestone``, the first open one (one query for all of them)."""
    open_milestones = Milestone.objects.filter(done_at__isnull=True).order_by("due_date", "pk")
    prefetch_related_objects(
        goals, Prefetch("milestones", queryset=open_milestones, to_attr="open_milestones")
    )
    for goal in goals:
        goal.next_milestone = goal.open_milestones[0] if goal.open_milestones else None
    return goals


def goal_row_context(goal: Goal, *, owner: bool) -> dict:
    """The context of includes/goal_row.html, for the plan page and for htmx alike."""
    return {"goal": goal, "owner": owner, "today": timezone.localdate()}


def plan_goals_section(request: HttpRequest, plan: CareerPlan) -> dict:
    """The plan page's goals: a summary for the overview, the next step, and the goals that matter
    now (due for a check-in, behind, at risk, then the next deadlines); all of them are one click
    away. goals.standing works the figures out in the database: the page reads PLAN_PAGE_GOALS
    goals, whatever the number on the plan."""
    today = timezone.localdate()
    owner = plan.is_owned_by(request.user)
    standing = plan_standings([plan], today=today, limit=PLAN_PAGE_GOALS)[plan.pk]
    shown = with_next_milestones(standing.goals)
    return {
        "template": "goals/includes/plan_goals.html",
        "goals": shown,
        "total": standing.total,
        "hidden": standing.total - len(shown),
        "plan": plan,
        "owner": owner,
        "today": today,
        "summary": standing.summary(),
        "next_action": next_goal_action(plan, standing) if owner else None,
    }


# How many goals the plan page shows before "All N goals".
PLAN_PAGE_GOALS = 5
_URGENCY = {TrackStatus.BEHIND: 0, TrackStatus.AT_RISK: 1, TrackStatus.ON_TRACK: 2, TrackStatus.DONE: 3}


def next_goal_action(plan: CareerPlan, standing: Standing) -> dict | None:
    """The one thing to do next on the plan's goals: set some, check in, catch up, or make a start
    (goals.standing.NextStep picks the goal)."""
    if not standing.active:
        open_gaps = plan.readiness().open_gaps
        if open_gaps:
            return {
                "label": "Draft next steps from my gap",
                "url": reverse("goals:draft", args=[plan.pk]),
                "reason": f"Your self-assessment shows {open_gaps} gap{pluralize(open_gaps)} to close.",
            }
        return {
            "label": "Set a goal",
            "url": reverse("goals:create", args=[plan.pk]),
            "reason": "No active goal yet.",
        }
    if standing.next_step is None:
        return None
    step, goal = standing.next_step
    if step == NextStep.CHECK_IN:
        return {
            "label": f"Check in on “{goal.title}”",
            "url": reverse("goals:check_in_add", args=[goal.pk]),
            "reason": "No progress recorded within its reminder cadence.",
        }
    if step == NextStep.CATCH_UP:
        return {
            "label": f"Catch up on “{goal.title}”",
            "url": goal.get_absolute_url(),
            "reason": "It is behind the pace its deadline needs.",
        }
    return {
        "label": f"Record progress on “{goal.title}”",
        "url": reverse("goals:check_in_add", args=[goal.pk]),
        "reason": "Check in once you have made a start: the bar and the status follow.",
    }


def all_goals_context(request: HttpRequest, plan: CareerPlan) -> dict:
    """Every goal on the plan, grouped by horizon (the page behind "All N goals")."""
    goals = goal_rows(plan.goals.all())
    groups = [
        {"label": label, "hint": hint, "goals": [g for g in goals if g.horizon == horizon]}
        for horizon, label, hint in HORIZON_GROUPS
    ]
    return {
        "plan": plan,
        "goal_groups": [group for group in groups if group["goals"]],
        "goals": goals,
        "owner": plan.is_owned_by(request.user),
        "today": timezone.localdate(),
    }


def dashboard_goals_section(request: HttpRequest, plans) -> dict:
    """The dashboard's goals (``plans``: plans.dashboard.DashboardPlans). For the person's own
    plans: the next step of each (draft goals when it has no active goal, else check in on the
    first goal due), the goals due for a check-in (no check-in within their cadence, whatever the
    reminder sweep did) and the deadlines soon. For the plans they mentor: each one's summary and
    the goals slipping.

    Where every plan's goals stand is one query (goals.standing), reading at most
    MENTOR_SLIPPING_ROWS goals per plan; the two lists are one query each, at most DASHBOARD_ROWS.
    """
    today = timezone.localdate()
    standings = plan_standings(
        [*plans.own, *plans.shared], today=today, limit=MENTOR_SLIPPING_ROWS, order=Order.SLIPPING
    )
    # Certification goals read their plan's records, skill-level ones its self-assessments.
    prefetch_measured_facts([goal for standing in standings.values() for goal in standing.goals])
    own = [standings[plan.pk] for plan in plans.own]
    active_goal_count = sum(standing.active for standing in own)
    goals = Goal.objects.filter(plan__in=plans.own, status=Goal.Status.ACTIVE).select_related("plan")
    goals = goals.order_by("deadline", "pk")

    def rows(queryset: GoalQuerySet) -> list[Goal]:
        # prefetch_measured_facts: skill-level and certification goals read their plans' facts once.
        return prefetch_measured_facts(list(queryset.with_latest_check_in()[:DASHBOARD_ROWS]))

    return {
        "template": "goals/includes/dashboard_goals.html",
        "next_actions": {plan.pk: _dashboard_next_action(plan, standings[plan.pk]) for plan in plans.own},
        "goals_to_check_in": rows(goals.due_for_check_in(today)) if active_goal_count else [],
        "deadlines_soon": rows(goals.deadline_within(days=DEADLINE_WINDOW_DAYS, today=today))
        if active_goal_count
        else [],
        "deadline_window_days": DEADLINE_WINDOW_DAYS,
        "active_goal_count": active_goal_count,
        "today": today,
        "shared_plan_goals": {plan.pk: mentor_plan_goals(standings[plan.pk], today) for plan in plans.shared},
        "attention": goals_attention(plans.own, own, request.user, today),
    }


def goals_attention(plans: list[CareerPlan], standings: list[Standing], user, today: date) -> Attention:
    """The goals' part of what needs the person on their own plans (plans.dashboard.Attention):
    the goals behind or at risk by the rule their mentors read (Standing.slipping), the overdue
    milestones of active goals (due before today, not done) and the newest comments others wrote
    in the goals' threads. Two queries, each counted by a window; none without a goal."""
    if not any(standing.total for standing in standings):
        return Attention()
    slipping = [goal for standing in standings for goal in standing.slipping(today)]
    slipping.sort(key=lambda goal: (URGENCY.index(goal.track_status(today)), goal.deadline, goal.pk))
    by_pk = {plan.pk: plan for plan in plans}
    milestones = list(
        Milestone.objects.filter(
            goal__plan__in=plans, goal__status=Goal.Status.ACTIVE, done_at__isnull=True, due_date__lt=today
        )
        .select_related("goal")
        .annotate(total=Window(Count("pk")))
        .order_by("due_date", "pk")[:ATTENTION_ROWS]
    )
    comments = list(
        GoalComment.objects.filter(goal__plan__in=plans, created_at__gte=new_comments_since(today))
        .exclude(author=user)
        .select_related("author", "goal")
        .annotate(total=Window(Count("pk")))
        .order_by("-created_at", "-pk")[:ATTENTION_ROWS]
    )
    for goal in [*(m.goal for m in milestones), *(c.goal for c in comments)]:
        goal.plan = by_pk[goal.plan_id]
    return Attention(
        goals=slipping[:ATTENTION_ROWS],
        goals_total=sum(standing.slipping_count for standing in standings),
        milestones=milestones,
        milestones_total=milestones[0].total if milestones else 0,
        comments=[
            NewComment(
                author=comment.author,
                body=comment.body,
                created_at=comment.created_at,
                thing="goal",
                title=comment.goal.title,
                url=f"{comment.goal.get_absolute_url()}#comment-{comment.pk}",
            )
            for comment in comments
        ],
        comments_total=comments[0].total if comments else 0,
    )


def _dashboard_next_action(plan: CareerPlan, standing: Standing) -> dict | None:
    """A plan card's next step from its goals: draft some when none is active, check in on the
    first goal due, else nothing pressing."""
    if not standing.active:
        return {"label": "Draft next steps from my gap", "url": reverse("goals:draft", args=[plan.pk])}
    if standing.next_step and standing.next_step[0] == NextStep.CHECK_IN:
        goal = standing.next_step[1]
        return {
            "label": f"Check in on “{goal.title}”",
            "url": reverse("goals:check_in_add", args=[goal.pk]),
            "reason": "No progress recorded within its reminder cadence.",
        }
    return None


# How many goals behind or at risk a shared plan's card names; the count says how many in all.
MENTOR_SLIPPING_ROWS = 3


def mentor_plan_goals(standing: Standing, today) -> dict:
    """What a mentor sees of one plan's goals: the summary (the next check-in among them) and the
    active goals behind, then at risk, nearest deadline first (the standing's rows, in that order)."""
    slipping = standing.slipping(today)
    return {
        "template": "goals/includes/mentor_plan_goals.html",
        "summary": standing.summary(),
        "slipping": slipping,
        "more_slipping": standing.slipping_count - len(slipping),
        "today": today,
    }


# --- The goal page's progress panel (includes/goal_progress.html) ----------------------------


def progress_chart(goal: Goal) -> dict:
    """Measurements over time (Goal.measurements: a skill-level goal's are the skill's self-assessments)
    and the ideal straight line from (start, baseline) to (deadline, target), for
    static/js/goal-charts.js. Works for falling metrics: the ideal line simply goes down."""
    return {
        "metric": goal.metric,
        "unit": goal.unit,
        "start": goal.start_date.isoformat(),
        "deadline": goal.deadline.isoformat(),
        "baseline": float(goal.baseline),
        "target": float(goal.target),
        "falling": goal.target < goal.baseline,
        "points": [{"x": day.isoformat(), "y": float(value)} for day, value in goal.measurements()],
    }


def milestones_context(goal: Goal, *, owner: bool, form=None) -> dict:
    """The context of includes/milestones.html."""
    return {
        "goal": goal,
        "owner": owner,
        "milestones": list(goal.milestones.all()),
        "milestone_form": form or MilestoneForm(goal=goal),
        "today": timezone.localdate(),
    }


def goal_progress_context(
    goal: Goal, *, owner: bool, editing: CheckIn | None = None, edit_form: CheckInForm | None = None
) -> dict:
    """The context of includes/goal_progress_panel.html (the goal page reads prefetched data).

    ``editing``: the check-in shown as a correction form in the list (``edit_form``, with errors).
    """
    return {
        **milestones_context(goal, owner=owner),
        "check_ins": list(reversed(goal.check_ins.all())),
        "check_in_form": CheckInForm(goal=goal),
        "editing_pk": editing.pk if editing else None,
        "edit_form": edit_form,
        "chart": progress_chart(goal),
        "chart_id": f"goal-chart-data-{goal.pk}",
        "expected_percent": round(100 * goal.expected_progress()),
    }
