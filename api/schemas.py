"""What the API answers: one schema per object, shared by the lists and the details."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema


class RoleRef(Schema):
    slug: str
    title: str
    level: int
    track: str  # the track's slug


class Me(Schema):
    id: int
    name: str
    email: str
    token_name: str
    scopes: list[str]
    token_expires_at: datetime


class PlanOut(Schema):
    id: int
    title: str
    status: str
    is_primary: bool
    owned: bool  # False: a plan shared with the token's person (they mentor it)
    current_role: RoleRef
    target_role: RoleRef
    target_date: date | None
    vision: str
    created_at: datetime
    updated_at: datetime
    url: str


class PlanPage(Schema):
    items: list[PlanOut]
    next_cursor: str | None


class Readiness(Schema):
    percent: int | None  # None until a required skill is assessed
    assessed: int
    total: int
    open_gaps: int


class Gap(Schema):
    skill: str  # slug
    skill_name: str
    required: int
    current: int | None
    gap: int | None


class PlanDetail(PlanOut):
    readiness: Readiness
    gaps: list[Gap]
    routes: list[list[RoleRef]]  # shortest first, from current to target role


class GoalOut(Schema):
    id: int
    plan: int
    title: str
    description: str
    metric: str
    unit: str
    baseline: Decimal
    target: Decimal
    current_value: Decimal
    progress_percent: int
    track_status: str
    plan_of_attack: str
    effort: str
    skill: str | None
    certification: str | None
    role: str | None
    relevance: str
    start_date: date
    deadline: date
    horizon: str
    status: str
    reminder_cadence: str
    next_check_in_on: date | None
    created_at: datetime
    completed_at: datetime | None
    url: str


class GoalPage(Schema):
    items: list[GoalOut]
    next_cursor: str | None


class CheckInOut(Schema):
    id: int
    goal: int
    value: Decimal
    note: str
    checked_on: date
    created_at: datetime


class CheckInPage(Schema):
    items: list[CheckInOut]
    next_cursor: str | None


class CheckInIn(Schema):
    value: Decimal
    note: str = ""
    checked_on: date | None = None  # today when left out


class GoalStatusIn(Schema):
    status: str


class MilestoneOut(Schema):
    id: int
    goal: int
    title: str
    due_date: date
    done_at: datetime | None


class MilestoneIn(Schema):
    title: str
    due_date: date


class MilestoneDoneIn(Schema):
    done: bool
