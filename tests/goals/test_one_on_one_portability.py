"""1:1s stay the owner's (issue 24, item 4): whole in her export, kept by an import, refused with
the place named when a value is wrong, and gone with her account; the forms that write them take
any input without a 500 or a partial row (hypothesis)."""

import copy
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.deletion import account_delete
from goals.oneonones.models import ActionItem, OneOnOne, OneOnOneNote, Side, TalkingPoint
from goals.portability.checking import validate
from goals.portability.export import export_person, validate_export
from goals.portability.reading import ImportRefused
from goals.portability.writing import import_document
from plans.models import CareerPlan
from tests.core.test_fuzz_forms import FUZZ


@pytest.fixture
def meeting(alice, mentor, mentor_share):
    one = OneOnOne.objects.create(
        plan=mentor_share.plan,
        share=mentor_share,
        starts_at=timezone.now() + timedelta(days=3),
        minutes=45,
        started_by=Side.MENTOR,
    )
    one.talking_points.create(
        text="Goal “Ship it” is behind", side=Side.MENTOR, author=mentor, suggested=True
    )
    one.talking_points.create(text="My promotion case", side=Side.OWNER, author=alice)
    one.notes.create(body="Agreed to focus on discovery.", side=Side.MENTOR, author=mentor)
    one.action_items.create(
        text="Run 3 customer interviews",
        due_on=timezone.localdate() + timedelta(days=30),
        side=Side.MENTOR,
        author=mentor,
        status=ActionItem.Status.PROPOSED,
    )
    return one


def one_on_ones_of(document: dict) -> list:
    return [one for plan in document["plans"] for one in plan["one_on_ones"]]


def test_the_owners_export_holds_her_one_on_ones_whole_and_names_no_mentor(alice, meeting):
    document = export_person(alice)
    assert validate_export(document) == []
    [one] = one_on_ones_of(document)
    assert one["minutes"] == 45 and one["started_by"] == "mentor"
    assert [p["text"] for p in one["talking_points"]] == ["Goal “Ship it” is behind", "My promotion case"]
    assert [p["by"] for p in one["talking_points"]] == ["mentor", "owner"]
    assert one["notes"][0]["body"] == "Agreed to focus on discovery."
    assert one["action_items"][0]["status"] == "proposed"
    assert "mentor@example.com" not in str(document)


def test_export_then_import_keeps_the_one_on_ones(alice, bob, meeting):
    document = export_person(alice)
    import_document(document, user=bob)
    [one] = OneOnOne.objects.filter(plan__owner=bob)
    assert one.share is None and one.starts_at == meeting.starts_at and one.minutes == 45
    assert one.created_at == meeting.created_at
    assert list(one.talking_points.values_list("text", "side", "suggested")) == [
        ("Goal “Ship it” is behind", "mentor", True),
        ("My promotion case", "owner", False),
    ]
    assert one.talking_points.get(side=Side.OWNER).author == bob
    assert one.talking_points.get(side=Side.MENTOR).author is None
    assert one.notes.get().body == "Agreed to focus on discovery."
    item = one.action_items.get()
    assert (item.text, item.status, item.due_on) == (
        "Run 3 customer interviews",
        "proposed",
        meeting.action_items.get().due_on,
    )
    # And out again, the same.
    again = one_on_ones_of(export_person(bob))
    assert again == one_on_ones_of(document)


def test_a_file_written_before_one_on_ones_still_imports(alice, bob, plan):
    document = export_person(alice)
    for plan_doc in document["plans"]:
        del plan_doc["one_on_ones"]
    import_document(document, user=bob)
    assert CareerPlan.objects.filter(owner=bob).exists()
    assert not OneOnOne.objects.filter(plan__owner=bob).exists()


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (lambda one: one.update(starts_at="2301-01-01T10:00:00+00:00"), "one_on_ones[0].starts_at"),
        (lambda one: one.update(starts_at="2026-12-09T10:00:00"), "one_on_ones[0].starts_at"),
        (lambda one: one["action_items"][0].update(due_on="1800-01-01"), "action_items[0].due_on"),
        (lambda one: one["notes"][0].update(created_at="2999-01-01T00:00:00+00:00"), "notes[0].created_at"),
        (lambda one: one.update(minutes=20), "one_on_ones[0].minutes"),
    ],
)
def test_a_wrong_value_refuses_the_file_naming_its_place_and_writes_nothing(
    alice, bob, meeting, change, place
):
    document = copy.deepcopy(export_person(alice))
    change(one_on_ones_of(document)[0])
    with pytest.raises(ImportRefused) as refused:
        validate(document)
        import_document(document, user=bob)
    assert place in str(refused.value)
    assert not OneOnOne.objects.filter(plan__owner=bob).exists()


def test_deleting_the_owners_account_removes_her_one_on_ones(alice, mentor, meeting):
    account_delete(user=alice, address=alice.email)
    assert not OneOnOne.objects.exists()
    assert (
        not TalkingPoint.objects.exists()
        and not OneOnOneNote.objects.exists()
        and not ActionItem.objects.exists()
    )


def test_deleting_the_mentors_account_leaves_the_one_on_one_with_the_owner(client, alice, mentor, meeting):
    account_delete(user=mentor, address=mentor.email)
    meeting.refresh_from_db()
    assert meeting.share is None and meeting.notes.get().author is None
    client.force_login(alice)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "1:1 with a former mentor" in page and "Agreed to focus on discovery." in page


TEXT = st.text(max_size=400)
FIELDS = {
    "goals:talking_point_add": st.fixed_dictionaries({"text": TEXT}),
    "goals:one_on_one_note_add": st.fixed_dictionaries({"body": TEXT}),
    "goals:action_item_add": st.fixed_dictionaries(
        {
            "text": TEXT,
            "becomes": st.sampled_from(["goal", "activity", "", "meeting"]) | TEXT,
            "activity_kind": st.sampled_from(["course", "book", "", "x" * 30]) | TEXT,
            "due_on": st.sampled_from(
                ["2027-01-15", "2026-12-01", "", "1800-01-01", "31.12.2030", "9999-99-99"]
            )
            | TEXT,
        }
    ),
}


def _clean(data: dict) -> dict:
    """What a browser can send: no NUL (the middleware answers 400 before any view, tested there)."""
    return {key: value.replace("\x00", "") for key, value in data.items()}


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_any_input_to_the_forms_is_a_field_error_or_one_whole_row(client, alice, meeting, name):
    client.force_login(alice)
    url = reverse(name, args=[meeting.pk])
    model = {"goals:talking_point_add": TalkingPoint, "goals:one_on_one_note_add": OneOnOneNote}.get(
        name, ActionItem
    )

    @FUZZ
    @given(FIELDS[name])
    def attempt(data):
        with transaction.atomic():
            before = model.objects.count()
            response = client.post(url, _clean(data))
            assert response.status_code in (200, 302), response.status_code
            added = model.objects.count() - before
            assert added == (1 if response.status_code == 302 else 0)
            if added:
                row = model.objects.order_by("-pk").first()
                assert row.side == Side.OWNER and row.author == alice
            transaction.set_rollback(True)

    attempt()


def test_any_schedule_input_is_a_field_error_or_one_one_on_one(client, mentor, mentor_share):
    client.force_login(mentor)
    url = reverse("goals:one_on_one_new", args=[mentor_share.plan.pk])

    @FUZZ
    @given(
        st.fixed_dictionaries(
            {
                "day": st.sampled_from(["2026-12-09", "", "2301-01-01", "1899-12-31"]) | TEXT,
                "at": st.sampled_from(["14:30", "25:00", "", "9", "23:59:59"]) | TEXT,
                "minutes": st.sampled_from(["30", "20", "", "90"]) | TEXT,
            }
        )
    )
    def attempt(data):
        with transaction.atomic():
            response = client.post(url, _clean(data))
            assert response.status_code in (200, 302)
            assert OneOnOne.objects.count() == (1 if response.status_code == 302 else 0)
            transaction.set_rollback(True)

    attempt()


def test_a_time_that_does_not_exist_in_the_persons_zone_is_stored_as_the_next_real_one(db):
    # zoneinfo folds and gaps: a 1:1 at 02:30 on the spring-forward night is no error.
    from goals.oneonones.forms import OneOnOneForm

    form = OneOnOneForm(
        {"day": "2027-03-28", "at": "02:30", "minutes": "30"},
        instance=OneOnOne(),
        shares=[],
        time_zone="Europe/Berlin",
    )
    form.fields.pop("share", None)
    assert form.is_valid(), form.errors
    assert form.instance.starts_at.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 03:30 CEST


def test_the_plans_delete_page_says_its_one_on_ones_go_with_it(client, alice, meeting):
    client.force_login(alice)
    page = client.get(reverse("plans:delete", args=[meeting.plan.pk])).content.decode()
    assert "<li>One 1:1</li>" in page
