"""The activity kinds the seed article names last (issue 23, item 13): a part-time job, a community
or forum, a social media post or chat. A person logs each, finds it under its category in the
form, and sees it on the plan page, counted towards that category, and on the activity list."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Activity
from tests.conftest import TODAY
from tests.plans.factories import ActivityFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

# kind, what the person reads, the category it counts towards, an example from the seed article
NEW_KINDS = [
    ("part_time_job", "Part-time job", "learning", "Weekend shifts as a product analyst"),
    ("community", "Community or forum", "network", "Answering questions on r/ProductManagement"),
    ("social_post", "Social media post or chat", "visibility", "Hosted a LinkedIn chat on roadmaps"),
]


def optgroup_of(html: str, value: str) -> str:
    """The label of the form's option group that holds the option ``value``."""
    for label, options in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', html, re.S):
        if f'value="{value}"' in options:
            return label
    raise AssertionError(f"no option group holds {value!r}")


def summary(html: str, category: str) -> int:
    """The count the plan page's 'Done in the last 12 months' shows for ``category``."""
    match = re.search(rf'data-testid="summary-{category}">\s*<div[^>]*>(\d+)</div>', html)
    assert match, f"no summary for {category}"
    return int(match.group(1))


@pytest.mark.parametrize("kind, label, category, title", NEW_KINDS)
def test_the_form_offers_the_kind_under_its_category(alice_client, bare_plan, kind, label, category, title):
    html = alice_client.get(reverse("plans:activity_add", args=[bare_plan.pk])).content.decode()
    assert f'<option value="{kind}">{label}</option>' in html
    assert optgroup_of(html, kind) == category.capitalize()


@pytest.mark.parametrize("kind, label, category, title", NEW_KINDS)
def test_owner_logs_the_kind_and_sees_it_counted_under_its_category(
    alice_client, bare_plan, kind, label, category, title
):
    response = alice_client.post(
        reverse("plans:activity_add", args=[bare_plan.pk]),
        {"kind": kind, "title": title, "date": TODAY.isoformat(), "status": "done"},
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.kind, activity.category) == (kind, category)

    page = alice_client.get(bare_plan.get_absolute_url()).content.decode()
    assert f"{label} · " in page and title in page
    assert {name: summary(page, name) for name in Activity.CATEGORIES} == {
        name: int(name == category) for name in Activity.CATEGORIES
    }
    listed = alice_client.get(reverse("plans:activity_list", args=[bare_plan.pk])).content.decode()
    assert f"{label} · " in listed and title in listed


def test_the_list_shows_every_new_kind_in_as_many_queries_for_more_of_them(alice_client, bare_plan):
    def listed() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            html = alice_client.get(reverse("plans:activity_list", args=[bare_plan.pk])).content.decode()
        return html, len(queries)

    for kind, _label, _category, title in NEW_KINDS:
        ActivityFactory(plan=bare_plan, kind=kind, title=title, date=TODAY - timedelta(days=1))
    listed()  # the first request of a session reads more than the next ones
    html, few = listed()
    for _kind, label, _category, title in NEW_KINDS:
        assert f"{label} · " in html and title in html
    for kind, _label, _category, title in NEW_KINDS * 3:
        ActivityFactory(plan=bare_plan, kind=kind, title=f"{title} again", date=TODAY)
    _html, many = listed()
    assert many == few  # session, user, plan, its activities, their skills: not one per activity


def test_a_kind_the_model_does_not_know_is_a_field_error(alice_client, bare_plan):
    response = alice_client.post(
        reverse("plans:activity_add", args=[bare_plan.pk]),
        {"kind": "part-time job", "title": "Shifts", "date": TODAY.isoformat(), "status": "done"},
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Activity.objects.exists()


def test_every_kind_counts_towards_exactly_one_category():
    grouped = [kind for kinds in Activity.CATEGORIES.values() for kind in kinds]
    assert sorted(grouped) == sorted(Activity.Kind)
