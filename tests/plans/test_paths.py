"""Path finding through the ladder's transitions."""

from base import versions
from plans import paths
from plans.paths import describe_routes, find_paths
from tests.factories import TransitionFactory


def titles(routes):
    return [[r.slug for r in route] for route in routes]


def test_single_route_on_a_straight_ladder(ladder):
    assert titles(find_paths(ladder.roles["analyst"], ladder.roles["pm"])) == [["analyst", "apm", "pm"]]


def test_branching_ladder_gives_several_routes_shortest_first(ladder):
    routes = titles(find_paths(ladder.roles["pm"], ladder.roles["leader"]))
    assert routes[0] in (["pm", "senior", "leader"], ["pm", "group", "leader"])
    assert sorted(routes[:2]) == [["pm", "group", "leader"], ["pm", "senior", "leader"]]
    assert routes[2] == ["pm", "senior", "group", "leader"]
    assert len(routes) == 3


def test_at_most_the_limit(ladder):
    assert len(find_paths(ladder.roles["pm"], ladder.roles["leader"], limit=2)) == 2


def test_no_route(ladder):
    assert find_paths(ladder.roles["apm"], ladder.roles["island"]) == []
    assert find_paths(ladder.roles["leader"], ladder.roles["apm"]) == []  # transitions only go up here


def test_cycles_do_not_loop(ladder):
    TransitionFactory(from_role=ladder.roles["group"], to_role=ladder.roles["pm"])
    routes = titles(find_paths(ladder.roles["apm"], ladder.roles["leader"]))
    assert routes[0][0] == "apm" and routes[0][-1] == "leader"
    assert all(len(set(r)) == len(r) for r in routes)


def test_each_step_lists_what_it_newly_requires(ladder):
    [route] = describe_routes([[ladder.roles["apm"], ladder.roles["pm"]]])
    step = route[0]
    assert step.role == ladder.roles["pm"]
    new = {(r.skill.slug, r.level) for r in step.new_requirements}
    # apm: strategy 1, market 2, communication 3; pm: strategy 2, market 3, communication 3, leadership 2
    assert new == {("strategy", 2), ("market", 3), ("leadership", 2)}


def test_a_dense_ladder_costs_bounded_work(db, monkeypatch):
    """80 roles all connected to each other, and a target only the start leads to: the search
    never looks at roles that cannot reach the target (it once queued over a million routes and
    took 255 MB)."""
    from skills.models import Transition
    from tests.factories import RoleFactory, TrackFactory

    track = TrackFactory()
    start, target = RoleFactory(track=track, level=1), RoleFactory(track=track, level=9)
    crowd = [RoleFactory(track=track, level=2) for _ in range(80)]
    Transition.objects.bulk_create(
        [Transition(from_role=a, to_role=b) for a in [start, *crowd] for b in crowd if a != b]
        + [Transition(from_role=start, to_role=target)]
    )
    looked_up = []

    class CountingGraph(dict):
        def get(self, role_id, default=None):
            looked_up.append(role_id)
            return super().get(role_id, default)

    graph = paths.transition_graph
    monkeypatch.setattr(paths, "transition_graph", lambda: CountingGraph(graph()))

    assert titles(find_paths(start, target)) == [[start.slug, target.slug]]
    assert set(looked_up) == {start.pk}  # the crowd cannot reach the target: never opened

    # Every role reaching the target: the three shortest routes come at once, the work bounded by
    # one breadth-first pass over the ladder per step of each route.
    Transition.objects.bulk_create([Transition(from_role=role, to_role=target) for role in crowd])
    versions.bump(versions.LADDER)  # bulk_create sends no signal: writers bump it themselves
    looked_up.clear()
    routes = find_paths(start, target)
    assert [len(route) for route in routes] == [2, 3, 3]
    assert len(looked_up) <= 3 * 2 * 82


def test_the_transition_graph_is_read_once_per_ladder_version(ladder, django_assert_num_queries):
    find_paths(ladder.roles["analyst"], ladder.roles["pm"])
    # The ladder's version (outside a request nothing remembers it) and the roles of the route; the
    # graph comes from the cache.
    with django_assert_num_queries(2):
        find_paths(ladder.roles["pm"], ladder.roles["leader"])
    TransitionFactory(from_role=ladder.roles["analyst"], to_role=ladder.roles["pm"])  # the ladder changes
    assert ["analyst", "pm"] in titles(find_paths(ladder.roles["analyst"], ladder.roles["pm"]))


def dense_ladder(layers: int, width: int) -> list[list]:
    """`layers` levels of `width` roles, each role moving to every other role of its level and to
    every role of the next: a ladder where lateral moves are open everywhere."""
    from skills.models import Transition
    from tests.factories import RoleFactory, TrackFactory

    track = TrackFactory()
    levels = [[RoleFactory.build(track=track, level=n + 1) for _ in range(width)] for n in range(layers)]
    Role = levels[0][0].__class__
    levels = [Role.objects.bulk_create(level) for level in levels]
    Transition.objects.bulk_create(
        [Transition(from_role=a, to_role=b) for level in levels for a in level for b in level if a != b]
        + [
            Transition(from_role=a, to_role=b)
            for low, high in zip(levels, levels[1:], strict=False)
            for a in low
            for b in high
        ]
    )
    versions.bump(versions.LADDER)  # bulk_create sends no signal
    return levels


def test_a_dense_ladder_still_gives_a_role_four_steps_away_its_shortest_routes(
    db, django_assert_max_num_queries
):
    """Layers of 30 roles with lateral moves everywhere: routes that wander sideways used to fill
    the queue's cap before any reached the fourth level, and the plan showed no route at all."""
    import time

    levels = dense_ladder(layers=5, width=30)
    start, target = levels[0][0], levels[4][7]

    began = time.perf_counter()
    # The ladder's version, the transition graph (read once for this version), the routes' roles.
    with django_assert_max_num_queries(3):
        routes = find_paths(start, target)
    elapsed = time.perf_counter() - began

    assert [len(route) - 1 for route in routes] == [4, 4, 4]
    for route in routes:
        assert route[0] == start and route[-1] == target
        assert [role.level for role in route] == [1, 2, 3, 4, 5]  # no sideways step: each is shortest
    assert len({tuple(route) for route in routes}) == 3
    assert elapsed < 1.0


def test_in_a_dense_ladder_a_role_one_step_further_is_found_too(db):
    levels = dense_ladder(layers=6, width=30)
    routes = find_paths(levels[0][0], levels[5][0], limit=2)
    assert [len(route) - 1 for route in routes] == [5, 5]
