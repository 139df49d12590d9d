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
    never queues routes that cannot reach the target (it queued over a million and took 255 MB)."""
    from skills.models import Transition
    from tests.factories import RoleFactory, TrackFactory

    track = TrackFactory()
    start, target = RoleFactory(track=track, level=1), RoleFactory(track=track, level=9)
    crowd = [RoleFactory(track=track, level=2) for _ in range(80)]
    Transition.objects.bulk_create(
        [Transition(from_role=a, to_role=b) for a in [start, *crowd] for b in crowd if a != b]
        + [Transition(from_role=start, to_role=target)]
    )
    queued = []

    class CountingDeque(paths.deque):
        def append(self, item):
            queued.append(item)
            super().append(item)

    monkeypatch.setattr(paths, "deque", CountingDeque)

    assert titles(find_paths(start, target)) == [[start.slug, target.slug]]
    assert len(queued) <= 1  # the reverse pass's frontier: only the target and the start reach it

    # Every role reaching the target: the three shortest routes come at once, the queue bounded.
    Transition.objects.bulk_create([Transition(from_role=role, to_role=target) for role in crowd])
    versions.bump(versions.LADDER)  # bulk_create sends no signal: writers bump it themselves
    queued.clear()
    routes = find_paths(start, target)
    assert [len(route) for route in routes] == [2, 3, 3]
    assert len(queued) <= paths.MAX_QUEUED + 200


def test_the_transition_graph_is_read_once_per_ladder_version(ladder, django_assert_num_queries):
    find_paths(ladder.roles["analyst"], ladder.roles["pm"])
    # The ladder's version (outside a request nothing remembers it) and the roles of the route; the
    # graph comes from the cache.
    with django_assert_num_queries(2):
        find_paths(ladder.roles["pm"], ladder.roles["leader"])
    TransitionFactory(from_role=ladder.roles["analyst"], to_role=ladder.roles["pm"])  # the ladder changes
    assert ["analyst", "pm"] in titles(find_paths(ladder.roles["analyst"], ladder.roles["pm"]))
