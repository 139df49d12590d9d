"""Certifications on a plan: add, edit, remove, the rules a form enforces, the plan page section."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from plans.forms_records import PlanCertificationForm
from plans.models import PlanCertification
from tests.conftest import TODAY, make_user, sign_in
from tests.factories import CertificationFactory
from tests.plans.factories import CareerPlanFactory, PlanCertificationFactory, ShareFactory


@pytest.fixture
def mentor(plan, password):
    carol = make_user("carol@example.com", password)
    ShareFactory(plan=plan, user=carol)
    return carol


@pytest.fixture
def record(plan):
    return PlanCertificationFactory(
        plan=plan, certification__abbreviation="CPM", target_date=date(2027, 3, 1)
    )


@pytest.fixture
def cert():
    return CertificationFactory(name="Certified Product Manager", abbreviation="CPM", validity_months=24)


def url(name: str, plan, record=None) -> str:
    return reverse(f"plans:{name}", args=[plan.pk] if record is None else [plan.pk, record.pk])


def post_add(client, plan, **data):
    return client.post(url("certification_add", plan), {"status": "planned", **data})


# --- Who may do what --------------------------------------------------------------------------

URL_NAMES = ["certification_add", "certification_edit", "certification_delete"]


@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize(
    "person, expected", [("owner", 200), ("mentor", 403), ("stranger", 404), ("anonymous", 302)]
)
def test_get_access(client, request, plan, record, mentor, name, person, expected):
    sign_in(client, request, person)
    target = url(name, plan, None if name == "certification_add" else record)
    response = client.get(target)
    assert response.status_code == expected
    if person == "anonymous":
        assert response.url == f"{reverse('account_login')}?next={target}"


@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize("person, expected", [("mentor", 403), ("stranger", 404), ("anonymous", 302)])
def test_others_cannot_change_anything(client, request, plan, record, mentor, cert, name, person, expected):
    sign_in(client, request, person)
    target = url(name, plan, None if name == "certification_add" else record)
    response = client.post(target, {"certification": cert.pk, "status": "in_progress"})
    assert response.status_code == expected
    if person == "anonymous":
        assert response.url == f"{reverse('account_login')}?next={target}"
    assert list(PlanCertification.objects.values_list("pk", "status")) == [(record.pk, "planned")]


@pytest.mark.parametrize("name", ["certification_edit", "certification_delete"])
def test_certification_of_another_plan_is_404(alice_client, alice, record, name):
    own_plan = CareerPlanFactory(owner=alice)
    response = alice_client.get(reverse(f"plans:{name}", args=[own_plan.pk, record.pk]))
    assert response.status_code == 404


# --- Adding -----------------------------------------------------------------------------------


def test_add_page_lists_recommended_certifications_first(alice_client, plan):
    recommended = CertificationFactory(name="Zeta Leadership", abbreviation="ZL")
    recommended.roles.add(plan.target_role)
    other = CertificationFactory(name="Alpha Analytics", abbreviation="AA")
    html = alice_client.get(url("certification_add", plan)).content.decode()
    assert '<optgroup label="Recommended for this plan">' in html
    assert "Zeta Leadership (ZL) · recommended for Senior Product Manager" in html
    assert '<optgroup label="Other certifications">' in html
    assert html.index("Recommended for") < html.index("Zeta Leadership") < html.index("Other certifications")
    assert html.index("Other certifications") < html.index(str(other))


def test_add_page_without_recommendations_lists_the_catalogue(alice_client, plan, cert):
    html = alice_client.get(url("certification_add", plan)).content.decode()
    assert "<optgroup" not in html
    assert str(cert) in html


def test_owner_adds_a_planned_certification(alice_client, plan, cert):
    response = post_add(
        alice_client, plan, certification=cert.pk, target_date="2027-05-01", note="Company pays"
    )
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url() + "#certifications"
    added = PlanCertification.objects.get()
    assert (added.plan, added.certification, added.status) == (plan, cert, "planned")
    assert (added.target_date, added.earned_on, added.expires_on) == (date(2027, 5, 1), None, None)


def test_expiry_is_computed_from_validity(frozen_time, alice_client, plan, cert):
    post_add(alice_client, plan, certification=cert.pk, status="earned", earned_on="2026-01-31")
    assert PlanCertification.objects.get().expires_on == date(2028, 1, 31)


def test_expiry_computation_clamps_to_the_end_of_the_month(plan):
    record = PlanCertificationFactory(
        plan=plan, certification__validity_months=13, status="earned", earned_on=date(2026, 1, 31)
    )
    assert record.expires_on == date(2027, 2, 28)


def test_expiry_typed_in_is_kept(frozen_time, alice_client, plan, cert):
    post_add(
        alice_client,
        plan,
        certification=cert.pk,
        status="earned",
        earned_on="2026-01-31",
        expires_on="2027-01-31",
    )
    assert PlanCertification.objects.get().expires_on == date(2027, 1, 31)


def test_certification_without_validity_never_expires(frozen_time, alice_client, plan):
    forever = CertificationFactory(validity_months=None)
    post_add(alice_client, plan, certification=forever.pk, status="earned", earned_on="2026-01-31")
    assert PlanCertification.objects.get().expires_on is None


BAD_INPUT = [
    pytest.param(
        {"status": "earned", "earned_on": "2026-06-16"},
        "earned_on",
        "You can't have earned it yet: set a date that is today or earlier.",
        id="earned-in-the-future",
    ),
    pytest.param(
        {"status": "earned"},
        "earned_on",
        "When did you earn it? Set the date, or choose another status.",
        id="earned-without-date",
    ),
    pytest.param(
        {"status": "in_progress", "earned_on": "2026-01-31"},
        "earned_on",
        "An earned date means you hold it: set the status to Earned, or clear the date.",
        id="earned-date-but-not-earned",
    ),
    pytest.param(
        {"status": "earned", "earned_on": "2026-01-31", "expires_on": "2026-01-31"},
        "expires_on",
        "It has to expire after the day you earned it: pick a later date.",
        id="expiry-on-earned-date",
    ),
    pytest.param(
        {"status": "earned", "earned_on": "2026-01-31", "expires_on": "2025-12-31"},
        "expires_on",
        "It has to expire after the day you earned it: pick a later date.",
        id="expiry-before-earned-date",
    ),
    pytest.param(
        {"status": "planned", "expires_on": "2027-01-31"},
        "expires_on",
        "An expiry date needs an earned date: set both, or clear the expiry.",
        id="expiry-without-earned-date",
    ),
    pytest.param(
        {"status": "planned", "certification": ""},
        "certification",
        "Choose the certification you want.",
        id="no-certification",
    ),
]


@pytest.mark.parametrize("data, field, message", BAD_INPUT)
def test_bad_input_is_a_field_error_and_saves_nothing(
    frozen_time, alice_client, plan, cert, data, field, message
):
    response = alice_client.post(url("certification_add", plan), {"certification": cert.pk, **data})
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert escape(message) in response.content.decode()
    assert not PlanCertification.objects.exists()


def test_same_certification_twice_is_a_field_error(alice_client, plan, record):
    response = post_add(alice_client, plan, certification=record.certification.pk)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "certification": [
            f"{record.certification} is already on this plan: edit it there instead of adding it twice."
        ]
    }
    assert PlanCertification.objects.count() == 1


def test_double_submit_that_slips_past_validation_is_still_a_field_error(
    alice_client, plan, record, monkeypatch
):
    # Two requests can both pass clean() before either saves; the unique constraint decides.
    monkeypatch.setattr(
        PlanCertificationForm, "clean_certification", lambda form: form.cleaned_data["certification"]
    )
    response = post_add(alice_client, plan, certification=record.certification.pk)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "certification": ["That certification is already on this plan."]
    }
    assert PlanCertification.objects.count() == 1


def test_same_certification_on_two_plans_is_fine(alice_client, alice, plan, record):
    other_plan = CareerPlanFactory(owner=alice)
    response = post_add(alice_client, other_plan, certification=record.certification.pk)
    assert response.status_code == 302
    assert PlanCertification.objects.count() == 2


# --- Editing and removing ---------------------------------------------------------------------


def test_owner_moves_status_planned_to_in_progress_to_earned(frozen_time, alice_client, plan, record):
    edit = url("certification_edit", plan, record)
    assert alice_client.post(edit, {"status": "in_progress", "target_date": "2026-09-01"}).status_code == 302
    record.refresh_from_db()
    assert (record.status, record.target_date) == ("in_progress", date(2026, 9, 1))

    assert alice_client.post(edit, {"status": "earned", "earned_on": "2026-06-01"}).status_code == 302
    record.refresh_from_db()
    assert (record.status, record.earned_on, record.expires_on) == (
        "earned",
        date(2026, 6, 1),
        date(2028, 6, 1),
    )


def test_edit_page_shows_the_certification_but_does_not_offer_to_change_it(alice_client, plan, record):
    response = alice_client.get(url("certification_edit", plan, record))
    assert "certification" not in response.context["form"].fields
    assert str(record.certification) in response.content.decode()


def test_renewing_recomputes_an_expiry_that_was_computed(frozen_time, alice_client, plan):
    record = PlanCertificationFactory(plan=plan, status="earned", earned_on=date(2024, 3, 1))
    assert record.expires_on == date(2026, 3, 1)
    form = alice_client.get(url("certification_edit", plan, record)).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}  # what the browser sends back
    data["earned_on"] = "2026-05-20"
    assert alice_client.post(url("certification_edit", plan, record), data).status_code == 302
    record.refresh_from_db()
    assert (record.earned_on, record.expires_on) == (date(2026, 5, 20), date(2028, 5, 20))


def test_bad_edit_saves_nothing(frozen_time, alice_client, plan, record):
    response = alice_client.post(url("certification_edit", plan, record), {"status": "earned"})
    assert "earned_on" in response.context["form"].errors
    record.refresh_from_db()
    assert (record.status, record.earned_on) == ("planned", None)


def test_delete_asks_first(alice_client, plan, record):
    response = alice_client.get(url("certification_delete", plan, record))
    assert response.status_code == 200
    assert str(record.certification) in response.content.decode()
    assert PlanCertification.objects.filter(pk=record.pk).exists()


def test_owner_removes_a_certification(alice_client, plan, record):
    response = alice_client.post(url("certification_delete", plan, record))
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url() + "#certifications"
    assert not PlanCertification.objects.exists()


# --- Expiry -----------------------------------------------------------------------------------


def test_effective_status_is_expired_once_the_expiry_date_has_passed(plan):
    record = PlanCertificationFactory(plan=plan, status="earned", earned_on=date(2024, 1, 10))
    assert record.expires_on == date(2026, 1, 10)
    assert record.effective_status(date(2026, 1, 9)) == "earned"
    assert record.effective_status(date(2026, 1, 10)) == "expired"
    assert record.status == "earned"  # never stored


def test_expired_is_computed_from_today(frozen_time, plan):
    expired = PlanCertificationFactory(plan=plan, status="earned", earned_on=date(2024, 1, 10))
    valid = PlanCertificationFactory(plan=plan, status="earned", earned_on=date(2025, 1, 10))
    assert (expired.effective_status(), expired.get_effective_status_display()) == ("expired", "Expired")
    assert (valid.effective_status(), valid.get_effective_status_display()) == ("earned", "Earned")


# --- The plan page section --------------------------------------------------------------------


def section(response) -> str:
    html = response.content.decode()
    start = html.index('id="certifications-heading"')
    return html[start : html.index('id="activities-heading"')]


def test_plan_page_shows_certifications_with_effective_status(frozen_time, alice_client, plan):
    PlanCertificationFactory(
        plan=plan, certification__abbreviation="CPM", status="in_progress", target_date=date(2026, 9, 1)
    )
    PlanCertificationFactory(
        plan=plan, certification__abbreviation="CPO", status="earned", earned_on=date(2024, 1, 10)
    )
    PlanCertificationFactory(
        plan=plan, certification__abbreviation="CPL", status="earned", earned_on=date(2024, 7, 1)
    )
    html = section(alice_client.get(plan.get_absolute_url()))
    assert "CPM" in html and "In progress" in html and "Target 1 Sep 2026" in html
    assert "CPO" in html and "Expired" in html and "expired 10 Jan 2026" in html
    assert "CPL" in html and "Earned 1 Jul 2024 · expires 1 Jul 2026" in html
    assert html.count('data-testid="expires-soon"') == 1  # CPL, in 16 days
    assert "Add a certification" in html
    assert html.count(">Edit</a>") == 3


def test_mentor_reads_certifications_without_edit_links(client, plan, record, mentor):
    client.force_login(mentor)
    html = section(client.get(plan.get_absolute_url()))
    assert "CPM" in html and "Planned" in html
    assert "Add a certification" not in html
    assert reverse("plans:certification_edit", args=[plan.pk, record.pk]) not in html


def test_empty_state_says_what_to_do(alice_client, plan):
    html = section(alice_client.get(plan.get_absolute_url()))
    assert "No certifications yet." in html
    assert reverse("plans:certification_add", args=[plan.pk]) in html


def test_target_date_in_the_past_is_flagged(frozen_time, alice_client, plan):
    PlanCertificationFactory(plan=plan, target_date=TODAY - timedelta(days=1))
    assert "(passed)" in section(alice_client.get(plan.get_absolute_url()))
