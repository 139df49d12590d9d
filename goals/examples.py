"""Which example goals (skills.GoalTemplate) the goal form offers a plan, and in which order.

Those for the plan's target role lead, then those for the other roles on its path (its current
role included), then the rest of its tracks' templates and those of no track; within each group,
the templates tagged with the plan's industry come first. One query for the templates; the path
comes from plans.paths.routes_between, cached per ladder version like the plan page's.
"""

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, OuterRef, Q, Value

from plans.models import CareerPlan
from plans.paths import routes_between
from skills.models import GoalTemplate


@dataclass(frozen=True)
class TemplateGroup:
    title: str
    templates: list[GoalTemplate]
    slug: str  # for the heading's id and the tests


def path_roles(plan: CareerPlan) -> list:
    """The roles on the plan's routes, from its current role to its target, each once."""
    roles = {plan.current_role.pk: plan.current_role, plan.target_role.pk: plan.target_role}
    for route in routes_between(plan.current_role, plan.target_role):
        for step in route:
            roles.setdefault(step.role.pk, step.role)
    return list(roles.values())


def template_groups(plan: CareerPlan) -> list[TemplateGroup]:
    """The templates the plan is offered, grouped (empty groups left out)."""
    roles = path_roles(plan)
    role_ids = {role.pk for role in roles}
    track_ids = {role.track_id for role in roles}
    templates = (
        GoalTemplate.objects.filter(
            Q(track_id__in=track_ids) | Q(track__isnull=True) | Q(role_id__in=role_ids)
        )
        .select_related("role")
        .annotate(for_industry=_tagged_with(plan.industry_id))
        .order_by("-for_industry", "horizon", "title", "pk")
    )
    groups: dict[str, list[GoalTemplate]] = {"target": [], "path": [], "other": []}
    for template in templates:
        if template.role_id == plan.target_role_id:
            groups["target"].append(template)
        elif template.role_id in role_ids:
            groups["path"].append(template)
        else:
            groups["other"].append(template)
    titles = {
        "target": f"For your target role, {plan.target_role.title}",
        "path": "For the roles on your path",
        "other": "Other examples" if groups["target"] or groups["path"] else "Examples",
    }
    return [TemplateGroup(titles[key], found, key) for key, found in groups.items() if found]


def _tagged_with(industry_id: int | None):
    """Whether a template is tagged with the industry, as a subquery (no query per template)."""
    if industry_id is None:
        return Value(False, output_field=BooleanField())
    tags = GoalTemplate.industries.through.objects.filter(
        goaltemplate_id=OuterRef("pk"), industry_id=industry_id
    )
    return Exists(tags)
