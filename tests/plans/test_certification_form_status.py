"""The certification form: the dates each status needs, and the catalogue with this plan's
recommendations first and labelled, other ladders' after them (issue 23, item 9)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from plans.models import PlanCertification
from tests.factories import CertificationFactory, RoleFactory, TrackFactory
from tests.plans.factories import PlanCertificationFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

# The session, the user, the plan with its roles and their tracks, the certifications already on
# it, the catalogue, its roles with their tracks: the same whatever the catalogue's size.
QUERIES = 6


def add_url(plan) -> str:
    return reverse("plans:certification_add", args=[plan.pk])


def edit_url(record) -> str:
    return reverse("plans:certification_edit", args=[record.plan_id, record.pk])


def date_input(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


# --- The dates each status needs ---------------------------------------------------------------


def test_each_date_field_says_which_statuses_it_is_for(alice_client, plan):
    html = alice_client.get(add_url(plan)).content.decode()
    assert 'data-for-status="planned in_progress"' in date_input(html, "target_date")
    assert 'data-for-status="earned"' in date_input(html, "earned_on")
    assert 'data-for-status="earned"' in date_input(html, "expires_on")
    assert '<script src="/static/js/certification-dates.js" defer></script>' in html


def test_without_javascript_the_help_texts_say_which_status_each_date_is_for(alice_client, plan):
    html = alice_client.get(add_url(plan)).content.decode()
    assert "For a planned or in-progress certification: when you aim to earn it." in html
    assert "For an earned certification: the day you earned it." in html
    assert "For an earned certification: leave it empty to work it out" in html


def test_an_earned_certification_keeps_no_target_date(alice_client, plan):
    """A target is for one still pursued; a browser without the script still sends it."""
    record = PlanCertificationFactory(plan=plan, status="in_progress", target_date=date(2026, 9, 1))
    response = alice_client.post(
        edit_url(record), {"status": "earned", "earned_on": "2026-06-01", "target_date": "2026-09-01"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.earned_on, record.target_date) == ("earned", date(2026, 6, 1), None)


def test_a_pursued_certification_keeps_its_target_date(alice_client, plan):
    record = PlanCertificationFactory(plan=plan, status="planned", target_date=None)
    alice_client.post(edit_url(record), {"status": "in_progress", "target_date": "2026-09-01"})
    record.refresh_from_db()
    assert (record.status, record.target_date) == ("in_progress", date(2026, 9, 1))


def test_the_dates_a_status_does_not_need_are_refused_with_field_errors(alice_client, plan):
    cert = CertificationFactory()
    response = alice_client.post(
        add_url(plan),
        {
            "certification": cert.pk,
            "status": "planned",
            "earned_on": "2026-01-31",
            "expires_on": "2027-01-31",
        },
    )
    assert response.status_code == 200
    assert "earned_on" in response.context["form"].errors
    assert not PlanCertification.objects.exists()


def test_earned_needs_its_date(alice_client, plan):
    cert = CertificationFactory()
    response = alice_client.post(add_url(plan), {"certification": cert.pk, "status": "earned"})
    assert response.context["form"].errors == {
        "earned_on": ["When did you earn it? Set the date, or choose another status."]
    }


# --- The catalogue ------------------------------------------------------------------------------


@pytest.fixture
def catalogue(ladder):
    """The plan runs Associate Product Manager → Senior Product Manager on the Product Management
    ladder; certifications for those roles, another role of that ladder, another ladder, none."""
    engineering = TrackFactory(name="Software Engineering", slug="se-test")
    developer = RoleFactory(track=engineering, title="Software Engineer", slug="se")
    certs = {
        "cpm": CertificationFactory(name="Certified Product Manager", abbreviation="CPM"),
        "cpl": CertificationFactory(name="Certified Product Leader", abbreviation="CPL"),
        "cpo": CertificationFactory(name="Certified Product Owner", abbreviation="CPO"),
        "aws": CertificationFactory(name="AWS Certified Developer", abbreviation="AWS DVA"),
        "ckad": CertificationFactory(name="Certified Kubernetes Application Developer", abbreviation="CKAD"),
        "misc": CertificationFactory(name="A general certificate", abbreviation=""),
    }
    certs["cpm"].roles.add(ladder.roles["apm"], ladder.roles["pm"])
    certs["cpl"].roles.add(ladder.roles["senior"])
    certs["cpo"].roles.add(ladder.roles["analyst"])
    certs["aws"].roles.add(developer)
    certs["ckad"].roles.add(developer)
    return certs


def select_html(html: str) -> str:
    return re.search(r'<select name="certification".*?</select>', html, re.S).group(0)


def test_the_plans_recommendations_come_first_each_labelled(alice_client, plan, catalogue):
    select = select_html(alice_client.get(add_url(plan)).content.decode())
    groups = re.findall(r'<optgroup label="([^"]*)">', select)
    assert groups == [
        "Recommended for this plan",
        "Other Product Management certifications",
        "Other career ladders: Software Engineering",
        "Other certifications",
    ]
    recommended = select.split("</optgroup>")[0]
    assert (
        "Certified Product Manager (CPM) · recommended for Associate Product Manager</option>" in recommended
    )
    assert "Certified Product Leader (CPL) · recommended for Senior Product Manager</option>" in recommended
    assert "CPO" not in recommended and "AWS" not in recommended


def test_other_ladders_certifications_come_after_this_ladders(alice_client, plan, catalogue):
    select = select_html(alice_client.get(add_url(plan)).content.decode())
    assert select.index("Certified Product Owner") < select.index("Other career ladders")
    assert select.index("Other career ladders") < select.index("AWS Certified Developer")
    assert select.index("Other career ladders") < select.index("Certified Kubernetes")
    assert select.index("Certified Kubernetes") < select.index("A general certificate")


def test_a_certification_already_on_the_plan_says_so(alice_client, plan, catalogue):
    PlanCertificationFactory(plan=plan, certification=catalogue["cpl"])
    select = select_html(alice_client.get(add_url(plan)).content.decode())
    assert (
        "Certified Product Leader (CPL) · recommended for Senior Product Manager — already on this plan"
        in select
    )


def test_a_catalogue_with_no_ladder_ties_is_one_plain_list(alice_client, plan):
    CertificationFactory(name="A general certificate")
    select = select_html(alice_client.get(add_url(plan)).content.decode())
    assert "<optgroup" not in select and "A general certificate" in select


def test_a_recommendation_can_be_picked(alice_client, plan, catalogue):
    response = alice_client.post(add_url(plan), {"certification": catalogue["cpl"].pk, "status": "planned"})
    assert response.status_code == 302
    assert plan.certifications.get().certification == catalogue["cpl"]


def test_the_add_page_reads_the_catalogue_in_a_fixed_number_of_queries(
    alice_client, plan, ladder, django_assert_max_num_queries
):
    def add_certifications(count: int) -> None:
        track = TrackFactory()
        for i in range(count):
            cert = CertificationFactory()
            cert.roles.add(RoleFactory(track=track), ladder.roles["senior" if i % 2 else "pm"])

    add_certifications(2)
    alice_client.get(add_url(plan))
    with django_assert_max_num_queries(QUERIES):
        assert alice_client.get(add_url(plan)).status_code == 200
    add_certifications(30)
    with django_assert_max_num_queries(QUERIES):
        assert alice_client.get(add_url(plan)).status_code == 200
