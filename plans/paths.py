"""Routes through the ladder's transitions, shortest first."""

from collections import deque
from dataclasses import dataclass

from django.core.cache import cache

from skills import versions
from skills.models import Role, RoleSkill, Transition

MAX_STEPS = 12
MAX_EXPANSIONS = 20_000
ROUTES_TIMEOUT = 24 * 60 * 60  # the key carries the ladder's version: this only frees memory


def routes_between(start: Role, goal: Role, *, limit: int = 3) -> list[list["Step"]]:
    """describe_routes(find_paths(start, goal)), cached under the ladder's version: routes change
    only when the ladder does, so a plan page rebuilt after a check-in reads them from the cache."""
    key = f"routes:{versions.current(versions.LADDER)}:{start.pk}:{goal.pk}:{limit}"
    routes = cache.get(key)
    if routes is None:
        routes = describe_routes(find_paths(start, goal, limit=limit))
        cache.set(key, routes, ROUTES_TIMEOUT)
    return routes


def find_paths(start: Role, goal: Role, *, limit: int = 3) -> list[list[Role]]:
    """Up to `limit` simple routes from start to goal, fewest steps first.

    Breadth-first over simple paths: the graph is a curated ladder (tens or hundreds
    of roles), read in one query; MAX_EXPANSIONS bounds the work on a pathological one.
    """
    if start.pk == goal.pk:
        return [[start]]
    graph: dict[int, list[int]] = {}
    for from_id, to_id in Transition.objects.values_list("from_role_id", "to_role_id").order_by(
        "to_role__level"
    ):
        graph.setdefault(from_id, []).append(to_id)

    found: list[list[int]] = []
    queue = deque([[start.pk]])
    expansions = 0
    while queue and len(found) < limit and expansions < MAX_EXPANSIONS:
        route = queue.popleft()
        expansions += 1
        if len(route) > MAX_STEPS:
            break
        for next_id in graph.get(route[-1], []):
            if next_id in route:
                continue
            if next_id == goal.pk:
                found.append([*route, next_id])
                if len(found) == limit:
                    break
            else:
                queue.append([*route, next_id])

    # With their tracks: each step links to its role page, which is addressed by track.
    roles = Role.objects.select_related("track").in_bulk({role_id for route in found for role_id in route})
    return [[roles[role_id] for role_id in route] for route in found]


@dataclass(frozen=True)
class Step:
    role: Role
    new_requirements: list[
        RoleSkill
    ]  # skills this role requires that the previous did not, or at a higher level


def describe_routes(routes: list[list[Role]]) -> list[list[Step]]:
    """Each route as steps, each step with what it newly requires; one query for all of them."""
    role_ids = {role.pk for route in routes for role in route}
    requirements: dict[int, dict[int, RoleSkill]] = {role_id: {} for role_id in role_ids}
    for req in RoleSkill.objects.filter(role_id__in=role_ids).select_related("skill"):
        requirements[req.role_id][req.skill_id] = req
    described = []
    for route in routes:
        steps = []
        for before, after in zip(route, route[1:], strict=False):
            had = requirements[before.pk]
            new = [
                r
                for r in requirements[after.pk].values()
                if r.skill_id not in had or had[r.skill_id].level < r.level
            ]
            steps.append(
                Step(role=after, new_requirements=sorted(new, key=lambda r: (-r.level, r.skill.name)))
            )
        described.append(steps)
    return described
