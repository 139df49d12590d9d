"""An import keeps the milestone rule (Milestone.clean): a milestone outside its goal's start and
deadline is refused, naming the entry and the field, and nothing is written (issue 20)."""

import pytest

from goals.importing import ImportRefused, import_document
from goals.models import Milestone

pytestmark = [
    pytest.mark.usefixtures("frozen_time"),
    # goals/importing.py is not this change's to edit: its owner applies the rule in the checker
    # (values() given the goal's dates); strict, so this fails once it is applied and the mark goes.
    pytest.mark.xfail(
        strict=True, reason="goals/importing.py does not check milestones against their goal yet"
    ),
]


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
