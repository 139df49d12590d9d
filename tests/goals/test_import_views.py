"""The import pages: upload, review what the file adds and what this CareerPath lacks, import."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from base.uploads import OversizedUpload
from goals.portability.export import dump, export_person, export_plan
from plans.models import CareerPlan
from tests.goals.import_fixtures import (  # noqa: F401 (the fixtures of the rows written once)
    exported_once,
    shared_alice,
    shared_bob,
    shared_document,
    shared_owned,
    shared_plan,
    written_once,
)

# The people, the ladder and Alice's data (`owned`) are written once for the module, and alice,
# bob, plan, owned and document are read afresh for each test (tests/goals/import_fixtures.py).
pytestmark = pytest.mark.usefixtures("frozen_time")


def _file(document: dict | bytes, name: str = "careerpath.json") -> SimpleUploadedFile:
    content = document if isinstance(document, bytes) else dump(document).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


@pytest.fixture
def exported(document) -> dict:
    """Alice's export (`document`: a copy of the one made once for the module)."""
    return document


def test_upload_review_then_import(client, bob, exported):
    client.force_login(bob)
    response = client.post(reverse("goals:import"), {"file": _file(exported)})
    assert response.status_code == 302 and response["Location"] == reverse("goals:import_confirm")
    assert not CareerPlan.objects.filter(owner=bob).exists()  # nothing written before the review

    review = client.get(reverse("goals:import_confirm"))
    titles = [plan["title"] for plan in exported["plans"]]
    for title in titles:
        assert title in review.content.decode()
    assert (
        "With 2 goals, 3 check-ins, 2 self-assessments, 1 certification and 1 activity."
        in review.content.decode()
    )

    done = client.post(
        reverse("goals:import_confirm"), {"ladder": "skip", "digest": review.context["digest"]}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("plans:list")
    assert f"Imported 2 plans: “{titles[0]}”, “{titles[1]}”." in done.content.decode()
    assert sorted(CareerPlan.objects.filter(owner=bob).values_list("title", flat=True)) == sorted(titles)
    # the review is over: going back to it starts again
    assert client.get(reverse("goals:import_confirm"))["Location"] == reverse("goals:import")


def test_a_second_import_says_the_plans_are_already_there(client, alice, exported):
    client.force_login(alice)
    client.post(reverse("goals:import"), {"file": _file(exported)})
    review = client.get(reverse("goals:import_confirm")).content.decode()
    assert "No new plan: everything in the file is already in your account." in review
    assert 'data-testid="import-go"' not in review


def test_a_bad_file_gets_a_field_error_and_nothing_is_written(client, bob, exported):
    client.force_login(bob)
    exported["plans"][0]["goals"][0]["deadline"] = "someday"
    response = client.post(reverse("goals:import"), {"file": _file(exported)})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors[0] == "Nothing was imported. The file cannot be imported as it is:"
    assert any("goals[0]" in e and "deadline: 'someday' has the wrong form" in e for e in errors)
    assert not CareerPlan.objects.filter(owner=bob).exists()
    for raw in (b"{not json", b"\xff\xfe", b""):
        response = client.post(reverse("goals:import"), {"file": _file(raw)})
        assert response.status_code == 200 and response.context["form"].errors["file"]


def test_a_file_over_the_limit_is_refused(client, bob):
    client.force_login(bob)
    response = client.post(reverse("goals:import"), {"file": _file(b" " * (6 * 1024 * 1024))})
    assert "an export may be 5,242,880 bytes at most" in " ".join(response.context["form"].errors["file"])


def test_the_review_lists_what_this_careerpath_lacks(client, bob, from_elsewhere):
    client.force_login(bob)
    client.post(reverse("goals:import"), {"file": _file(from_elsewhere)})
    review = client.get(reverse("goals:import_confirm"))
    page = review.content.decode()
    assert "skill <code>storytelling</code>" in page and "certification <code>cst</code>" in page
    assert "the goal “Run 6 customer interviews” loses its link to storytelling" in page
    assert "Only a ladder editor can add them" in page
    assert [value for value, _ in review.context["choice"].fields["ladder"].choices] == ["skip"]
    # a person who is no ladder editor cannot choose to import them, even by posting it
    response = client.post(reverse("goals:import_confirm"), {"ladder": "import"})
    assert response.status_code == 200 and response.context["choice"].errors["ladder"]
    assert not CareerPlan.objects.filter(owner=bob).exists()


def test_cancel_forgets_the_file(client, bob, exported):
    client.force_login(bob)
    client.post(reverse("goals:import"), {"file": _file(exported)})
    assert client.post(reverse("goals:import_cancel"))["Location"] == reverse("accounts:account")
    assert client.get(reverse("goals:import_confirm"))["Location"] == reverse("goals:import")


def test_a_pending_import_is_the_uploaders_own(client, alice, bob, exported):
    client.force_login(bob)
    client.post(reverse("goals:import"), {"file": _file(exported)})
    client.logout()
    client.force_login(alice)  # another person, another session: nothing pending for them
    assert client.get(reverse("goals:import_confirm"))["Location"] == reverse("goals:import")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in ("goals:import", "goals:import_confirm"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client.post(reverse("goals:import_cancel"))["Location"].startswith(reverse("account_login"))


def test_the_account_page_links_export_and_import(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("goals:export") in page and reverse("goals:import") in page


def test_the_export_documents_json_round_trips_through_the_pages(client, alice, bob, exported):
    client.force_login(bob)
    review = _upload_and_review(client, exported)
    client.post(reverse("goals:import_confirm"), {"ladder": "skip", "digest": review.context["digest"]})
    again = json.loads(client.get(reverse("goals:export")).content)
    assert [p["title"] for p in again["plans"]] == [p["title"] for p in exported["plans"]]


def test_a_time_past_the_calendars_end_is_refused_on_upload_not_a_500_later(client, bob, exported):
    """Issue 21: 9999-12-31T23:59:59-14:00 passed every check, then broke the plan pages."""
    client.force_login(bob)
    exported["plans"][0]["created_at"] = "9999-12-31T23:59:59-14:00"
    response = client.post(reverse("goals:import"), {"file": _file(exported)})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(
        e.startswith("plans[0] (")
        and "created_at: '9999-12-31T23:59:59-14:00' is not between 1900-01-01" in e
        for e in errors
    ), errors
    assert not CareerPlan.objects.filter(owner=bob).exists()
    assert client.get(reverse("plans:list")).status_code == 200


@pytest.mark.parametrize(
    "raw_title", ['"Plan\\u0000"', '"Plan \\ud800"', "9" * 5000], ids=["nul", "lone-surrogate", "5000-digits"]
)
def test_a_file_no_page_could_show_is_refused_on_upload_with_its_place_named(
    client, bob, exported, raw_title
):
    """Each was a 500: at confirm, on the review page, and on upload."""
    client.force_login(bob)
    exported["plans"][0]["title"] = "@@hostile@@"
    raw = json.dumps(exported).replace('"@@hostile@@"', raw_title).encode()
    response = client.post(reverse("goals:import"), {"file": _file(raw)})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(e.startswith("plans[0].title: ") for e in errors), errors
    response.content.decode()  # the page itself can be written as UTF-8
    assert client.get(reverse("goals:import_confirm"))["Location"] == reverse("goals:import")


def test_an_oversized_file_is_counted_as_it_arrives_and_not_kept(client, bob):
    client.force_login(bob)
    response = client.post(reverse("goals:import"), {"file": _file(b" " * (6 * 1024 * 1024))})
    assert "the file is 6,291,456 bytes" in " ".join(response.context["form"].errors["file"])
    upload = response.context["form"].files["file"]
    assert isinstance(upload, OversizedUpload)  # counted whole, none of it kept


# --- Checked once: the upload checks the file, the review and the import use what it found ----


def _upload_and_review(client, document: dict):
    client.post(reverse("goals:import"), {"file": _file(document)})
    return client.get(reverse("goals:import_confirm"))


def test_the_review_and_the_import_do_not_check_the_file_again(client, bob, exported, monkeypatch):
    """A 4.9 MB file was checked whole on the upload, again on every view of the review (8.8 s
    each) and twice more on Import."""
    client.force_login(bob)
    client.post(reverse("goals:import"), {"file": _file(exported)})

    def checked_again(document):
        raise AssertionError("the file was checked again")

    monkeypatch.setattr("goals.portability.checking.validate_export", checked_again)
    review = client.get(reverse("goals:import_confirm"))
    assert review.status_code == 200 and exported["plans"][0]["title"] in review.content.decode()
    done = client.post(
        reverse("goals:import_confirm"), {"ladder": "skip", "digest": review.context["digest"]}
    )
    assert done.status_code == 302 and done["Location"] == reverse("plans:list")
    assert CareerPlan.objects.filter(owner=bob).count() == len(exported["plans"])


def test_importing_costs_queries_per_batch_of_check_ins_not_per_check_in(
    client, bob, alice, owned, django_assert_max_num_queries
):
    """Rows go in by bulk inserts: 300 more check-ins cost a batch of inserts and a batch of
    updates (their times), not 600 queries."""
    from goals.models import CheckIn

    def confirm_queries(document) -> int:
        CareerPlan.objects.filter(owner=bob).delete()
        review = _upload_and_review(client, document)
        with django_assert_max_num_queries(120) as captured:
            response = client.post(
                reverse("goals:import_confirm"), {"ladder": "skip", "digest": review.context["digest"]}
            )
        assert response.status_code == 302 and CareerPlan.objects.filter(owner=bob).exists()
        return len(captured.captured_queries)

    client.force_login(bob)
    small = confirm_queries(export_person(alice))
    CheckIn.objects.bulk_create(
        CheckIn(goal=owned, value=3, checked_on=owned.start_date, note=f"#{n}") for n in range(300)
    )
    assert confirm_queries(export_person(alice)) <= small + 2


def test_an_import_confirmed_from_an_older_review_is_refused(client, bob, exported, owned, alice):
    """Another tab uploaded another file since: Import imports the file its review showed, or nothing."""
    client.force_login(bob)
    first = _upload_and_review(client, exported)
    client.post(reverse("goals:import"), {"file": _file(export_plan(owned.plan))})

    response = client.post(
        reverse("goals:import_confirm"), {"ladder": "skip", "digest": first.context["digest"]}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("goals:import_confirm")
    assert "Another file was uploaded since that review" in response.content.decode()
    assert not CareerPlan.objects.filter(owner=bob).exists()


def test_the_pending_import_waits_in_the_database_not_the_session(client, bob, exported):
    """The review and the import may land on another web process: the upload's result is a row."""
    from goals.models import PendingImport

    client.force_login(bob)
    client.post(reverse("goals:import"), {"file": _file(exported)})
    pending = PendingImport.objects.get(user=bob)
    assert pending.preview["new_plans"] == [p["title"] for p in exported["plans"]]
    assert not any("import" in key for key, _ in client.session.items())
