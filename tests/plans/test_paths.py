"""Path finding through the ladder's transitions."""

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
