"""The input guard reads every value of a repeated field: a NUL byte in any one of them, first,
middle or last, in the query string or a posted form (urlencoded or multipart), is a 400 that
changes nothing, beside the same request without it, which goes through
(careerpath.middleware.RefuseUnreadableInputMiddleware)."""

import pytest
from django.urls import reverse

from plans.models import Activity

pytestmark = pytest.mark.django_db

URLENCODED = "application/x-www-form-urlencoded"
ACTIVITY = {"kind": "course", "title": "Pricing course", "date": "2026-05-01", "status": "done"}


def add_url(plan) -> str:
    return reverse("plans:activity_add", args=[plan.pk])


def skill_ids(ladder) -> list[str]:
    """Two skills the plan's roles require, so the activity may build them."""
    return [str(ladder.skills["market"].pk), str(ladder.skills["strategy"].pk)]


def urlencoded(skills: list[str]) -> str:
    """The activity form's body as a browser writes it, each ticked skill a ``skills=`` of its own."""
    return "&".join(
        [*(f"{key}={value}" for key, value in ACTIVITY.items()), *(f"skills={s}" for s in skills)]
    )


@pytest.mark.parametrize("where", [0, 1, 2], ids=["first", "middle", "last"])
def test_a_nul_byte_in_any_value_of_a_repeated_posted_field_is_a_400(alice_client, plan, ladder, where):
    skills = skill_ids(ladder)
    skills.insert(where, "%00")
    response = alice_client.post(add_url(plan), urlencoded(skills), content_type=URLENCODED)
    assert response.status_code == 400
    assert b"navbar" in response.content  # the site's own 400 page
    assert not Activity.objects.exists()


def test_a_repeated_posted_field_without_nul_goes_through(alice_client, plan, ladder):
    response = alice_client.post(add_url(plan), urlencoded(skill_ids(ladder)), content_type=URLENCODED)
    assert response.status_code == 302
    assert set(Activity.objects.get().skills.values_list("slug", flat=True)) == {"market", "strategy"}


def test_a_nul_byte_in_an_earlier_value_of_a_multipart_field_is_a_400(alice_client, plan, ladder):
    # The test client posts multipart/form-data, one part per value.
    response = alice_client.post(add_url(plan), {**ACTIVITY, "skills": ["\x00", *skill_ids(ladder)]})
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_a_repeated_multipart_field_without_nul_goes_through(alice_client, plan, ladder):
    response = alice_client.post(add_url(plan), {**ACTIVITY, "skills": skill_ids(ladder)})
    assert response.status_code == 302
    assert Activity.objects.count() == 1


def test_a_nul_byte_in_an_earlier_value_of_a_repeated_query_parameter_is_a_400(alice_client, plan):
    response = alice_client.get(add_url(plan) + "?kind=%00&kind=talk")
    assert response.status_code == 400


def test_a_repeated_query_parameter_without_nul_goes_through(alice_client, plan):
    response = alice_client.get(add_url(plan) + "?kind=course&kind=talk")
    assert response.status_code == 200
    assert '<option value="talk" selected>' in response.content.decode()
