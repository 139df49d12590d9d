"""The skills heatmap (plans.mentoring): skills x the people a person mentors, each cell the plan
page's own gap, the team's totals per skill, and the same table as CSV."""

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.models import CareerPlan, SkillAssessment
from tests.plans.mentoring_factories import many_mentees, mentee

URL = reverse("mentoring:skills")
CSV_URL = reverse("mentoring:skills_csv")
# Unicode, NUL bytes (refused with 400 by the input guard), digits of every script, huge numbers.
ANY_TEXT = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "0", "-1", "²", "٣", "1e3", "gap", "level", "GAP"]),
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def three(mentor, ladder):
    """Ann meets Senior PM's every requirement, Ben is two levels short in three skills, Cat has
    assessed two skills, and is two levels short in one; Cat aims at Group PM."""
    s, roles = ladder.skills, ladder.roles
    ann = mentee(
        mentor,
        name="Ann",
        current=roles["apm"],
        target=roles["senior"],
        levels={s["strategy"]: 3, s["market"]: 4, s["communication"]: 4, s["leadership"]: 3},
    )
    ben = mentee(
        mentor,
        name="Ben",
        current=roles["apm"],
        target=roles["senior"],
        levels={s["strategy"]: 1, s["market"]: 2, s["communication"]: 2, s["leadership"]: 2},
    )
    cat = mentee(
        mentor,
        name="Cat",
        current=roles["pm"],
        target=roles["group"],
        levels={s["market"]: 2, s["leadership"]: 4},
    )
    return ann, ben, cat


def table(response) -> dict[str, list[str]]:
    heatmap = response.context["page"].heatmap
    return {row.skill.name: [cell.text for cell in row.cells] for row in heatmap.rows}


def test_each_cell_is_the_plan_pages_gap(client, mentor, three):
    client.force_login(mentor)
    response = client.get(URL)
    assert response.status_code == 200
    assert [p.name for p in response.context["page"].heatmap.people] == ["Ann", "Ben", "Cat"]
    assert table(response) == {
        "Market analysis": ["Met", "−2", "−2"],
        "Business strategy": ["Met", "−2", "?"],
        "Communication": ["Met", "−2", "?"],
        "Leadership": ["Met", "−1", "Met"],
    }
    for n, plan in enumerate(three):
        gaps = {gap.skill.name: gap.gap for gap in plan.skill_gaps()}
        for row in response.context["page"].heatmap.rows:
            assert row.cells[n].gap.gap == gaps[row.skill.name]


def test_team_totals_match_the_plans(client, mentor, three):
    client.force_login(mentor)
    response = client.get(URL)
    totals = {row.skill.name: row.totals for row in response.context["page"].heatmap.rows}
    assert totals["Market analysis"] == ["2 of 3 people are two levels short", "1 of 3 people meets it"]
    assert totals["Business strategy"] == [
        "1 of 3 people is two levels short",
        "1 of 3 people meets it",
        "1 of 3 people has not assessed it",
    ]
    assert totals["Leadership"] == ["1 of 3 people is one level short", "2 of 3 people meet it"]
    plans = CareerPlan.objects.filter(pk__in=[p.pk for p in three])
    short_in_market = sum(
        1
        for plan in plans
        for gap in plan.skill_gaps()
        if gap.skill.name == "Market analysis" and gap.gap == 2
    )
    assert short_in_market == 2
    assert "2 of 3 people are two levels short" in response.content.decode()


def test_the_switch_shows_levels_instead(client, mentor, three):
    client.force_login(mentor)
    response = client.get(URL, {"show": "level"})
    assert table(response)["Market analysis"] == ["4 of 4", "2 of 4", "2 of 4"]
    assert table(response)["Business strategy"] == ["3 of 3", "1 of 3", "?"]
    assert 'value="level"' in response.content.decode() and "checked" in response.content.decode()


def test_a_skill_the_target_does_not_require_is_a_dash(client, mentor, ladder, three):
    from tests.factories import RoleSkillFactory, SkillFactory

    pricing = SkillFactory(name="Pricing")
    RoleSkillFactory(role=ladder.roles["group"], skill=pricing, level=3)
    client.force_login(mentor)
    response = client.get(URL)
    assert table(response)["Pricing"] == ["—", "—", "?"]
    assert "not required by their target role" in response.content.decode()


def test_every_cell_says_its_value_in_text_and_phones_get_a_list_per_skill(client, mentor, three):
    client.force_login(mentor)
    body = client.get(URL).content.decode()
    assert 'data-testid="heatmap-table"' in body and 'data-testid="heatmap-list"' in body
    assert '−2<span class="visually-hidden">: two levels short' in body


def test_csv_is_the_same_table(client, mentor, three):
    client.force_login(mentor)
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Skill", "Ann (Ann's plan)", "Ben (Ben's plan)", "Cat (Cat's plan)", "Team"]
    assert rows[1][:4] == ["Market analysis", "0", "-2", "-2"]
    assert rows[1][4] == "2 of 3 people are two levels short; 1 of 3 people meets it"
    by_skill = {row[0]: row[1:4] for row in rows[1:]}
    assert by_skill["Business strategy"] == ["0", "-2", "Not assessed"]
    levels = list(csv.reader(io.StringIO(client.get(CSV_URL, {"show": "level"}).content.decode())))
    assert levels[1][:4] == ["Market analysis", "4", "2", "2"]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)"])
def test_csv_never_starts_a_name_with_a_formula(client, mentor, ladder, name):
    mentee(mentor, name=name, current=ladder.roles["apm"], target=ladder.roles["senior"])
    client.force_login(mentor)
    rows = list(csv.reader(io.StringIO(client.get(CSV_URL).content.decode())))
    assert rows[0][1].startswith("'" + name)


def test_filters_apply_to_the_page_and_the_csv(client, mentor, ladder, three):
    client.force_login(mentor)
    group = ladder.roles["group"].pk
    assert [p.name for p in client.get(URL, {"role": group}).context["page"].heatmap.people] == ["Cat"]
    rows = list(csv.reader(io.StringIO(client.get(CSV_URL, {"role": group}).content.decode())))
    assert rows[0] == ["Skill", "Cat (Cat's plan)", "Team"]
    response = client.get(URL, {"role": "x", "show": "sideways"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_revoked_share_disappears_from_the_page_and_the_csv_at_once(client, mentor, three):
    ann, ben, cat = three
    client.force_login(mentor)
    assert "Ben" in client.get(CSV_URL).content.decode()
    ben.shares.get(user=mentor).delete()  # what share_revoke does
    assert [p.name for p in client.get(URL).context["page"].heatmap.people] == ["Ann", "Cat"]
    assert "Ben" not in client.get(URL).content.decode()
    assert "Ben" not in client.get(CSV_URL).content.decode()


def test_owner_sees_none_of_her_own_plan(client, three):
    client.force_login(three[0].owner)
    response = client.get(URL)
    assert response.status_code == 200 and response.context["page"].heatmap.people == []
    assert "No one shares a plan with you yet" in response.content.decode()
    assert client.get(CSV_URL).content.decode().strip() == "Skill,Team"


def test_someone_else_sees_none_of_the_people(client, bob, three):
    client.force_login(bob)
    assert "Ann" not in client.get(URL).content.decode()
    assert "Ann" not in client.get(CSV_URL).content.decode()


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_anonymous_visitor_is_sent_to_sign_in(client, three, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_new_assessment_reaches_the_heatmap(client, mentor, ladder, three):
    ben = three[1]
    SkillAssessment.objects.create(plan=ben, skill=ladder.skills["market"], level=4)
    client.force_login(mentor)
    assert table(client.get(URL))["Market analysis"][1] == "Met"


@pytest.mark.parametrize("url", [URL, CSV_URL])
@pytest.mark.parametrize("count", [5, 100])
def test_query_count_is_the_same_for_5_and_100_people(
    client, mentor, ladder, url, count, django_assert_num_queries
):
    many_mentees(
        mentor,
        count,
        current=ladder.roles["apm"],
        target=ladder.roles["senior"],
        skills=list(ladder.skills.values()),
    )
    client.force_login(mentor)
    prefetches = len(CareerPlan.objects.with_gap_data()._prefetch_related_lookups)
    # session, user; the page: the shared plans' ids and their versions (the ETag); the plans, then
    # one query per prefetch of with_gap_data (their target roles' requirements, their assessments,
    # …): every cell comes from them
    with django_assert_num_queries((5 if url == URL else 3) + prefetches):
        response = client.get(url)
    assert response.status_code == 200
    if url == URL:
        assert len(response.context["page"].heatmap.people) == count


def test_a_cached_heatmap_still_drops_a_revoked_share(client, mentor, three):
    client.force_login(mentor)
    client.cookies["csrftoken"] = "a" * 32  # a browser's: the body is cached from now on
    assert "Ben" in client.get(URL).content.decode()
    assert "Ben" in client.get(URL).content.decode()
    three[1].shares.get(user=mentor).delete()
    assert "Ben" not in client.get(URL).content.decode()


@given(query=st.dictionaries(st.sampled_from(["track", "role", "show", "other"]), ANY_TEXT, max_size=4))
@FUZZ
def test_any_query_is_a_page_or_a_field_error_never_a_500(client, mentor, three, query):
    client.force_login(mentor)
    for url in (URL, CSV_URL, reverse("mentoring:people")):
        response = client.get(url, query)
        assert response.status_code in (200, 400), (url, query, response.status_code)


def test_a_level_the_owner_chose_reaches_the_heatmap_as_it_reaches_the_plan_page(
    client, mentor, ladder, three
):
    from django.utils import timezone

    ben = three[1]
    agreed = {"level": 4, "at": timezone.now().isoformat(), "rating": None}  # agreed with the mentor
    ben.chosen_levels = {str(ladder.skills["market"].pk): agreed}
    ben.save()
    client.force_login(mentor)
    assert table(client.get(URL))["Market analysis"] == ["Met", "Met", "−2"]
    assert {g.skill.name: g.gap for g in ben.skill_gaps()}["Market analysis"] == 0
