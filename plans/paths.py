"""Routes through the ladder's transitions, shortest first."""

import heapq
from collections import deque
from dataclasses import dataclass

from django.core.cache import cache

from base import versions
from skills.models import Role, RoleSkill, Transition

MAX_STEPS = 12
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
    """Up to `limit` simple routes from start to goal of at most MAX_STEPS steps, fewest steps first.

    Yen's k-shortest simple paths: the shortest route, then each next one the shortest that
    leaves an earlier route at one of its roles by a move none of them made there. Each route
    costs at most MAX_STEPS breadth-first passes over the roles that still reach the goal (a
    reverse pass gives each role's distance to it), so the work is bounded by the ladder's size
    whatever its density; enumerating routes breadth-first instead drowned in sideways detours. The
    transitions come from transition_graph(), cached per ladder version.
    """
    if start.pk == goal.pk:
        return [[start]]
    graph = transition_graph()
    to_goal = _distances_to(goal.pk, graph)
    if to_goal.get(start.pk, MAX_STEPS + 1) > MAX_STEPS:
        return []

    first = _shortest_route(graph, to_goal, start.pk, goal.pk, steps=MAX_STEPS)
    assert first is not None  # to_goal has the goal within MAX_STEPS of the start
    found = [first]
    candidates: list[tuple[int, int, list[int]]] = []  # (steps, order found, route): a heap
    seen = {tuple(found[0])}
    while len(found) < limit:
        last = found[-1]
        for i in range(len(last) - 1):
            root = last[: i + 1]
            # Leave the root at its last role by a move no route found so far makes after it.
            taken = {route[i + 1] for route in found if route[: i + 1] == root}
            tail = _shortest_route(
                graph, to_goal, root[-1], goal.pk, steps=MAX_STEPS - i, avoid=set(root[:-1]), not_first=taken
            )
            if tail is not None and tuple(route := root[:-1] + tail) not in seen:
                seen.add(tuple(route))
                heapq.heappush(candidates, (len(route), len(seen), route))
        if not candidates:
            break
        found.append(heapq.heappop(candidates)[2])

    # With their tracks: each step links to its role page, which is addressed by track.
    roles = Role.objects.select_related("track").in_bulk({role_id for route in found for role_id in route})
    return [[roles[role_id] for role_id in route] for route in found]


def _shortest_route(
    graph: dict[int, list[int]],
    to_goal: dict[int, int],
    start_id: int,
    goal_id: int,
    *,
    steps: int,
    avoid: frozenset[int] | set[int] = frozenset(),
    not_first: set[int] | frozenset[int] = frozenset(),
) -> list[int] | None:
    """The first shortest route (lower levels first, as the graph lists moves) from start to goal
    in at most ``steps`` steps, through no role of ``avoid`` and not moving first to a role of
    ``not_first``; None when there is none. Only roles that can still make it in time are visited:
    a role's distance to the goal in the whole graph is a floor for its distance here."""
    came_from = {start_id: start_id}
    frontier, depth = [start_id], 0
    while frontier and depth < steps:
        depth += 1
        reached = []
        for role_id in frontier:
            for next_id in graph.get(role_id, []):
                if next_id in came_from or next_id in avoid or (role_id == start_id and next_id in not_first):
                    continue
                if depth + to_goal.get(next_id, steps + 1) > steps:
                    continue
                came_from[next_id] = role_id
                if next_id == goal_id:
                    route = [goal_id]
                    while route[-1] != start_id:
                        route.append(came_from[route[-1]])
                    return route[::-1]
                reached.append(next_id)
        frontier = reached
    return None


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
