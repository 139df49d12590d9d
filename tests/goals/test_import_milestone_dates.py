"""An import keeps the milestone rule (Milestone.clean): a milestone outside its goal's start and
deadline is refused, naming the entry and the field, and nothing is written (issue 20)."""

import pytest

from goals.models import Milestone
from goals.portability.reading import ImportRefused
from goals.portability.writing import import_document

pytestmark = pytest.mark.usefixtures("frozen_time")


def test_a_milestone_before_its_goal_starts_is_refused(document, bob):
    goal = document["plans"][0]["goals"][0]
    goal["milestones"][0]["due_date"] = "2020-01-01"
    with pytest.raises(ImportRefused) as refused:
        import_document(document, user=bob)
    assert refused.value.problems == [
        "plans[0].goals[0].milestones[0] ('Course done'): due_date: That is before the goal's start date "
        "(15 Jun 2026): a milestone is a step between its start and its deadline."
    ]
    assert not Milestone.objects.filter(goal__plan__owner=bob).exists()
    goal["milestones"][0]["due_date"] = goal["deadline"]  # on the deadline: imported
    import_document(document, user=bob)
    assert Milestone.objects.filter(goal__plan__owner=bob, due_date=goal["deadline"]).exists()


def test_a_milestone_after_its_goals_deadline_is_refused(document, bob):
    goal = document["plans"][0]["goals"][0]
    goal["milestones"][1]["due_date"] = "2099-01-01"
    with pytest.raises(ImportRefused) as refused:
        import_document(document, user=bob)
    [problem] = refused.value.problems
    assert problem.startswith("plans[0].goals[0].milestones[1] (")
    assert "due_date: That is after the goal's deadline (" in problem
    assert not Milestone.objects.filter(goal__plan__owner=bob).exists()


def test_a_goal_whose_dates_are_wrong_is_refused_once_not_for_each_milestone(document, bob):
    """The deadline before the start is the goal's problem: its milestones are not held against
    dates that mean nothing."""
    goal = document["plans"][0]["goals"][0]
    goal["deadline"], goal["start_date"] = goal["start_date"], goal["deadline"]
    with pytest.raises(ImportRefused) as refused:
        import_document(document, user=bob)
    assert [p for p in refused.value.problems if "milestones" in p] == []
    assert any(p.startswith("plans[0].goals[0] (") for p in refused.value.problems)


def test_a_milestone_due_outside_the_dates_any_form_takes_is_refused_for_that(document, bob):
    """Its date's own error (before 1900), not a TypeError from comparing the text the field's
    validators left with the goal's dates (found by tests/goals/test_import_generated.py)."""
    document["plans"][0]["goals"][0]["milestones"][0]["due_date"] = "1899-12-31"
    with pytest.raises(ImportRefused) as refused:
        import_document(document, user=bob)
    [problem] = refused.value.problems
    assert problem.startswith("plans[0].goals[0].milestones[0] (") and ": due_date: " in problem
    assert "before the goal's start" not in problem


@pytest.mark.parametrize(
    ("field", "out_of_bounds", "milestone_due"),
    [("deadline", "2201-01-01", "2020-01-01"), ("start_date", "1899-12-31", "2099-01-01")],
    ids=[
        "a deadline past 2200, a milestone before the start",
        "a start before 1900, a milestone past the deadline",
    ],
)
def test_a_goal_with_one_date_no_form_takes_is_refused_for_it_alone(
    document, bob, field, out_of_bounds, milestone_due
):
    """One of the goal's dates outside 1900 to 2200 is the goal's problem, said once: its
    milestones are held against neither date, the other being good or not."""
    goal = document["plans"][0]["goals"][0]
    goal[field] = out_of_bounds
    goal["milestones"][0]["due_date"] = milestone_due

    with pytest.raises(ImportRefused) as refused:
        import_document(document, user=bob)

    assert refused.value.problems == [
        f"plans[0].goals[0] ('Reach level 4 in market analysis'): {field}: Enter a date between 1900 and 2200."
    ]
