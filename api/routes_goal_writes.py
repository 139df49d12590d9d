"""Making and changing goals through the API: the goal page's GoalForm (every SMART rule a field
error) and goals.services.goal_save, as the pages do. Skill, certification and role are named by
slug, as the API answers them."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Schema, Status

from api.auth import require_write
from api.problems import InvalidFields, Problem
from api.routes_goals import _goals, goal_out, router  # one router per path: GET and POST share it
from api.schemas import GoalOut
from goals import services
from goals.access import get_goal_for_user
from goals.forms import GoalForm
from goals.models import Goal, prefetch_measured_facts
from plans.access import get_plan_for_user
from skills.models import Certification, Role, Skill

WRITE_ERRORS: dict[int, type] = {401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}


class GoalIn(Schema):
    title: str
    description: str = ""
    metric: str
    unit: str
    baseline: Decimal
    target: Decimal
    plan_of_attack: str = ""
    attack_later: bool = False  # "I'll work out how later", when there is no plan of attack yet
    effort: str = ""
    skill: str | None = None  # slugs, as the API answers them
    certification: str | None = None
    role: str | None = None
    relevance: str = ""
    start_date: date | None = None  # today when left out
    deadline: date
    reminder_cadence: Goal.Cadence = Goal.Cadence.WEEKLY


SLUGGED = {"skill": Skill, "certification": Certification, "role": Role}


def _form_data(payload: GoalIn) -> dict[str, Any]:
    """The form's fields as a browser posts them; an unknown slug is a field error."""
    data: dict[str, Any] = {}
    for name, value in payload.model_dump().items():
        if name in SLUGGED:
            value = _id_of(name, value)
        elif name == "attack_later":
            value = "on" if value else ""
        elif value is None:
            value = ""
        data[name] = str(value)
    if not data["start_date"]:
        data["start_date"] = timezone.localdate().isoformat()
    return data


def _id_of(name: str, slug: str | None) -> str:
    if not slug:
        return ""
    model = SLUGGED[name]
    pk = model.objects.filter(slug=slug).values_list("pk", flat=True).first()  # type: ignore[attr-defined]
    if pk is None:
        raise InvalidFields({name: [f"No {name} has the slug “{slug[:60]}”."]})
    return str(pk)


def _saved(request: HttpRequest, form: GoalForm) -> dict[str, Any]:
    if not form.is_valid():
        raise InvalidFields({f: [str(m) for m in ms] for f, ms in form.errors.items()})
    goal = services.goal_save(goal=form.save(commit=False))
    fresh = get_goal_for_user(request, goal.pk, queryset=_goals())
    prefetch_measured_facts([fresh])
    return goal_out(request, fresh)


@router.post("/plans/{int:plan_id}/goals", response={201: GoalOut, **WRITE_ERRORS}, url_name="plan_goals")
def goal_create(request: HttpRequest, plan_id: int, payload: GoalIn) -> Status:
    """Add a SMART goal to the plan, with the checks of the goal form."""
    require_write(request)
    plan = get_plan_for_user(request, plan_id, write=True)
    return Status(201, _saved(request, GoalForm(_form_data(payload), plan=plan)))


@router.put("/goals/{int:goal_id}", response={200: GoalOut, **WRITE_ERRORS}, url_name="goal")
def goal_update(request: HttpRequest, goal_id: int, payload: GoalIn) -> dict[str, Any]:
    """Replace the goal's fields (its status changes through /status), with the goal form's checks."""
    require_write(request)
    goal = get_goal_for_user(request, goal_id, write=True)
    return _saved(request, GoalForm(_form_data(payload), instance=goal, plan=goal.plan))


@router.delete("/goals/{int:goal_id}", response={204: None, **WRITE_ERRORS}, url_name="goal")
def goal_remove(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Delete the goal with its check-ins, milestones and comments, as the goal page's delete button
    does: the self-assessments and certification its check-ins recorded stay on the plan."""
    require_write(request)
    services.goal_delete(goal=get_goal_for_user(request, goal_id, write=True))
    return HttpResponse(status=204)
