"""How many plans a ladder import's changes reach, for the import's preview in the admin:
skills.ladder.preview shows it beside each change to what a role requires, and cannot import
plans itself (skills sits below plans), so PlansConfig.ready registers plans_by_role there."""

from collections.abc import Collection

from django.db.models import Func, OuterRef, Q, Subquery

from plans.models import CareerPlan
from skills.models import Role


def plans_by_role(role_ids: Collection[int]) -> dict[int, int]:
    """{role pk: how many plans have it as their current or target role}, in one query. Every
    plan counts, archived ones too: each shows the role's requirements in its gaps and history."""
    naming = (
        CareerPlan.objects.filter(Q(current_role=OuterRef("pk")) | Q(target_role=OuterRef("pk")))
        .order_by()
        .values(count=Func("pk", function="COUNT"))
    )
    roles = Role.objects.filter(pk__in=role_ids).annotate(plans=Subquery(naming)).order_by()
    return dict(roles.values_list("pk", "plans"))
