"""Routes through the ladder's transitions, shortest first."""

from collections import deque
from dataclasses import dataclass

from django.core.cache import cache

from base import versions
from skills.models import Role, RoleSkill, Transition

MAX_STEPS = 12
MAX_EXPANSIONS = 20_000
MAX_QUEUED = 20_000
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

    Breadth-first over simple paths, bounded whatever the ladder: a route is only extended to a
    role from which the goal can still be reached within MAX_STEPS (a reverse breadth-first pass
    gives each role's distance to the goal), at most MAX_EXPANSIONS routes are extended and at
    most MAX_QUEUED wait. The transitions come from transition_graph(), cached per ladder version.
    """
    if start.pk == goal.pk:
        return [[start]]
    graph = transition_graph()
    to_goal = _distances_to(goal.pk, graph)
    if start.pk not in to_goal:
        return []

    found: list[list[int]] = []
    queue = deque([[start.pk]])
    queued = expansions = 0
    while queue and len(found) < limit and expansions < MAX_EXPANSIONS:
        route = queue.popleft()
        expansions += 1
        for next_id in graph.get(route[-1], []):
            if next_id == goal.pk:
                found.append([*route, next_id])
                if len(found) == limit:
                    break
            elif (
                next_id not in route
                and len(route) + to_goal.get(next_id, MAX_STEPS + 1) <= MAX_STEPS
                and queued < MAX_QUEUED
            ):
                queue.append([*route, next_id])
                queued += 1

    # With their tracks: each step links to its role page, which is addressed by track.
    roles = Role.objects.select_related("track").in_bulk({role_id for route in found for role_id in route})
    return [[roles[role_id] for role_id in route] for route in found]


def transition_graph() -> dict[int, list[int]]:
    """Each role's next roles (lower levels first), read once per ladder version."""
    key = f"transition-graph:{versions.current(versions.LADDER)}"
    graph = cache.get(key)
    if graph is None:
        graph = {}
        rows = Transition.objects.values_list("from_role_id", "to_role_id").order_by("to_role__level", "pk")
        for from_id, to_id in rows:
            graph.setdefault(from_id, []).append(to_id)
        cache.set(key, graph, ROUTES_TIMEOUT)
    return graph


def _distances_to(goal_id: int, graph: dict[int, list[int]]) -> dict[int, int]:
    """Steps from each role that can reach the goal to the goal (a breadth-first pass backwards)."""
    incoming: dict[int, list[int]] = {}
    for from_id, to_ids in graph.items():
        for to_id in to_ids:
            incoming.setdefault(to_id, []).append(from_id)
    distances, frontier = {goal_id: 0}, deque([goal_id])
    while frontier:
        role_id = frontier.popleft()
        for before in incoming.get(role_id, []):
            if before not in distances:
                distances[before] = distances[role_id] + 1
                frontier.append(before)
    return distances


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
