"""The plan's history page tells every change made in the plan (issue 23, item 5): assessments,
goals, check-ins, milestones, certifications, activities, sharing and comments, each with who made
it (the owner, or a mentor, marked as such) and when; a page at a time, at a fixed number of
queries; read by the owner and the plan's mentors only. The events go with the plan and with the
account."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from goals.models import Goal
from plans.events import PlanEvent
from plans.history import PER_PAGE
from plans.sharing.models import Share
from tests.conftest import NOW, TODAY
from tests.factories import CertificationFactory
from tests.goals.test_goal_form import edit_data, goal_data
from tests.plans.factories import CareerPlanFactory

STEP = timedelta(minutes=11)  # more than an invitation's resend wait
QUERIES = 7  # the history page's: see test_the_history_costs_the_same_queries_however_many_events


def history_url(plan, page: int | None = None) -> str:
    url = reverse("plans:history", args=[plan.pk])
    return f"{url}?page={page}" if page else url


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entries(response) -> list[dict]:
    """The page's event entries, newest first: when (as written in <time>), who, a mentor badge,
    and the sentence."""
    html = response.content.decode()
    found = []
    for item in re.findall(r'<li class="timeline-item" data-testid="event".*?</li>', html, re.S):
        found.append(
            {
                "when": re.search(r'<time datetime="([^"]+)"', item).group(1),
                "by": strip_tags(re.search(r'data-testid="event-by">(.*?)</span>', item, re.S).group(1)),
                "mentor": 'data-testid="by-mentor"' in item,
                "text": " ".join(strip_tags(item.split("</div>", 1)[1]).split()),
            }
        )
    return found


@pytest.fixture
def named(alice, mentor):
    alice.first_name, mentor.first_name = "Alice Owner", "Maya Mentor"
    alice.save(update_fields=["first_name"])
    mentor.save(update_fields=["first_name"])


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def walk(clock, plan, ladder, alice, mentor) -> list[tuple[str, str, str, bool]]:
    """Every kind of change, through the pages people use, a step apart; what the history should
    say of each, as (moment, who, sentence, by a mentor), oldest first."""
    owner, maya = client_for(alice), client_for(mentor)
    cert = CertificationFactory(name="Certified Product Manager", abbreviation="CPM")
    done: list[tuple[str, str, str, bool]] = []

    def step(client, method: str, url: str, data: dict | None, said: str) -> None:
        clock.shift(STEP)
        response = getattr(client, method)(url, data or {})
        assert response.status_code in (200, 302), (url, response.status_code)
        who = "Maya Mentor" if client is maya else "Alice Owner"
        done.append((timezone.now().isoformat(), who, said, client is maya))

    strategy, market = ladder.skills["strategy"], ladder.skills["market"]
    assess = {f"level_{strategy.pk}": "2", f"level_{market.pk}": "3"}
    step(
        owner,
        "post",
        reverse("plans:assess", args=[plan.pk]),
        assess,
        "Assessed two skills: Business strategy and Market analysis",
    )
    step(
        owner,
        "post",
        reverse("goals:create", args=[plan.pk]),
        goal_data(),
        "Added the goal “Run 4 customer interviews a month”",
    )
    goal = Goal.objects.get(plan=plan)
    title = "Run 5 customer interviews a month"
    step(
        owner,
        "post",
        reverse("goals:edit", args=[goal.pk]),
        edit_data(goal, title=title, target="5"),
        f"Edited the goal “{title}”",
    )
    check_in = {"value": "2", "note": "", "date": TODAY.isoformat()}
    step(
        owner,
        "post",
        reverse("goals:check_in_add", args=[goal.pk]),
        check_in,
        f"Checked in on “{title}”: 2 interviews",
    )
    check_in_pk = goal.check_ins.get().pk
    step(
        owner,
        "post",
        reverse("goals:check_in_edit", args=[goal.pk, check_in_pk]),
        {**check_in, "value": "3"},
        f"Corrected a check-in on “{title}”: 3 interviews",
    )
    step(
        owner,
        "post",
        reverse("goals:check_in_delete", args=[goal.pk, check_in_pk]),
        None,
        f"Deleted a check-in on “{title}” (3 interviews)",
    )
    milestone = {"title": "Script reviewed", "due_date": (TODAY + timedelta(days=10)).isoformat()}
    step(
        owner,
        "post",
        reverse("goals:milestone_add", args=[goal.pk]),
        milestone,
        f"Added the milestone “Script reviewed” to “{title}”",
    )
    toggle = reverse("goals:milestone_toggle", args=[goal.pk, goal.milestones.get().pk])
    step(owner, "post", toggle, {"done": "1"}, f"Marked the milestone “Script reviewed” of “{title}” as done")
    step(
        owner,
        "post",
        toggle,
        {"done": "0"},
        f"Marked the milestone “Script reviewed” of “{title}” as not done",
    )
    step(
        owner,
        "post",
        reverse("goals:milestone_delete", args=[goal.pk, goal.milestones.get().pk]),
        None,
        f"Removed the milestone “Script reviewed” from “{title}”",
    )
    status = reverse("goals:status", args=[goal.pk])
    step(owner, "post", status, {"status": "paused"}, f"Marked the goal “{title}” as paused")
    step(owner, "post", status, {"status": "active"}, f"Resumed the goal “{title}”")
    step(
        owner,
        "post",
        reverse("plans:certification_add", args=[plan.pk]),
        {"certification": cert.pk, "status": "planned"},
        "Added the certification Certified Product Manager (CPM) (planned)",
    )
    record = plan.certifications.get()
    edit_cert = reverse("plans:certification_edit", args=[plan.pk, record.pk])
    step(
        owner,
        "post",
        edit_cert,
        {"status": "in_progress"},
        "Updated the certification Certified Product Manager (CPM) (in progress)",
    )
    step(
        owner,
        "post",
        edit_cert,
        {"status": "earned", "earned_on": TODAY.isoformat()},
        "Earned the certification Certified Product Manager (CPM)",
    )
    step(
        owner,
        "post",
        reverse("plans:certification_delete", args=[plan.pk, record.pk]),
        None,
        "Removed the certification Certified Product Manager (CPM)",
    )
    activity = {"kind": "course", "title": "Pricing course", "date": TODAY.isoformat(), "status": "done"}
    step(
        owner,
        "post",
        reverse("plans:activity_add", args=[plan.pk]),
        activity,
        "Logged the activity “Pricing course” (course)",
    )
    activity_pk = plan.activities.get().pk
    step(
        owner,
        "post",
        reverse("plans:activity_edit", args=[plan.pk, activity_pk]),
        {**activity, "kind": "book"},
        "Edited the activity “Pricing course” (book)",
    )
    step(
        owner,
        "post",
        reverse("plans:activity_delete", args=[plan.pk, activity_pk]),
        None,
        "Deleted the activity “Pricing course”",
    )
    step(
        owner,
        "post",
        reverse("plans:share_list", args=[plan.pk]),
        {"email": mentor.email, "message": ""},
        "Invited mentor@example.com to read the plan",
    )
    share = Share.objects.get(plan=plan)
    step(
        owner,
        "post",
        reverse("plans:share_resend", args=[plan.pk, share.pk]),
        None,
        "Sent the invitation to mentor@example.com again",
    )
    step(
        maya,
        "get",
        reverse("plans:invitation_accept", args=[share.token]),
        None,
        "Accepted the invitation to read the plan",
    )
    step(
        owner,
        "post",
        reverse("plans:share_may_rate", args=[plan.pk, share.pk]),
        {"may_rate": "1"},
        "Asked mentor@example.com to rate their skills",
    )
    step(
        maya,
        "post",
        reverse("plans:rate", args=[plan.pk]),
        {"skill": str(market.pk), "level": "4", "note": "Ran the pricing study"},
        "Rated Market analysis: Advanced",
    )
    rating = plan.ratings.get()
    step(
        owner,
        "post",
        reverse("plans:level_choose", args=[plan.pk]),
        {"skill": str(market.pk), "choice": str(rating.pk)},
        "Chose the level of Market analysis that counts: 4, as rated by Maya Mentor",
    )
    step(
        owner,
        "post",
        reverse("plans:share_may_rate", args=[plan.pk, share.pk]),
        {"may_rate": "0"},
        "Stopped mentor@example.com rating their skills",
    )
    step(
        maya,
        "post",
        reverse("plans:comment_add", args=[plan.pk]),
        {"body": "Good start."},
        "Commented on the plan",
    )
    step(
        maya,
        "post",
        reverse("goals:comment_add", args=[goal.pk]),
        {"body": "Keep going."},
        f"Commented on the goal “{title}”",
    )
    step(
        owner,
        "post",
        reverse("plans:comment_add", args=[plan.pk]),
        {"body": "Thanks!"},
        "Commented on the plan",
    )
    step(owner, "post", status, {"status": "completed"}, f"Completed the goal “{title}”")
    step(
        owner,
        "post",
        reverse("plans:share_revoke", args=[plan.pk, share.pk]),
        None,
        "Ended the access of mentor@example.com",
    )
    step(owner, "post", reverse("goals:delete", args=[goal.pk]), None, f"Deleted the goal “{title}”")
    return done


def test_every_kind_of_change_is_on_the_history_with_who_and_when(clock, plan, ladder, alice, mentor, named):
    done = walk(clock, plan, ladder, alice, mentor)

    shown = entries(client_for(alice).get(history_url(plan)))

    expected = [
        {"when": when, "by": who, "mentor": by_mentor, "text": said} for when, who, said, by_mentor in done
    ]
    assert shown == expected[::-1]
    assert {e.kind for e in PlanEvent.objects.all()} == set(PlanEvent.Kind), "a kind the walk never made"


def test_a_mentor_reads_the_history_without_the_invited_addresses(clock, plan, ladder, alice, mentor, named):
    walk(clock, plan, ladder, alice, mentor)
    Share.objects.create(plan=plan, email=mentor.email, user=mentor)  # access again, to read it

    response = client_for(mentor).get(history_url(plan))

    assert response.status_code == 200
    texts = [e["text"] for e in entries(response)]
    assert "Invited someone to read the plan" in texts and "Ended the access of someone" in texts
    assert "mentor@example.com" not in response.content.decode()


def test_the_plans_own_edits_stay_among_the_events(clock, alice_client, plan, ladder):
    from plans.services import assessment_save, plan_update

    plan.history.update(history_user=plan.owner)
    clock.shift(STEP)
    assessment_save(plan=plan, values={ladder.skills["market"].pk: (2, "")})
    clock.shift(STEP)
    plan.title = "Become a Group PM"
    plan_update(plan=plan, reason="Aiming higher")

    html = alice_client.get(history_url(plan)).content.decode()

    assert (
        html.index("Aiming higher")
        < html.index("Assessed one skill: Market analysis")
        < html.index("Plan created")
    )


# --- Many events: a page at a time, the same queries ----------------------------------------------


def add_events(plan, count: int) -> None:
    PlanEvent.objects.bulk_create(
        PlanEvent(
            plan=plan,
            by_id=plan.owner_id,
            kind=PlanEvent.Kind.GOAL_EDITED,
            subject=f"Goal {n}",
            at=NOW + timedelta(minutes=n),
        )
        for n in range(count)
    )


def test_the_history_costs_the_same_queries_however_many_events(
    frozen_time, alice_client, plan, django_assert_max_num_queries
):
    for count in (3, PER_PAGE * 3):
        PlanEvent.objects.all().delete()
        add_events(plan, count)
        # session, user; the plan (visible to her); one page of events with who made them; the
        # plan's revisions with their editors, the roles they name, the requirement changes. 7.
        with django_assert_max_num_queries(QUERIES):
            assert alice_client.get(history_url(plan)).status_code == 200


def test_a_long_history_is_paged(frozen_time, alice_client, plan):
    add_events(plan, PER_PAGE + 5)

    first = alice_client.get(history_url(plan))
    second = alice_client.get(history_url(plan, 2))

    assert [e["text"] for e in entries(first)][:2] == [
        f"Edited the goal “Goal {PER_PAGE + 4}”",
        f"Edited the goal “Goal {PER_PAGE + 3}”",
    ]
    assert len(entries(first)) == PER_PAGE
    assert 'href="?page=2"' in first.content.decode() and "Newer changes" not in first.content.decode()
    # The rest of the events, then the plan's creation, oldest last.
    assert len(entries(second)) == 5 and "Plan created" in second.content.decode()
    assert 'href="?page=1"' in second.content.decode() and "Older changes" not in second.content.decode()


@pytest.mark.parametrize("page", ["3", "0", "abc", "99999999999999999"])
def test_a_page_past_the_end_or_not_a_page_is_404(alice_client, plan, page):
    add_events(plan, PER_PAGE + 5)

    assert alice_client.get(history_url(plan) + f"?page={page}").status_code == 404


# --- Who may read it ---------------------------------------------------------------------------


def test_another_user_gets_404(bob_client, plan):
    add_events(plan, 2)

    assert bob_client.get(history_url(plan)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, plan):
    response = client.get(history_url(plan))

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# --- Events go with the plan and with the account ------------------------------------------------


def test_deleting_the_plan_removes_its_events_and_says_so_first(alice_client, plan):
    add_events(plan, 3)
    other = CareerPlanFactory(owner=plan.owner)
    add_events(other, 1)

    page = alice_client.get(reverse("plans:delete", args=[plan.pk]))
    assert "three entries in its history" in page.context["contents"]
    alice_client.post(reverse("plans:delete", args=[plan.pk]))

    assert not PlanEvent.objects.filter(plan_id=plan.pk).exists()
    assert PlanEvent.objects.filter(plan=other).count() == 1


def test_deleting_an_account_removes_its_plans_events_and_leaves_what_it_did_elsewhere(alice, bob, named):
    from accounts.deletion import account_delete
    from plans.sharing import services as sharing

    bobs_plan = CareerPlanFactory(owner=bob)
    share = sharing.share_invite(plan=bobs_plan, email=alice.email, message="")
    assert sharing.share_accept(share=share, user=alice)
    sharing.comment_add(plan=bobs_plan, author=alice, body="On Bob's plan.")
    her_plan = CareerPlanFactory(owner=alice)
    add_events(her_plan, 2)

    account_delete(user=alice, address=alice.email)

    assert not PlanEvent.objects.filter(plan_id=her_plan.pk).exists()
    texts = [e["text"] for e in entries(client_for(bob).get(history_url(bobs_plan)))]
    whos = [e["by"] for e in entries(client_for(bob).get(history_url(bobs_plan)))]
    # What she did on Bob's plan stays, by no one; his invitation no longer names her address.
    assert texts == [
        "Commented on the plan",
        "Accepted the invitation to read the plan",
        "Invited a former member to read the plan",
    ]
    assert whos == ["a former member", "a former member", "Bob"] or whos[:2] == [
        "a former member",
        "a former member",
    ]
    assert not PlanEvent.objects.filter(subject=alice.email).exists()
