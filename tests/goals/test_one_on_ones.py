"""1:1s on a share (issue 24, item 4): either side starts one with talking points from the plan;
both add points, notes and action items; an action item becomes a goal or an activity on the
owner's plan, at once for the owner, after the owner confirms for the mentor."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from goals.models import Goal, GoalComment
from goals.oneonones.models import ActionItem, OneOnOne, Side
from plans.models import Activity
from plans.sharing.services import share_revoke
from tests.goals.factories import GoalFactory

TODAY = date(2026, 12, 7)
NOW = timezone.make_aware(datetime(2026, 12, 7, 9, 0))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def one_on_one(mentor_share, *, days: int = 2, by: Side = Side.MENTOR) -> OneOnOne:
    return OneOnOne.objects.create(
        plan=mentor_share.plan, share=mentor_share, starts_at=NOW + timedelta(days=days), started_by=by
    )


def item(meeting: OneOnOne, *, side: Side = Side.MENTOR, author=None, **fields) -> ActionItem:
    values = {"text": "Run 3 customer interviews", "due_on": TODAY + timedelta(days=30), **fields}
    return ActionItem.objects.create(one_on_one=meeting, side=side, author=author, **values)


def schedule(client, plan, **fields):
    data = {"day": "2026-12-09", "at": "14:30", "minutes": "30", **fields}
    return client.post(reverse("goals:one_on_one_new", args=[plan.pk]), data)


def test_mentor_schedules_a_one_on_one_that_starts_with_talking_points_from_the_plan(
    client, plan, mentor, mentor_share, alice
):
    behind = GoalFactory(plan=plan, title="Ship the pricing test", start_date=TODAY - timedelta(days=90))
    GoalComment.objects.create(goal=behind, author=alice, body="Could you look at this?")
    client.force_login(mentor)

    response = schedule(client, plan)

    meeting = OneOnOne.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.share == mentor_share and meeting.started_by == Side.MENTOR
    assert timezone.localtime(meeting.starts_at, timezone.get_fixed_timezone(0)).hour == 14  # UTC settings
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "1:1 with" in page
    assert "Goal “Ship the pricing test” is behind" in page
    assert "Answer the latest comment on “Ship the pricing test”" in page
    assert "Skill gap:" in page  # Alice has assessed nothing: her target role's skills are gaps


def test_a_talking_point_the_starter_answered_last_is_not_suggested(client, plan, mentor, mentor_share):
    goal = GoalFactory(plan=plan, title="Ship the pricing test")
    GoalComment.objects.create(goal=goal, author=mentor, body="Looks good.")
    client.force_login(mentor)
    schedule(client, plan)
    texts = list(OneOnOne.objects.get().talking_points.values_list("text", flat=True))
    assert not [text for text in texts if text.startswith("Answer")]


def test_both_sides_add_talking_points_notes_and_action_items(client, alice, mentor, mentor_share):
    meeting = one_on_one(mentor_share)
    for person, text in ((alice, "My promotion case"), (mentor, "Your stakeholder map")):
        client.force_login(person)
        client.post(reverse("goals:talking_point_add", args=[meeting.pk]), {"text": text})
        client.post(reverse("goals:one_on_one_note_add", args=[meeting.pk]), {"body": f"Note by {text}"})
    client.post(
        reverse("goals:action_item_add", args=[meeting.pk]),
        {
            "text": "Draft the pricing memo",
            "becomes": "goal",
            "activity_kind": "course",
            "due_on": "2027-01-15",
        },
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "My promotion case" in page and "Your stakeholder map" in page
    assert "Note by My promotion case" in page and "Draft the pricing memo" in page
    sides = set(meeting.talking_points.values_list("side", flat=True))
    assert sides == {Side.OWNER, Side.MENTOR}


def test_owner_puts_an_action_item_on_the_plan_at_once_as_a_goal_that_keeps_the_goal_rules(
    client, alice, mentor_share
):
    meeting = one_on_one(mentor_share)
    todo = item(meeting, side=Side.OWNER, author=alice)
    client.force_login(alice)

    response = client.post(reverse("goals:action_item_convert", args=[meeting.pk, todo.pk]))

    todo.refresh_from_db()
    goal = Goal.objects.get(title="Run 3 customer interviews")
    assert todo.status == ActionItem.Status.DONE and todo.goal == goal
    assert goal.plan == mentor_share.plan and goal.deadline == TODAY + timedelta(days=30)
    assert goal.attack_later and goal.needs_plan_of_attack  # Achievable: "I'll work out how later"
    assert goal.relevance == "Agreed at the 1:1 on 9 Dec 2026."
    assert goal.next_reminder_at is not None  # saved through goal_save: its reminder is scheduled
    assert "is on the plan as a goal" in client.get(response["Location"]).content.decode()


def test_an_action_item_becomes_a_planned_activity(client, alice, mentor_share):
    meeting = one_on_one(mentor_share)
    todo = item(meeting, becomes="activity", activity_kind="book", text="Read Inspired")
    client.force_login(alice)
    client.post(reverse("goals:action_item_convert", args=[meeting.pk, todo.pk]))
    activity = Activity.objects.get(title="Read Inspired")
    assert activity.kind == "book" and activity.status == Activity.Status.PLANNED
    assert activity.date == TODAY + timedelta(days=30)


def test_what_the_mentor_proposes_waits_for_the_owner_to_confirm(client, alice, mentor, mentor_share):
    meeting = one_on_one(mentor_share)
    todo = item(meeting, author=mentor)
    client.force_login(mentor)
    client.post(reverse("goals:action_item_convert", args=[meeting.pk, todo.pk]))
    todo.refresh_from_db()
    assert todo.status == ActionItem.Status.PROPOSED and not Goal.objects.exists()
    # The mentor cannot confirm it for the owner.
    assert client.post(reverse("goals:action_item_confirm", args=[meeting.pk, todo.pk])).status_code == 403

    client.force_login(alice)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Confirm" in page and "Decline" in page
    client.post(reverse("goals:action_item_confirm", args=[meeting.pk, todo.pk]))
    todo.refresh_from_db()
    assert todo.status == ActionItem.Status.DONE and todo.goal.title == "Run 3 customer interviews"
    # A second confirm (a double click) makes no second goal.
    client.post(reverse("goals:action_item_confirm", args=[meeting.pk, todo.pk]))
    assert Goal.objects.count() == 1


def test_owner_declines_a_proposal_and_nothing_reaches_the_plan(client, alice, mentor_share):
    meeting = one_on_one(mentor_share)
    todo = item(meeting, status=ActionItem.Status.PROPOSED)
    client.force_login(alice)
    client.post(reverse("goals:action_item_decline", args=[meeting.pk, todo.pk]))
    todo.refresh_from_db()
    assert todo.status == ActionItem.Status.DECLINED and not Goal.objects.exists()
    client.post(reverse("goals:action_item_confirm", args=[meeting.pk, todo.pk]))
    assert not Goal.objects.exists()


def test_an_item_whose_due_date_passed_is_refused_whole_with_the_goal_forms_reason(
    client, alice, mentor_share
):
    meeting = one_on_one(mentor_share)
    todo = item(meeting, due_on=TODAY - timedelta(days=1), status=ActionItem.Status.PROPOSED)
    client.force_login(alice)
    response = client.post(reverse("goals:action_item_confirm", args=[meeting.pk, todo.pk]), follow=True)
    todo.refresh_from_db()
    assert todo.status == ActionItem.Status.PROPOSED and not Goal.objects.exists()
    assert "become a goal yet: That deadline has already passed" in response.content.decode()


def test_an_action_item_due_today_or_before_is_a_field_error(client, alice, mentor_share):
    meeting = one_on_one(mentor_share)
    client.force_login(alice)
    response = client.post(
        reverse("goals:action_item_add", args=[meeting.pk]),
        {"text": "Draft it", "becomes": "goal", "activity_kind": "course", "due_on": TODAY.isoformat()},
    )
    assert response.status_code == 200 and "Pick a day after today" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_the_next_one_on_one_shows_the_last_ones_open_items(client, alice, mentor_share):
    last = one_on_one(mentor_share, days=-14)
    item(last, text="Still to do")
    item(last, text="Already done", status=ActionItem.Status.DONE)
    item(last, text="Declined one", status=ActionItem.Status.DECLINED)
    nxt = one_on_one(mentor_share, days=1)
    client.force_login(alice)
    page = client.get(nxt.get_absolute_url()).content.decode()
    carried = page.split('data-testid="carried"')[1].split("</ul>")[0]
    assert "Still to do" in carried and "Already done" not in carried and "Declined one" not in carried


def test_revoking_the_share_ends_the_mentors_access_and_the_owner_keeps_the_one_on_one(
    client, alice, mentor, mentor_share
):
    meeting = one_on_one(mentor_share)
    share_revoke(share=mentor_share)
    client.force_login(mentor)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("goals:talking_point_add", args=[meeting.pk]), {"text": "x"}).status_code == 404
    )
    client.force_login(alice)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200 and "only you see it" in response.content.decode()


def test_the_owner_without_a_mentor_is_asked_to_share_first(client, alice, plan):
    client.force_login(alice)
    page = client.get(reverse("goals:one_on_one_new", args=[plan.pk])).content.decode()
    assert "Nobody has accepted an invitation" in page
    assert schedule(client, plan).status_code == 200 and not OneOnOne.objects.exists()


@pytest.mark.parametrize("name", ["goals:one_on_ones", "goals:one_on_one_new"])
def test_plan_pages_for_owner_mentor_other_and_anonymous(
    client, plan, alice, mentor, bob, mentor_share, name
):
    url = reverse(name, args=[plan.pk])
    assert client.get(url).status_code == 302  # anonymous: to sign in
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    for person, status in ((alice, 200), (mentor, 200), (bob, 404)):
        client.force_login(person)
        assert client.get(url).status_code == status


def test_one_on_one_page_for_owner_mentor_other_and_anonymous(client, alice, mentor, bob, mentor_share):
    url = one_on_one(mentor_share).get_absolute_url()
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    for person, status in ((alice, 200), (mentor, 200), (bob, 404)):
        client.force_login(person)
        assert client.get(url).status_code == status


def test_the_list_shows_each_one_on_one_with_its_open_items(client, alice, mentor_share):
    meeting = one_on_one(mentor_share)
    item(meeting)
    client.force_login(alice)
    page = client.get(reverse("goals:one_on_ones", args=[mentor_share.plan.pk])).content.decode()
    assert "Wednesday 9 Dec 2026, 09:00" in page and "1 open action item" in page and "coming up" in page


def _fill(meeting: OneOnOne, n: int, alice, mentor) -> None:
    for i in range(n):
        meeting.talking_points.create(text=f"Point {i}", side=Side.MENTOR, author=mentor)
        meeting.notes.create(body=f"Note {i}", side=Side.OWNER, author=alice)
        item(meeting, text=f"Item {i}", author=mentor)


@pytest.mark.parametrize("n", [5, 50])
def test_the_one_on_one_page_takes_the_same_queries_for_5_and_50_items(
    client, alice, mentor, mentor_share, django_assert_num_queries, n
):
    last = one_on_one(mentor_share, days=-7)
    _fill(last, n, alice, mentor)
    meeting = one_on_one(mentor_share)
    _fill(meeting, n, alice, mentor)
    client.force_login(alice)
    # session, user, the 1:1 with plan, owner, share and mentor, reminder settings, talking points,
    # notes, action items with their goal and activity, the last 1:1's open items.
    with django_assert_num_queries(8):
        assert client.get(meeting.get_absolute_url()).status_code == 200


def test_whoever_accepts_the_share_after_the_mentor_lost_its_address_does_not_read_old_one_on_ones(
    client, alice, mentor, bob, mentor_share
):
    meeting = one_on_one(mentor_share)
    # The invited address left Maya's account (shares_end_for_address): pending again; Bob verifies
    # it next and accepts.
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        mentor_share.user, mentor_share.accepted_at = bob, timezone.now()
        mentor_share.save()
    for person in (bob, mentor):
        client.force_login(person)
        assert client.get(meeting.get_absolute_url()).status_code == 404
    client.force_login(alice)
    assert "1:1 with a former mentor" in client.get(meeting.get_absolute_url()).content.decode()


def test_suggestions_name_an_assessed_gap_and_a_certification_expiring_within_60_days(plan, alice, ladder):
    from goals.oneonones.suggestions import suggested_points
    from plans.models import PlanCertification, SkillAssessment
    from tests.factories import CertificationFactory

    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["strategy"], level=1)
    for name, days in (("Certified Product Manager", 30), ("Certified Product Owner", 90)):
        PlanCertification.objects.create(
            plan=plan,
            certification=CertificationFactory(name=name),
            status=PlanCertification.Status.EARNED,
            earned_on=TODAY - timedelta(days=300),
            expires_on=TODAY + timedelta(days=days),
        )
    points = suggested_points(plan, user_id=alice.pk, today=TODAY)
    gaps = [p for p in points if p.startswith("Skill gap:")]
    # The target (Senior PM) requires four skills: the three largest gaps, the assessed one first.
    assert len(gaps) == 3
    assert gaps[0] == "Skill gap: Business strategy, level 1 of 3 needed"
    assert gaps[1].endswith("not assessed yet (4 needed)")
    expiring = TODAY + timedelta(days=30)
    assert f"Certified Product Manager expires on {expiring.day} {expiring:%b %Y}" in points
    assert not [p for p in points if "Certified Product Owner" in p]
