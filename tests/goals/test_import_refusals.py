"""Refusals the issue named (issue 28): an import the database refuses half-way leaves nothing
behind, and a self-assessed level with a fraction is refused in words, naming its place, before
the database could give its own message."""

import logging
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.models import CheckIn, Goal, GoalComment, Milestone, ReminderSettings
from goals.portability.export import dump
from goals.portability.reading import ImportRefused
from goals.portability.writing import import_document
from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
from plans.sharing.models import Comment
from tests.conftest import NOW
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

WRITTEN = (
    CareerPlan,
    Goal,
    CheckIn,
    Milestone,
    GoalComment,
    SkillAssessment,
    PlanCertification,
    Activity,
    Comment,
)


def _everything(user) -> dict:
    """What an import could write, by kind, and the person's reminder settings."""
    counts = {model.__name__: model.objects.count() for model in WRITTEN}
    counts["plan history"] = CareerPlan.history.count()
    counts["activity skills"] = Activity.skills.through.objects.count()
    settings = ReminderSettings.for_user(user)
    counts["settings"] = (settings.timezone, settings.hour, settings.weekday, settings.unsubscribed_at)
    return counts


def test_an_import_the_database_refuses_half_way_leaves_nothing_written(document, bob):
    """The check-ins go in last, after the plans, goals, assessments and activities: a check-in
    that breaks the database's rule (an assessed level with a fraction) stands for any rule the
    checks might miss. ``validated=True`` skips the checks, as for a file checked on upload."""
    # Made later than Alice's plans: a plan is known by its moment of creation.
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        CareerPlanFactory(owner=bob, title="Bob's own", is_primary=True)
    document["plans"][0]["goals"][0]["check_ins"][0]["value"] = "2.5"
    before = _everything(bob)

    with pytest.raises(ImportRefused) as refused:
        import_document(document, user=bob, validated=True)

    [problem] = refused.value.problems  # the database's own words: SQLite's and PostgreSQL's differ
    assert problem.startswith("The file breaks a rule of this CareerPath's data: ")
    assert "checkin_assessed_level_whole_in_range" in problem
    assert _everything(bob) == before
    assert list(CareerPlan.objects.filter(owner=bob).values_list("title", "is_primary")) == [
        ("Bob's own", True)
    ]


def test_an_import_the_database_refuses_is_logged_with_the_databases_words(document, bob, caplog):
    """A rule the checks missed is a bug to look into: the log names the database's refusal."""
    document["plans"][0]["goals"][0]["check_ins"][0]["value"] = "2.5"

    with caplog.at_level(logging.WARNING, logger="goals.portability.writing"), pytest.raises(ImportRefused):
        import_document(document, user=bob, validated=True)

    [record] = [r for r in caplog.records if r.name == "goals.portability.writing"]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("Import refused by the database: ")
    assert "checkin_assessed_level_whole_in_range" in record.getMessage()


def test_a_check_in_assessing_half_a_level_is_refused_by_name_not_by_the_database(document, bob):
    document["plans"][0]["goals"][0]["check_ins"][0]["value"] = "2.5"
    before = _everything(bob)

    with pytest.raises(ImportRefused) as refused:
        import_document(document, user=bob)

    assert refused.value.problems == [
        "plans[0].goals[0] ('Reach level 4 in market analysis'): check_ins[0].value: "
        "records a self-assessment, so it must be a whole level from 1 to 5"
    ]
    assert _everything(bob) == before


@pytest.mark.parametrize(("level", "kind"), [(2.5, "a number"), ("2.5", "text")])
def test_a_self_assessment_of_half_a_level_is_refused_by_name(document, bob, level, kind):
    document["plans"][0]["assessments"][0]["level"] = level
    before = _everything(bob)

    with pytest.raises(ImportRefused) as refused:
        import_document(document, user=bob)

    assert refused.value.problems == [
        f"plans[0] ('Become a Senior PM'): assessments[0].level: must be a whole number, not {kind}"
    ]
    assert _everything(bob) == before


def test_the_upload_page_names_half_a_level_and_keeps_nothing(client, document, bob):
    document["plans"][0]["goals"][0]["check_ins"][0]["value"] = "2.5"
    client.force_login(bob)
    upload = SimpleUploadedFile("careerpath.json", dump(document).encode(), content_type="application/json")

    response = client.post(reverse("goals:import"), {"file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Nothing was imported. The file cannot be imported as it is:",
        "plans[0].goals[0] ('Reach level 4 in market analysis'): check_ins[0].value: "
        "records a self-assessment, so it must be a whole level from 1 to 5",
    ]
    assert "CHECK constraint" not in response.content.decode()
    assert not CareerPlan.objects.filter(owner=bob).exists()


@pytest.mark.parametrize("level", ["1", "5"])
def test_a_check_in_assessing_the_first_or_the_top_level_imports(document, bob, level):
    """A self-assessment runs from 1 to 5, both included: a check-in recording one at either end
    comes in with its assessment."""
    goal = document["plans"][0]["goals"][0]
    goal["check_ins"][0]["value"] = level

    import_document(document, user=bob)

    imported = CheckIn.objects.get(goal__plan__owner=bob, goal__title=goal["title"], note="two")
    assert imported.value == Decimal(level) and imported.assessment is not None


@pytest.mark.parametrize("level", ["0", "6"])
def test_a_check_in_assessing_a_level_beyond_either_end_is_refused_by_name(document, bob, level):
    document["plans"][0]["goals"][0]["check_ins"][0]["value"] = level

    with pytest.raises(ImportRefused) as refused:
        import_document(document, user=bob)

    assert refused.value.problems == [
        "plans[0].goals[0] ('Reach level 4 in market analysis'): check_ins[0].value: "
        "records a self-assessment, so it must be a whole level from 1 to 5"
    ]
    assert not CareerPlan.objects.filter(owner=bob).exists()
