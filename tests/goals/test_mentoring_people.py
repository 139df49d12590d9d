"""The people page (goals.mentoring): a row per plan shared with the signed-in person, the one
who needs them first at the top, filterable by track and target role."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.models import CareerPlan, SkillAssessment
from plans.sharing.models import Comment
from tests.factories import RoleFactory, TrackFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import PlanCertificationFactory
from tests.plans.mentoring_factories import behind_goal, many_mentees, mentee, on_track_goal

URL = reverse("mentoring:people")


def gap_data_prefetches() -> int:
    """The queries CareerPlanQuerySet.with_gap_data adds to reading the plans: one per prefetch."""
    return len(CareerPlan.objects.with_gap_data()._prefetch_related_lookups)


@pytest.fixture
def three(mentor, ladder):
    """Ann (all met), Ben (short, a goal behind), Cat (half met, on track), all towards Senior PM."""
    s, roles = ladder.skills, ladder.roles
    senior = {s["strategy"]: 3, s["market"]: 4, s["communication"]: 4, s["leadership"]: 3}
    ann = mentee(mentor, name="Ann", current=roles["apm"], target=roles["senior"], levels=senior)
    ben = mentee(
        mentor,
        name="Ben",
        current=roles["apm"],
        target=roles["senior"],
        levels={s["strategy"]: 1, s["market"]: 2, s["communication"]: 2, s["leadership"]: 1},
    )
    cat = mentee(
        mentor,
        name="Cat",
        current=roles["pm"],
        target=roles["senior"],
        levels={s["strategy"]: 3, s["market"]: 2, s["communication"]: 2, s["leadership"]: 3},
    )
    behind_goal(ben)
    on_track_goal(ann)
    on_track_goal(cat)
    return ann, ben, cat


def names(response) -> list[str]:
    return [row.name for row in response.context["page"].rows]


def test_mentor_sees_each_person_with_their_readiness_and_the_one_behind_first(client, mentor, three):
    ann, ben, cat = three
    client.force_login(mentor)
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Ben", "Ann", "Cat"]  # Ben is behind; the others by name
    readiness = {r.name: r.readiness.percent for r in response.context["page"].rows}
    assert readiness == {"Ann": 100, "Ben": 43, "Cat": 71}  # 14/14, 6/14, 10/14: the plan page's
    for plan in three:
        assert readiness[plan.owner.first_name] == plan.readiness().percent
    body = response.content.decode()
    assert body.index("Ben") < body.index("Ann") < body.index("Cat")
    assert "1 behind" in body and "Run 12 customer interviews</a>" in body
    assert [g.title for g in response.context["page"].rows[0].slipping] == ["Run 12 customer interviews"]
    assert "43% ready" in body


def test_readiness_trend_compares_with_thirty_days_ago(client, mentor, ladder):
    s, roles = ladder.skills, ladder.roles
    plan = mentee(
        mentor,
        name="Dee",
        current=roles["apm"],
        target=roles["senior"],
        levels={s["market"]: 1},
        assessed_days_ago=45,
    )
    SkillAssessment.objects.create(plan=plan, skill=s["market"], level=3)  # today: up from 1 to 3 of 4
    new = mentee(mentor, name="Eve", current=roles["apm"], target=roles["senior"], levels={s["market"]: 2})
    client.force_login(mentor)
    response = client.get(URL)
    rows = {r.name: r for r in response.context["page"].rows}
    assert (rows["Dee"].readiness_before.percent, rows["Dee"].readiness.percent, rows["Dee"].trend) == (
        25,
        75,
        50,
    )
    assert rows["Eve"].trend is None  # nothing assessed 30 days ago: no trend, and the page says so
    body = response.content.decode()
    assert "up 50 points" in body and "No figure from 30 days ago" in body
    assert new.pk


def test_a_level_the_owner_chose_counts_in_the_trend_from_when_they_chose_it(client, mentor, ladder):
    s, roles = ladder.skills, ladder.roles
    plan = mentee(
        mentor,
        name="Ida",
        current=roles["apm"],
        target=roles["senior"],
        levels={s["market"]: 1},
        assessed_days_ago=45,
    )
    agreed = {"level": 4, "at": timezone.now().isoformat(), "rating": None}  # agreed today with her mentor
    old = {"level": 3, "at": (timezone.now() - datetime.timedelta(days=40)).isoformat(), "rating": None}
    plan.chosen_levels = {str(s["market"].pk): agreed, str(s["strategy"].pk): old}
    plan.save()
    client.force_login(mentor)
    [row] = client.get(URL).context["page"].rows
    assert row.readiness.percent == plan.readiness().percent == 100  # market 4 of 4, strategy 3 of 3
    assert row.readiness_before.percent == 57  # then: market 1 of 4 (her own), strategy 3 of 3
    assert row.trend == 43


def test_falling_readiness_comes_before_the_steady(client, mentor, ladder):
    s, roles = ladder.skills, ladder.roles
    steady = mentee(
        mentor,
        name="Al",
        current=roles["apm"],
        target=roles["senior"],
        levels={s["market"]: 2},
        assessed_days_ago=60,
    )
    falling = mentee(
        mentor,
        name="Zed",
        current=roles["apm"],
        target=roles["senior"],
        levels={s["market"]: 4},
        assessed_days_ago=60,
    )
    SkillAssessment.objects.create(plan=falling, skill=s["market"], level=2)
    client.force_login(mentor)
    assert names(client.get(URL)) == ["Zed", "Al"]
    assert steady.pk


def test_row_shows_deadlines_expiring_certifications_last_move_and_new_comments(
    client, mentor, ladder, frozen_time
):
    s, roles = ladder.skills, ladder.roles
    plan = mentee(
        mentor,
        name="Fay",
        current=roles["apm"],
        target=roles["senior"],
        levels={s["market"]: 2},
        assessed_days_ago=9,
    )
    today = timezone.localdate()
    GoalFactory(plan=plan, title="Ship the pricing test", deadline=today + datetime.timedelta(days=12))
    GoalFactory(plan=plan, title="Far away", deadline=today + datetime.timedelta(days=300))
    GoalFactory(plan=plan, title="Furthest", deadline=today + datetime.timedelta(days=400))
    PlanCertificationFactory(plan=plan, earned=True, expires_on=today + datetime.timedelta(days=20))
    for hours_ago, author in ((3, plan.owner), (2, mentor), (1, plan.owner)):  # before, mine, since
        comment = Comment.objects.create(plan=plan, author=author, body="…")
        Comment.objects.filter(pk=comment.pk).update(
            created_at=frozen_time - datetime.timedelta(hours=hours_ago)
        )
    client.force_login(mentor)
    [row] = client.get(URL).context["page"].rows
    assert [g.title for g in row.deadlines] == ["Ship the pricing test", "Far away"]
    assert [r.expires_on for r in row.expiring] == [today + datetime.timedelta(days=20)]
    assert row.last_moved == (today - datetime.timedelta(days=9), "assessment")
    assert row.new_comments == 1


def test_comments_count_all_until_the_mentor_writes_one(client, mentor, ladder):
    from goals.models import GoalComment

    plan = mentee(mentor, name="Gus", current=ladder.roles["apm"], target=ladder.roles["senior"])
    goal = GoalFactory(plan=plan)
    Comment.objects.create(plan=plan, author=plan.owner, body="One")
    GoalComment.objects.create(goal=goal, author=plan.owner, body="Two")
    client.force_login(mentor)
    response = client.get(URL)
    assert response.context["page"].rows[0].new_comments == 2
    assert "2 since your last comment" in response.content.decode()
    assert "does not record what you have read" in response.content.decode()


def test_filters_by_track_and_target_role(client, mentor, three, ladder):
    other_track = TrackFactory(name="Engineering")
    eng = RoleFactory(track=other_track, title="Staff Engineer", level=5)
    mentee(mentor, name="Hal", current=ladder.roles["apm"], target=eng)
    client.force_login(mentor)
    assert names(client.get(URL, {"track": other_track.pk})) == ["Hal"]
    assert set(names(client.get(URL, {"role": ladder.roles["senior"].pk}))) == {"Ann", "Ben", "Cat"}
    body = client.get(URL).content.decode()
    assert '<label class="form-label" for="id_track">Track</label>' in body
    assert '<label class="form-label" for="id_role">Target role</label>' in body


@pytest.mark.parametrize("value", ["abc", "²", "999999", "-1", "1" * 40])
def test_a_bad_filter_is_a_field_error_and_the_list_stays(client, mentor, three, value):
    client.force_login(mentor)
    response = client.get(URL, {"track": value})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(response.context["page"].rows) == 3


def test_revoked_share_disappears_at_once(client, mentor, three):
    ann, ben, cat = three
    client.force_login(mentor)
    assert len(client.get(URL).context["page"].rows) == 3
    ben.shares.get(user=mentor).delete()  # what share_revoke does
    assert names(client.get(URL)) == ["Ann", "Cat"]


def test_pending_invitation_and_archived_plan_are_not_listed(client, mentor, three):
    ann, ben, cat = three
    share = cat.shares.get(user=mentor)
    share.user, share.accepted_at = None, None  # as when the address leaves the mentor's account
    share.save()
    ann.status = ann.Status.ARCHIVED
    ann.save()
    client.force_login(mentor)
    assert names(client.get(URL)) == ["Ben"]


def test_owner_sees_no_row_of_her_own_plan(client, three):
    ann = three[0]
    client.force_login(ann.owner)
    response = client.get(URL)
    assert response.status_code == 200 and response.context["page"].rows == []
    assert "No one shares a plan with you yet" in response.content.decode()


def test_someone_else_sees_none_of_the_people(client, bob, three):
    client.force_login(bob)
    body = client.get(URL).content.decode()
    assert "No one shares a plan with you yet" in body
    assert "Ann" not in body and "Ben" not in body


def test_anonymous_visitor_is_sent_to_sign_in(client, three):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_dashboard_links_the_page_only_for_someone_who_mentors(client, mentor, bob, three):
    client.force_login(mentor)
    assert URL in client.get("/").content.decode()
    client.force_login(bob)
    assert URL not in client.get("/").content.decode()


@pytest.mark.parametrize("count", [5, 100])
def test_query_count_is_the_same_for_5_and_100_people(
    client, mentor, ladder, count, django_assert_num_queries
):
    skills = list(ladder.skills.values())
    many_mentees(mentor, count, current=ladder.roles["apm"], target=ladder.roles["senior"], skills=skills)
    client.force_login(mentor)
    # session, user; the shared plans' ids and their versions (the ETag); the plans, then one query
    # per prefetch of with_gap_data (their target roles' requirements, their assessments, …); the
    # goals' standing; the next deadlines; certifications expiring; latest check-ins; latest
    # activities; the comments since the mentor's own
    with django_assert_num_queries(5 + gap_data_prefetches() + 6):
        response = client.get(URL)
    assert len(response.context["page"].rows) == count
    assert all(row.behind == 1 for row in response.context["page"].rows)


def test_a_cached_page_still_drops_a_revoked_share_and_shows_a_new_comment(client, mentor, three):
    ann, ben, cat = three
    client.force_login(mentor)
    client.cookies["csrftoken"] = "a" * 32  # a browser's: the body is cached from now on
    assert "Ben" in client.get(URL).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "Ben" in client.get(URL).content.decode()
    assert len(queries) == 4  # session, user, the shared plans' ids, their versions: the body is cached
    Comment.objects.create(plan=ann, author=ann.owner, body="New")
    assert "1 since your last comment" in client.get(URL).content.decode()
    ben.shares.get(user=mentor).delete()
    assert "Ben" not in client.get(URL).content.decode()


def test_a_repeated_view_answers_304_until_a_plan_changes(client, mentor, three):
    client.force_login(mentor)
    client.get(URL)  # the first answer sets the CSRF cookie, which the ETag includes
    etag = client.get(URL)["ETag"]
    assert client.get(URL, headers={"if-none-match": etag}).status_code == 304
    SkillAssessment.objects.create(
        plan=three[0], skill=three[0].target_role.requirements.first().skill, level=1
    )
    assert client.get(URL, headers={"if-none-match": etag}).status_code == 200
