"""People who share their plans with one mentor, for the mentoring pages' tests (the people page,
the skills heatmap, the browser test): one at a time with factories, or many in bulk."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from plans.models import CareerPlan, SkillAssessment
from plans.sharing.models import Share
from tests.goals.factories import CheckInFactory, GoalFactory


def mentee(mentor, *, name: str, current, target, levels: dict | None = None, assessed_days_ago: int = 1):
    """A person named ``name`` whose plan (current → target role) is shared with ``mentor`` and
    accepted, with ``levels`` ({Skill: level}) self-assessed ``assessed_days_ago`` days ago."""
    username = name.lower().replace(" ", ".")
    person = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", first_name=name, password="x"
    )
    plan = CareerPlan.objects.create(
        owner=person, title=f"{name}'s plan", current_role=current, target_role=target, is_primary=True
    )
    when = timezone.now() - datetime.timedelta(days=assessed_days_ago)
    for skill, level in (levels or {}).items():
        SkillAssessment.objects.create(plan=plan, skill=skill, level=level, assessed_at=when)
    Share.objects.create(plan=plan, email=mentor.email, user=mentor, accepted_at=timezone.now())
    return plan


def behind_goal(plan, title: str = "Run 12 customer interviews"):
    """An active goal five months in, a month from its deadline, with no progress: behind."""
    today = timezone.localdate()
    return GoalFactory(
        plan=plan,
        title=title,
        start_date=today - datetime.timedelta(days=150),
        deadline=today + datetime.timedelta(days=30),
    )


def on_track_goal(plan, title: str = "Read two product books"):
    """An active goal that has just started, with a check-in today: on track."""
    goal = GoalFactory(plan=plan, title=title, deadline=timezone.localdate() + datetime.timedelta(days=200))
    CheckInFactory(goal=goal, value=1)
    return goal


def many_mentees(mentor, count: int, *, current, target, skills: list) -> list[CareerPlan]:
    """``count`` people sharing a plan each with ``mentor``, in bulk: each with every skill in
    ``skills`` assessed twice (40 and 2 days ago) and a goal behind with a check-in."""
    user_model = get_user_model()
    start = user_model.objects.count()
    people = user_model.objects.bulk_create(
        [
            user_model(
                username=f"mentee{start + n}",
                email=f"mentee{start + n}@example.com",
                first_name=f"Mentee {n}",
            )
            for n in range(count)
        ]
    )
    plans = CareerPlan.objects.bulk_create(
        [
            CareerPlan(owner=p, title=f"Plan of mentee {n}", current_role=current, target_role=target)
            for n, p in enumerate(people)
        ]
    )
    now, today = timezone.now(), timezone.localdate()
    SkillAssessment.objects.bulk_create(
        [
            SkillAssessment(
                plan=plan, skill=skill, level=level, assessed_at=now - datetime.timedelta(days=days)
            )
            for n, plan in enumerate(plans)
            for k, skill in enumerate(skills)
            for level, days in ((1, 40), (1 + (n + k) % 4, 2))
        ]
    )
    Share.objects.bulk_create(
        [
            Share(plan=plan, email=mentor.email, user=mentor, accepted_at=now, token=f"t{plan.pk}")
            for plan in plans
        ]
    )
    from goals.models import CheckIn, Goal

    goals = Goal.objects.bulk_create(
        [
            Goal(
                plan=plan,
                title=f"Goal of mentee {n}",
                metric="Interviews",
                unit="interviews",
                baseline=0,
                target=10,
                relevance="Needed.",
                start_date=today - datetime.timedelta(days=150),
                deadline=today + datetime.timedelta(days=30 + n),
            )
            for n, plan in enumerate(plans)
        ]
    )
    CheckIn.objects.bulk_create([CheckIn(goal=g, value=1, checked_on=today) for g in goals])
    return plans
