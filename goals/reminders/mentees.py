"""The mentor's section of the digest (issue 24, item 5): for those who opted in
(ReminderSettings.mentor_digest), which of the people who share a plan with them have goals behind
or at risk, and who has gone quiet. Their 1:1s are the digest's own section (Digest.one_on_ones).

It reads only the shares the people page reads (plans.mentoring.people.mentored_plans's rule: a
share bound to the mentor's account, of an active plan someone else owns); revoking deletes the
share, so that person is gone from the next digest. Where the plans' goals stand is the people
page's rule (goals.standing.plan_standings), and "last moved" its own (a check-in, a
self-assessment, an activity done: goals.mentoring.people.recorded_moves).

A set of digests reads a fixed number of queries for this, whatever the number of mentors and
people: the shares with their plans and owners, the goals' standing, the latest check-ins,
activities and self-assessments (five), and one each for the plans' self-assessments and
certifications when skill-level or certification goals are among those read (prefetch_measured_facts);
none when nobody in the set opted in.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import F, Max
from django.utils import timezone

from accounts.names import display_name
from goals.mentoring.people import recorded_moves
from goals.models import Goal, prefetch_measured_facts
from goals.progress.status import TrackStatus
from goals.standing import Order, plan_standings
from plans.models import CareerPlan, SkillAssessment
from plans.sharing.models import Share

# Someone has "gone quiet" when nothing moved on their plan for this many days: no check-in, no
# self-assessment, no activity done (a plan made more recently than that and untouched is not).
MENTEE_QUIET_DAYS = 21
# Each person names this many of their goals behind or at risk (the count says how many in all).
MENTEE_GOALS_SHOWN = 3


@dataclass(frozen=True)
class MenteeLine:
    """What the mentor's digest says of one person's shared plan."""

    plan: CareerPlan
    name: str
    behind: int
    at_risk: int
    slipping: list[Goal]  # behind first, then at risk, MENTEE_GOALS_SHOWN at most
    last_moved: date | None  # None: nothing moved on the plan yet
    quiet: bool
    url: str

    @property
    def slipping_more(self) -> int:
        return max(self.behind + self.at_risk - len(self.slipping), 0)


def mentees_of(mentors: list[int], *, todays: dict[int, date]) -> dict[int, list[MenteeLine]]:
    """Per mentor (user ids), a line per active plan shared with them, by name; five queries for
    them all, none without mentors. ``todays`` is each mentor's local date: who is quiet is
    counted from it; where the goals stand is read as of the latest of them (a set is built at
    one moment, so its local dates are a day apart at most)."""
    if not mentors:
        return {}
    shares = (
        Share.objects.filter(user_id__in=mentors, plan__status=CareerPlan.Status.ACTIVE)
        .exclude(plan__owner_id=F("user_id"))
        .select_related("plan__owner")
        .order_by("plan_id")
    )
    plans_of: dict[int, list[CareerPlan]] = defaultdict(list)
    by_pk: dict[int, CareerPlan] = {}
    for share in shares:
        assert share.user_id is not None  # filtered on above
        plan = by_pk.setdefault(share.plan_id, share.plan)
        if plan not in plans_of[share.user_id]:
            plans_of[share.user_id].append(plan)
    if not by_pk:
        return {}
    ids = list(by_pk)
    latest = max(todays[mentor] for mentor in mentors)
    standings = plan_standings(
        list(by_pk.values()), today=latest, limit=MENTEE_GOALS_SHOWN, order=Order.SLIPPING
    )
    # Skill-level and certification goals read their plan's assessments and certifications (one
    # query each, only when such a goal is among them), or slipping() would read them plan by plan.
    prefetch_measured_facts([goal for standing in standings.values() for goal in standing.goals])
    moves = recorded_moves(ids, today=latest)
    assessed = (
        SkillAssessment.objects.filter(plan_id__in=ids).values("plan_id").annotate(last=Max("assessed_at"))
    )
    for entry in assessed.order_by():
        moves[entry["plan_id"]]["assessment"] = timezone.localdate(entry["last"])

    lines: dict[int, list[MenteeLine]] = {}
    for mentor, plans in plans_of.items():
        quiet_before = todays[mentor] - timedelta(days=MENTEE_QUIET_DAYS)
        rows = []
        for plan in plans:
            standing = standings[plan.pk]
            last = max(moves[plan.pk].values(), default=None)
            since = last or plan.created_at.date()
            rows.append(
                MenteeLine(
                    plan=plan,
                    name=display_name(plan.owner),
                    behind=standing.counts.get(TrackStatus.BEHIND, 0),
                    at_risk=standing.counts.get(TrackStatus.AT_RISK, 0),
                    slipping=standing.slipping(latest),
                    last_moved=last,
                    quiet=since < quiet_before,
                    url=settings.SITE_URL + plan.get_absolute_url(),
                )
            )
        lines[mentor] = sorted(rows, key=lambda row: (row.name.casefold(), row.plan.pk))
    return lines
