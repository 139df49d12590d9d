"""Activities on a plan: log, edit, delete, the done-in-the-future rule, the plan page section."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from plans.models import Activity
from tests.conftest import TODAY, make_user, sign_in
from tests.factories import RoleSkillFactory, SkillFactory
from tests.plans.factories import ActivityFactory, CareerPlanFactory, ShareFactory

FUTURE_DONE = "You can't have done it yet: set the date to today or earlier, or mark it planned."


@pytest.fixture
def mentor(bare_plan, password):
    carol = make_user("carol@example.com", password)
    ShareFactory(plan=bare_plan, user=carol)
    return carol


@pytest.fixture
def activity(bare_plan):
    return ActivityFactory(plan=bare_plan, title="Intro to pricing", status="planned", date=date(2026, 1, 5))


@pytest.fixture
def skills(bare_plan) -> dict:
    """Discovery is required by the current role, Pricing by the target role, Welding by neither."""
    discovery, pricing, welding = (
        SkillFactory(name="Discovery"),
        SkillFactory(name="Pricing"),
        SkillFactory(name="Welding"),
    )
    RoleSkillFactory(role=bare_plan.current_role, skill=discovery)
    RoleSkillFactory(role=bare_plan.target_role, skill=pricing)
    return {"discovery": discovery, "pricing": pricing, "welding": welding}


def url(name: str, plan, activity=None) -> str:
    return reverse(f"plans:{name}", args=[plan.pk] if activity is None else [plan.pk, activity.pk])


def valid_data(**overrides) -> dict:
    return {
        "kind": "course",
        "title": "Pricing strategy course",
        "date": "2026-05-01",
        "status": "done",
        **overrides,
    }


# --- Who may do what --------------------------------------------------------------------------

URL_NAMES = ["activity_add", "activity_edit", "activity_delete"]


@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize(
    "person, expected", [("owner", 200), ("mentor", 403), ("stranger", 404), ("anonymous", 302)]
)
def test_get_access(client, request, bare_plan, activity, mentor, name, person, expected):
    sign_in(client, request, person)
    target = url(name, bare_plan, None if name == "activity_add" else activity)
    response = client.get(target)
    assert response.status_code == expected
    if person == "anonymous":
        assert response.url == f"{reverse('account_login')}?next={target}"


@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize("person, expected", [("mentor", 403), ("stranger", 404), ("anonymous", 302)])
def test_others_cannot_change_anything(client, request, bare_plan, activity, mentor, name, person, expected):
    sign_in(client, request, person)
    target = url(name, bare_plan, None if name == "activity_add" else activity)
    response = client.post(target, valid_data(title="Sneaky"))
    assert response.status_code == expected
    if person == "anonymous":
        assert response.url == f"{reverse('account_login')}?next={target}"
    assert list(Activity.objects.values_list("pk", "title")) == [(activity.pk, "Intro to pricing")]


@pytest.mark.parametrize("name", ["activity_edit", "activity_delete"])
def test_activity_of_another_plan_is_404(alice_client, alice, activity, name):
    own_plan = CareerPlanFactory(owner=alice)
    assert alice_client.get(reverse(f"plans:{name}", args=[own_plan.pk, activity.pk])).status_code == 404


# --- Logging ----------------------------------------------------------------------------------


def test_add_form_offers_every_kind(alice_client, bare_plan):
    form = alice_client.get(url("activity_add", bare_plan)).context["form"]
    offered = {value for _group, options in form.fields["kind"].choices[1:] for value, _label in options}
    assert offered == set(Activity.Kind.values)


def test_kind_in_the_query_string_is_preselected(alice_client, bare_plan):
    response = alice_client.get(url("activity_add", bare_plan) + "?kind=talk")
    assert response.context["form"]["kind"].value() == "talk"
    assert '<option value="talk" selected>' in response.content.decode()


def test_unknown_kind_in_the_query_string_is_ignored(alice_client, bare_plan):
    response = alice_client.get(url("activity_add", bare_plan) + "?kind=karaoke")
    assert response.context["form"]["kind"].value() is None


def test_add_form_offers_the_skills_the_plans_roles_require(alice_client, bare_plan, skills):
    form = alice_client.get(url("activity_add", bare_plan)).context["form"]
    assert list(form.fields["skills"].queryset) == [skills["discovery"], skills["pricing"]]


def test_add_form_offers_all_skills_when_the_roles_require_none(alice_client, bare_plan):
    welding = SkillFactory(name="Welding")
    form = alice_client.get(url("activity_add", bare_plan)).context["form"]
    assert list(form.fields["skills"].queryset) == [welding]


def test_owner_logs_an_activity(frozen_time, alice_client, bare_plan, skills):
    data = valid_data(link="https://example.com/pricing", note="Weekends", skills=[skills["pricing"].pk])
    response = alice_client.post(url("activity_add", bare_plan), data)
    assert response.status_code == 302
    assert response.url == bare_plan.get_absolute_url() + "#activities"
    activity = Activity.objects.get()
    assert (activity.plan, activity.kind, activity.title, activity.date, activity.status) == (
        bare_plan,
        "course",
        "Pricing strategy course",
        date(2026, 5, 1),
        "done",
    )
    assert (activity.link, activity.note, list(activity.skills.all())) == (
        "https://example.com/pricing",
        "Weekends",
        [skills["pricing"]],
    )


def test_skill_outside_the_plan_is_refused(alice_client, bare_plan, skills):
    response = alice_client.post(url("activity_add", bare_plan), valid_data(skills=[skills["welding"].pk]))
    assert "skills" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_done_in_the_future_is_a_field_error_and_saves_nothing(frozen_time, alice_client, bare_plan):
    response = alice_client.post(url("activity_add", bare_plan), valid_data(date="2026-06-16", status="done"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"date": [FUTURE_DONE]}
    assert escape(FUTURE_DONE) in response.content.decode()
    assert not Activity.objects.exists()


def test_planned_in_the_future_is_fine(frozen_time, alice_client, bare_plan):
    response = alice_client.post(
        url("activity_add", bare_plan), valid_data(date="2026-09-16", status="planned")
    )
    assert response.status_code == 302
    assert Activity.objects.get().date == date(2026, 9, 16)


def test_done_today_is_fine(frozen_time, alice_client, bare_plan):
    assert alice_client.post(url("activity_add", bare_plan), valid_data(date="2026-06-15")).status_code == 302


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", ""),
        ("kind", "karaoke"),
        ("title", ""),
        ("date", ""),
        ("date", "15/06/2026"),
        ("link", "not a link"),
    ],
)
def test_missing_or_malformed_fields_are_field_errors(alice_client, bare_plan, field, value):
    response = alice_client.post(url("activity_add", bare_plan), valid_data(**{field: value}))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Activity.objects.exists()


# --- Editing and deleting ---------------------------------------------------------------------


def test_owner_marks_a_planned_activity_done(frozen_time, alice_client, bare_plan, activity, skills):
    data = valid_data(title=activity.title, date="2026-01-05", status="done", skills=[skills["discovery"].pk])
    assert alice_client.post(url("activity_edit", bare_plan, activity), data).status_code == 302
    activity.refresh_from_db()
    assert (activity.status, list(activity.skills.all())) == ("done", [skills["discovery"]])


def test_editing_keeps_skills_no_longer_required_on_offer(alice_client, bare_plan, activity, skills):
    activity.skills.add(skills["welding"])
    form = alice_client.get(url("activity_edit", bare_plan, activity)).context["form"]
    assert skills["welding"] in form.fields["skills"].queryset
    assert form["skills"].value() == [skills["welding"].pk]


def test_bad_edit_saves_nothing(frozen_time, alice_client, bare_plan, activity):
    response = alice_client.post(
        url("activity_edit", bare_plan, activity), valid_data(date="2026-07-01", status="done")
    )
    assert response.context["form"].errors == {"date": [FUTURE_DONE]}
    activity.refresh_from_db()
    assert (activity.title, activity.status) == ("Intro to pricing", "planned")


def test_delete_asks_first(alice_client, bare_plan, activity):
    response = alice_client.get(url("activity_delete", bare_plan, activity))
    assert response.status_code == 200
    assert "Intro to pricing" in response.content.decode()
    assert Activity.objects.exists()


def test_owner_deletes_an_activity(alice_client, bare_plan, activity):
    response = alice_client.post(url("activity_delete", bare_plan, activity))
    assert response.status_code == 302
    assert response.url == bare_plan.get_absolute_url() + "#activities"
    assert not Activity.objects.exists()


# --- The plan page section --------------------------------------------------------------------


def section(response) -> str:
    html = response.content.decode()
    start = html.index('id="activities-heading"')
    return html[start : html.index('id="sharing"', start)]


def test_plan_page_counts_done_activities_of_the_last_twelve_months(frozen_time, alice_client, bare_plan):
    ActivityFactory(plan=bare_plan, kind="course", date=TODAY - timedelta(days=30))
    ActivityFactory(plan=bare_plan, kind="book", date=TODAY - timedelta(days=365))
    ActivityFactory(plan=bare_plan, kind="webinar", date=date(2025, 5, 15))  # 13 months ago: too old
    ActivityFactory(
        plan=bare_plan, kind="workshop", date=TODAY - timedelta(days=3), status="planned"
    )  # not done
    ActivityFactory(plan=bare_plan, kind="conference", date=TODAY)
    response = alice_client.get(bare_plan.get_absolute_url())
    assert response.context["activity_summary"] == [("learning", 2), ("network", 1), ("visibility", 0)]
    html = section(response)
    for category, count in [("learning", 2), ("network", 1), ("visibility", 0)]:
        box = html[html.index(f'data-testid="summary-{category}"') :]
        assert f'<div class="fs-5 fw-semibold">{count}</div>' in box[: box.index("</div>") + 6]


def test_plan_page_lists_activities_with_kind_date_status_skills_and_link(
    frozen_time, alice_client, bare_plan, skills
):
    ActivityFactory(
        plan=bare_plan,
        kind="talk",
        title="Pricing at ProductCon",
        date=date(2026, 4, 2),
        status="done",
        link="https://example.com/talk",
        skills=[skills["pricing"]],
    )
    ActivityFactory(
        plan=bare_plan, kind="networking_event", title="PM meetup", date=date(2026, 7, 1), status="planned"
    )
    html = section(alice_client.get(bare_plan.get_absolute_url()))
    assert (
        '<a href="https://example.com/talk" rel="noopener" target="_blank">Pricing at ProductCon</a>' in html
    )
    assert (
        "Talk or presentation · " in html
        and "2 Apr 2026" in html
        and "Done" in html
        and "Pricing</span>" in html
    )
    assert "PM meetup" in html and "Networking event · " in html and "Planned" in html
    assert html.index("PM meetup") < html.index("Pricing at ProductCon")  # newest first
    assert html.count(">Edit</a>") == 2
    assert "Log an activity" in html


def test_mentor_reads_activities_without_edit_links(client, bare_plan, activity, mentor):
    client.force_login(mentor)
    html = section(client.get(bare_plan.get_absolute_url()))
    assert "Intro to pricing" in html
    assert "Log an activity" not in html
    assert reverse("plans:activity_edit", args=[bare_plan.pk, activity.pk]) not in html


def test_empty_state_says_what_to_do(alice_client, bare_plan):
    html = section(alice_client.get(bare_plan.get_absolute_url()))
    assert "Nothing logged yet." in html
    assert f'href="{url("activity_add", bare_plan)}"' in html


def test_empty_state_for_a_mentor_has_no_buttons(client, bare_plan, mentor):
    client.force_login(mentor)
    html = section(client.get(bare_plan.get_absolute_url()))
    assert "No activities on this plan yet." in html
    assert url("activity_add", bare_plan) not in html


@pytest.mark.parametrize(
    "person, expected", [("owner", 200), ("mentor", 200), ("stranger", 404), ("anonymous", 302)]
)
def test_all_activities_page(client, request, bare_plan, mentor, person, expected):
    ActivityFactory.create_batch(12, plan=bare_plan)
    sign_in(client, request, person)

    response = client.get(reverse("plans:activity_list", args=[bare_plan.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert len(response.context["activities"]) == 12
        assert (reverse("plans:activity_add", args=[bare_plan.pk]) in response.content.decode()) == (
            person == "owner"
        )


def test_plan_page_links_to_all_activities_past_ten(alice_client, bare_plan):
    ActivityFactory.create_batch(11, plan=bare_plan)
    html = alice_client.get(bare_plan.get_absolute_url()).content.decode()
    assert "See all 11 activities" in html
