"""Importing an export: a round trip that gives back the same document, refusals that name the
entry and the field and change nothing, idempotence, and the ladder entries an instance lacks."""

import copy
import json
from datetime import timedelta

import pytest
import time_machine

from goals.models import CheckIn, Goal, Milestone, ReminderSettings
from goals.portability.checking import check
from goals.portability.export import export_person, export_plan
from goals.portability.reading import MAX_BYTES, ImportRefused, read_document
from goals.portability.writing import import_document
from plans.models import Activity, CareerPlan, SkillAssessment
from skills.models import Certification, Role, Skill
from tests.conftest import NOW
from tests.goals.import_fixtures import (  # noqa: F401 (the fixtures of the rows written once)
    as_ladder_editor,
    exported_once,
    shared_alice,
    shared_bob,
    shared_document,
    shared_owned,
    shared_plan,
    written_once,
)
from tests.plans.factories import CareerPlanFactory

# The people, the ladder and Alice's data (`owned`) are written once for the module, and alice,
# bob, plan, owned and document are read afresh for each test (tests/goals/import_fixtures.py).
pytestmark = pytest.mark.usefixtures("frozen_time")


def _without_export_time(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "exported_at"}


def test_a_round_trip_gives_back_the_same_document(owned, alice, bob):
    """Export Alice's data, import it as Bob, export Bob's: the two documents are equal, field by
    field: assessments with their history, check-ins, timestamps, reminder settings."""
    exported = export_person(alice)

    report = import_document(json.loads(json.dumps(exported)), user=bob)

    assert [plan.title for plan in report.plans] == [plan["title"] for plan in exported["plans"]]
    assert _without_export_time(export_person(bob)) == _without_export_time(exported)


def test_a_round_trip_onto_a_fresh_database_with_the_same_ladder(owned, alice, bob):
    """The database keeps only the ladder: Alice's plans are gone before Bob imports them."""
    exported = export_person(alice)
    CareerPlan.objects.filter(owner=alice).delete()
    ReminderSettings.objects.filter(user=alice).delete()

    import_document(exported, user=bob)

    assert _without_export_time(export_person(bob)) == _without_export_time(exported)


def test_importing_the_same_file_twice_adds_nothing_the_second_time(owned, alice, bob):
    exported = export_person(alice)
    import_document(exported, user=bob)
    counts = [
        model.objects.count() for model in (CareerPlan, Goal, CheckIn, Milestone, SkillAssessment, Activity)
    ]

    preview = check(exported, user=bob)
    report = import_document(exported, user=bob)

    assert preview.new_plans == [] and set(preview.known_plans) == {p["title"] for p in exported["plans"]}
    assert report.plans == []
    assert [
        model.objects.count() for model in (CareerPlan, Goal, CheckIn, Milestone, SkillAssessment, Activity)
    ] == counts


def test_a_plan_export_imports_on_its_own_and_a_person_imports_their_own_file_without_duplicates(
    owned, alice, plan
):
    document = export_plan(plan)
    assert check(document, user=alice).known_plans == [plan.title]
    assert import_document(document, user=alice).plans == []
    assert CareerPlan.objects.filter(owner=alice).count() == 2


def test_the_imported_goals_get_their_reminders_scheduled(owned, alice, bob):
    import_document(export_person(alice), user=bob)
    goal = Goal.objects.get(plan__owner=bob, title=owned.title)
    assert goal.next_reminder_at is not None


def test_an_imported_primary_plan_does_not_displace_the_importers_own(owned, alice, bob):
    # Made later than Alice's plans: made at the same moment, hers would all look held already
    # (a plan is known by its moment of creation) and nothing would be imported.
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        CareerPlanFactory(owner=bob, title="Bob's own", is_primary=True)
    assert len(import_document(export_person(alice), user=bob).plans) == 2
    assert list(CareerPlan.objects.filter(owner=bob, is_primary=True).values_list("title", flat=True)) == [
        "Bob's own"
    ]


# --- Refusals: each names the entry and the field, and nothing is written ----------------------


def _refusal(document, user) -> list[str]:
    before = [model.objects.count() for model in (CareerPlan, Goal, CheckIn, Skill, Role)]
    with pytest.raises(ImportRefused) as refused:
        import_document(document, user=user)
    assert [model.objects.count() for model in (CareerPlan, Goal, CheckIn, Skill, Role)] == before
    return refused.value.problems


def test_a_wrong_version_is_refused(document, bob):
    document["version"] = 2
    assert _refusal(document, bob) == ["version: 2 is not a version this CareerPath reads (it reads 1)."]


def test_a_file_of_another_kind_is_refused(bob):
    assert _refusal({"format": "careerpath-ladder", "version": 1}, bob) == [
        "format: 'careerpath-ladder' is not a CareerPath export ('careerpath-plan')."
    ]


def test_a_bad_value_is_refused_naming_the_goal_and_the_field(document, bob):
    goal = document["plans"][0]["goals"][1]
    goal["deadline"] = "2026-02-30"
    problems = _refusal(document, bob)
    assert len(problems) == 1
    assert problems[0].startswith("plans[0].goals[1] ('Run 6 customer interviews'): deadline: ")
    assert "invalid date" in problems[0]


def test_a_deadline_before_the_start_is_refused(document, bob):
    goal = document["plans"][0]["goals"][0]
    goal["deadline"] = goal["start_date"]
    [problem] = _refusal(document, bob)
    assert problem.startswith("plans[0].goals[0] ('Reach level 4 in market analysis'): ")


def test_unknown_slugs_are_refused_when_the_files_ladder_lacks_them_too(document, bob):
    document["plans"][0]["goals"][1]["skill"] = "telepathy"
    document["plans"][0]["target_role"] = "product-management/chief-wizard"
    problems = _refusal(document, bob)
    assert any(
        p.startswith("plans[0] (") and "target_role: 'product-management/chief-wizard' is a role neither" in p
        for p in problems
    )
    assert any(
        p.startswith("plans[0].goals[1] ('Run 6 customer interviews'): skill: 'telepathy' is a skill neither")
        for p in problems
    )


def test_duplicate_ids_are_refused(document, bob):
    goals = document["plans"][0]["goals"]
    goals[1]["id"] = goals[0]["id"]
    [problem] = _refusal(document, bob)
    assert (
        problem
        == f"plans[0].goals[1] ('Run 6 customer interviews'): id: '{goals[0]['id']}' is the id of another entry too"
    )


def test_a_goal_pointing_at_another_plan_is_refused(document, bob, alice):
    """A check-in names a self-assessment of the other plan: goals belong to the plan they sit in."""
    document["plans"][1]["assessments"] = [copy.deepcopy(document["plans"][0]["assessments"][0])]
    document["plans"][1]["assessments"][0]["id"] = "assessment-99"
    document["plans"][0]["goals"][0]["check_ins"][0]["assessment"] = "assessment-99"
    [problem] = _refusal(document, bob)
    assert problem.startswith(
        "plans[0].goals[0] ('Reach level 4 in market analysis'): check_ins[0].assessment:"
    )
    assert "'assessment-99' is not a self-assessment of this plan" in problem


def test_an_unknown_field_is_refused(document, bob):
    document["plans"][0]["goals"][0]["plan"] = "plan-2"
    [problem] = _refusal(document, bob)
    assert problem.startswith("plans[0].goals[0] ('Reach level 4 in market analysis'): plan: unknown field")


def test_a_truncated_file_is_refused_with_where_it_ends(document):
    text = json.dumps(document, indent=2)
    with pytest.raises(ImportRefused, match=r"^line \d+, column \d+: invalid JSON: .* cut short\?\)$"):
        read_document(text[: len(text) // 2].encode())


def test_a_50_mb_file_is_refused_before_it_is_parsed():
    with pytest.raises(ImportRefused, match="an export may be 5,242,880 bytes at most"):
        read_document(b" " * (50 * 1024 * 1024))
    assert MAX_BYTES < 50 * 1024 * 1024


def _nested(depth: int) -> list:
    value: list = [1]
    for _ in range(depth - 1):
        value = [value]
    return value


def test_deep_nesting_and_non_json_are_refused():
    for raw in (b"[" * 100_000 + b"]" * 100_000, json.dumps({"a": _nested(21)}).encode()):
        with pytest.raises(ImportRefused, match="^nested more than 20 levels deep$"):
            read_document(raw)
    with pytest.raises(ImportRefused, match="not UTF-8 text"):
        read_document("é".encode("latin-1"))
    with pytest.raises(ImportRefused, match="not a CareerPath export"):
        read_document(b"[1, 2]")


# --- Ladder entries the instance lacks -------------------------------------------------------


def test_what_the_instance_lacks_is_reported_before_anything_is_written(from_elsewhere, bob):
    preview = check(from_elsewhere, user=bob)
    assert preview.lacking["skill"] == ["storytelling"] and preview.lacking["certification"] == ["cst"]
    assert preview.left_out == [
        f"“{from_elsewhere['plans'][0]['title']}”: the self-assessment of storytelling",
        f"“{from_elsewhere['plans'][0]['title']}”: the certification cst",
        f"“{from_elsewhere['plans'][0]['title']}”: the goal “Run 6 customer interviews” loses its link to storytelling",
    ]
    assert not CareerPlan.objects.filter(owner=bob).exists()


def test_skipping_the_lacking_entries_imports_the_rest(from_elsewhere, bob):
    import_document(from_elsewhere, user=bob)
    assert not Skill.objects.filter(slug="storytelling").exists()
    plan = CareerPlan.objects.get(owner=bob, title=from_elsewhere["plans"][0]["title"])
    assert plan.assessments.count() == 2 and plan.certifications.count() == 1
    assert plan.goals.get(title="Run 6 customer interviews").skill is None


def test_a_ladder_editor_may_import_the_lacking_entries_and_nobody_else(from_elsewhere, bob):
    with pytest.raises(ImportRefused, match="Only a ladder editor"):
        import_document(from_elsewhere, user=bob, with_ladder=True)
    bob = as_ladder_editor(bob)

    report = import_document(from_elsewhere, user=bob, with_ladder=True)

    assert "created 1 skill, 1 certification" in report.ladder
    plan = CareerPlan.objects.get(owner=bob, title=from_elsewhere["plans"][0]["title"])
    assert plan.goals.get(title="Run 6 customer interviews").skill.slug == "storytelling"
    assert Certification.objects.get(slug="cst").name == "Certified Storyteller"
    assert plan.assessments.count() == 3 and plan.certifications.count() == 2


def test_a_malformed_time_is_refused_naming_the_field(document, bob):
    document["plans"][0]["created_at"] = "2026-01-01Tlunchtime"
    document["plans"][0]["goals"][0]["check_ins"][0]["created_at"] = "2026-01-01T25:00:00+00:00"
    problems = _refusal(document, bob)
    assert any(p.startswith("plans[0] (") and ": created_at: " in p for p in problems)
    assert len(problems) == 2, problems


def test_a_check_in_recording_a_self_assessment_must_be_a_level(document, bob):
    document["plans"][0]["goals"][0]["check_ins"][0]["value"] = "7.5"
    [problem] = _refusal(document, bob)
    assert problem == (
        "plans[0].goals[0] ('Reach level 4 in market analysis'): check_ins[0].value: "
        "records a self-assessment, so it must be a whole level from 1 to 5"
    )


def test_reminder_settings_are_checked_like_the_settings_page_checks_them(document, bob):
    document["reminder_settings"]["timezone"] = "Mars/Olympus_Mons"
    [problem] = _refusal(document, bob)
    assert problem.startswith("reminder_settings.timezone: ")


# --- Times: when something happened lies between 1900 and tomorrow, with its offset ------------

HAPPENED = [
    ("plans", 0, "created_at"),
    ("plans", 0, "updated_at"),
    ("plans", 0, "assessments", 0, "assessed_at"),
    ("plans", 0, "comments", 0, "created_at"),
    ("plans", 0, "goals", 0, "created_at"),
    ("plans", 0, "goals", 0, "completed_at"),
    ("plans", 0, "goals", 0, "check_ins", 0, "created_at"),
    ("plans", 0, "goals", 0, "milestones", 1, "done_at"),
    ("plans", 0, "goals", 0, "comments", 0, "created_at"),
]


def _put(document: dict, path: tuple, value) -> None:
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


@pytest.mark.parametrize(
    "moment",
    [
        "9999-12-31T23:59:59-14:00",  # past the year 9999 in UTC
        "0001-01-01T00:00:00+14:00",  # before the year 1 in UTC
        "1899-12-31T23:59:59+00:00",
        "2026-06-17T12:00:01+00:00",  # the day after tomorrow (the clock says 15 June 2026)
    ],
)
@pytest.mark.parametrize("path", HAPPENED, ids=lambda path: ".".join(map(str, path)))
def test_a_time_that_cannot_have_happened_is_refused_naming_the_entry_and_field(document, bob, path, moment):
    _put(document, path, moment)
    problems = _refusal(document, bob)
    assert len(problems) == 1, problems
    assert f": {path[-1]}: " in problems[0] or f".{path[-1]}: " in problems[0], problems
    assert "between 1900-01-01 and tomorrow" in problems[0]


@pytest.mark.parametrize("path", HAPPENED[:3], ids=lambda path: ".".join(map(str, path)))
def test_a_time_without_its_offset_is_refused(document, bob, path):
    _put(document, path, "2026-01-01T12:00:00")
    [problem] = _refusal(document, bob)
    assert f"{path[-1]}: '2026-01-01T12:00:00'" in problem and "offset" in problem


def test_times_are_kept_in_utc_and_tomorrow_is_allowed(document, bob):
    document["plans"][0]["created_at"] = "2026-06-16T13:00:00+02:00"  # 11:00 UTC tomorrow
    document["plans"][0]["comments"][0]["created_at"] = "1900-01-01T00:00:00+00:00"
    import_document(document, user=bob)
    plan = CareerPlan.objects.get(owner=bob, title=document["plans"][0]["title"])
    assert plan.created_at.isoformat() == "2026-06-16T11:00:00+00:00"
    assert plan.comments.get().created_at.year == 1900


@pytest.mark.parametrize("path", [("plans", 0, "goals", 0, "deadline"), ("plans", 0, "target_date")])
def test_a_planned_date_outside_the_forms_bounds_is_refused(document, bob, path):
    _put(document, path, "2300-01-01")
    [problem] = _refusal(document, bob)
    assert f"{path[-1]}: Enter a date between 1900 and 2200." in problem


# --- Limits of what an import reads: each refused with a message naming it, never a crash -----


def _raw(document: dict, path: tuple, raw_value: str) -> bytes:
    """The document as a file, with the value at ``path`` written as the raw JSON text given."""
    document = copy.deepcopy(document)
    _put(document, path, "@@hostile@@")
    return json.dumps(document).replace('"@@hostile@@"', raw_value).encode()


def _read_refusal(raw: bytes) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        read_document(raw)
    return refused.value.problems


def test_a_number_of_5000_digits_is_refused_naming_where_it_is(document):
    """json.loads raised ValueError (Python's 4,300-digit limit): a 500."""
    problems = _read_refusal(_raw(document, ("plans", 0, "assessments", 0, "level"), "9" * 5000))
    assert problems == [
        "plans[0].assessments[0].level: a whole number of 5,000 digits; no number in an export has more than 15"
    ]
    problems = _read_refusal(_raw(document, ("ladder", "format"), "-" + "1" * 5000))
    assert problems == [
        "ladder.format: a whole number of 5,000 digits; no number in an export has more than 15"
    ]


@pytest.mark.parametrize("raw_value", ["NaN", "Infinity", "-Infinity", "1e999", "0." + "1" * 100])
def test_numbers_json_does_not_allow_or_no_export_writes_are_refused(document, raw_value):
    [problem] = _read_refusal(_raw(document, ("plans", 0, "goals", 0, "target"), raw_value))
    assert problem.startswith("plans[0].goals[0].target: ") and "number" in problem


@pytest.mark.parametrize(
    ("raw_value", "what"),
    [
        ('"Plan\\u0000"', "holds a NUL character (\\u0000), which no text here may hold"),
        ('"Plan \\ud800"', "holds half of a UTF-16 surrogate pair (\\ud800), which is no character"),
        (
            '"' + "x" * 100_001 + '"',
            "is 100,001 characters long; no text in an export is longer than 100,000",
        ),
    ],
)
def test_text_no_page_could_show_is_refused_naming_the_field(document, raw_value, what):
    """A NUL in a title was a 500 at confirm (PostgreSQL refuses it), a lone surrogate a 500 on
    the review page (it cannot be written as UTF-8)."""
    problems = _read_refusal(_raw(document, ("plans", 0, "goals", 1, "title"), raw_value))
    assert problems == [f"plans[0].goals[1].title: {what}"]


def test_a_field_name_no_page_could_show_is_refused(document):
    raw = json.dumps(document).replace('"vision":', '"vision\\ud800":', 1).encode()
    assert _read_refusal(raw) == [
        "plans[0]: a field name holds half of a UTF-16 surrogate pair (\\ud800), which is no character"
    ]


def test_a_list_longer_than_any_export_holds_is_refused(document):
    problems = _read_refusal(
        _raw(document, ("plans", 0, "goals", 0, "check_ins"), "[" + "0," * 50_000 + "0]")
    )
    assert problems == [
        "plans[0].goals[0].check_ins: a list of 50,001 items; no list in an export holds more than 50,000"
    ]


def test_a_field_given_twice_is_refused(document):
    raw = json.dumps(document).replace('"vision":', '"vision": "first", "vision":', 1).encode()
    assert _read_refusal(raw) == ["plans[0]: gives the field 'vision' twice"]


def test_the_schema_bounds_every_list_and_text(document, bob):
    goal = document["plans"][0]["goals"][0]
    goal["milestones"] = [dict(goal["milestones"][0]) for _ in range(1001)]
    goal["description"] = "x" * 100_001
    problems = _refusal(document, bob)
    assert any(p.endswith("milestones: holds 1001 items, at most 1000") for p in problems), problems
    assert any("description: is too long: 100001 characters, at most 100000" in p for p in problems), problems


def test_a_ladder_editors_import_only_adds_the_entries_this_careerpath_lacks(from_elsewhere, bob):
    """The review lists what this CareerPath lacks; importing the file's ladder used to apply all
    of it, renaming and changing entries the review never showed."""
    skill = Skill.objects.get(slug="market-analysis")
    ladder = from_elsewhere["ladder"]
    next(s for s in ladder["skills"] if s["slug"] == "market-analysis")["name"] = "Renamed by the file"
    track = ladder["tracks"][0]
    role = Role.objects.get(track__slug=track["slug"], slug=track["roles"][0]["slug"])
    requirements = set(role.requirements.values_list("skill__slug", "level"))
    track["roles"][0]["title"] = "Retitled by the file"
    track["roles"][0].setdefault("requirements", []).append({"skill": "storytelling", "level": 5})
    bob = as_ladder_editor(bob)

    report = import_document(from_elsewhere, user=bob, with_ladder=True)

    assert Skill.objects.get(pk=skill.pk).name == skill.name
    role.refresh_from_db()
    assert role.title != "Retitled by the file"
    assert set(role.requirements.values_list("skill__slug", "level")) == requirements
    assert Skill.objects.get(slug="storytelling").name == "Storytelling"  # what it lacked is added
    assert "updated" not in report.ladder or "updated nothing" in report.ladder
