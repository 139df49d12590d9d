"""Drafting from my gap, its goals: one per open assessed gap, largest gap first, only a few ticked,
deadlines by effort and apart (with the certifications proposed beside them). Activities and
certifications in detail: test_draft_actions.py."""

from datetime import timedelta
from itertools import pairwise

import pytest
from django.urls import reverse
from icalendar import Calendar

from goals.calendar.feed import opaque_uid
from goals.drafting import (
    MIN_DAYS_BETWEEN_DEADLINES,
    PRETICKED_GAPS,
    draft_from_gap,
    schedule_deadlines,
)
from goals.models import CalendarFeed, Goal
from plans.models import PlanCertification, SkillAssessment
from skills.models import add_months
from tests.conftest import TODAY
from tests.factories import CertificationFactory, RoleSkillFactory, SkillFactory
from tests.goals.factories import GoalFactory
from tests.plans.factories import PlanCertificationFactory

# Dates here are relative to TODAY; the clock stands still at NOW so they stay right at midnight.
pytestmark = pytest.mark.usefixtures("frozen_time")


@pytest.fixture
def gap(plan, ladder):
    """Senior PM needs strategy 3, market 4, communication 4, leadership 3.

    Alice: strategy 3 (met), market 2 (two short), communication 3 (one short), leadership unassessed.
    Certifications for Senior PM: CPM (not on the plan), CPO (planned), CPL (earned); ACP is for nobody.
    """
    for slug, level in [("strategy", 3), ("market", 2), ("communication", 3)]:
        SkillAssessment.objects.create(plan=plan, skill=ladder.skills[slug], level=level)
    senior = ladder.roles["senior"]
    certs = {}
    for abbreviation, name in [
        ("CPM", "Certified Product Manager"),
        ("CPO", "Certified Product Owner"),
        ("CPL", "Certified Product Leader"),
        ("ACP", "Agile Certified Practitioner"),
    ]:
        certs[abbreviation] = CertificationFactory(name=name, abbreviation=abbreviation)
        if abbreviation != "ACP":
            certs[abbreviation].roles.add(senior)
    PlanCertificationFactory(plan=plan, certification=certs["CPO"], target_date=TODAY + timedelta(days=60))
    PlanCertificationFactory(plan=plan, certification=certs["CPL"], earned=True)
    return certs


def draft_url(plan) -> str:
    return reverse("goals:draft", args=[plan.pk])


def test_one_goal_per_open_gap_and_the_certifications_not_on_the_plan(plan, gap):
    proposal = draft_from_gap(plan, TODAY)

    titles = [d.title for d in proposal.goals]
    assert titles == [
        "Reach level 4 in Market analysis",
        "Reach level 4 in Communication",
    ]  # largest gap first
    assert [(d.baseline, d.target) for d in proposal.goals] == [(2, 4), (3, 4)]
    assert [d.unit for d in proposal.goals] == ["level", "level"]
    # CPO (planned) and CPL (earned) are on the plan already; a certification is never a goal here.
    assert [d.certification for d in proposal.certifications] == [gap["CPM"]]


def test_met_and_unassessed_skills_are_not_drafted(plan, gap, ladder):
    proposal = draft_from_gap(plan, TODAY)

    drafted = {d.skill for d in proposal.goals}
    assert ladder.skills["strategy"] not in drafted  # met
    assert ladder.skills["leadership"] not in drafted  # unassessed
    assert proposal.unassessed == [ladder.skills["leadership"]]


def test_a_larger_gap_gets_more_time_and_deadlines_stay_apart(plan, gap, ladder):
    proposal = draft_from_gap(plan, TODAY)
    deadlines = {d.title: d.deadline for d in proposal.goals}

    # Three months per level of gap; a certification six months, moved two weeks on when a goal
    # is due then.
    assert deadlines == {
        "Reach level 4 in Market analysis": add_months(TODAY, 6),
        "Reach level 4 in Communication": add_months(TODAY, 3),
    }
    assert [c.target_date for c in proposal.certifications] == [
        add_months(TODAY, 6) + timedelta(days=MIN_DAYS_BETWEEN_DEADLINES)
    ]


def test_a_skill_drafts_title_carries_no_date(plan, gap):
    draft = draft_from_gap(plan, TODAY).goals[0]

    assert draft.title == "Reach level 4 in Market analysis"
    assert str(draft.deadline.year) not in draft.title


def test_deadlines_never_pass_the_plans_target_date(plan, gap):
    plan.target_date = TODAY + timedelta(days=100)
    plan.save()
    proposal = draft_from_gap(plan, TODAY)
    deadlines = sorted(
        [d.deadline for d in proposal.goals] + [c.target_date for c in proposal.certifications]
    )

    # Market and CPM (six months) are pulled back to the target date, communication (three months)
    # two weeks before the earlier of them.
    assert deadlines == [TODAY + timedelta(days=n) for n in (72, 86, 100)]


def test_a_close_target_date_forces_deadlines_closer_but_never_onto_today():
    end = TODAY + timedelta(days=20)
    deadlines = schedule_deadlines([add_months(TODAY, 6)] * 4, TODAY, end)

    assert deadlines == [TODAY + timedelta(days=n) for n in (5, 10, 15, 20)]  # as far apart as 20 days allow


def test_scheduled_deadlines_never_fall_on_today():
    assert (
        schedule_deadlines([TODAY, TODAY, TODAY], TODAY, TODAY + timedelta(days=1))
        == [TODAY + timedelta(days=1)] * 3
    )


def test_page_lists_drafts_ticks_the_largest_gaps_and_points_to_the_assessment(alice_client, plan, gap):
    response = alice_client.get(draft_url(plan))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('name="drafts"') == 2
    assert html.count('name="certifications"') == 1
    assert html.count(" checked") == 3  # both gaps and CPM, the one certification to add
    assert [checked for _, checked in response.context["form"].goal_rows()] == [True, True]
    assert "Certified Product Manager (CPM)" in html
    assert "Self-assessed level: 3 → 4 ·" in html  # not "3 → 4 level"
    assert "Leadership" in html
    assert reverse("plans:assess", args=[plan.pk]) in html


@pytest.fixture
def wide_gap(plan, gap, ladder):
    """Six more skills Senior PM needs at 5, assessed at 1 to 4 (gaps 4, 3, 2, 1, 1, 1), and three
    more recommended certifications: 8 skill gaps and 4 certifications to draft in all."""
    senior = ladder.roles["senior"]
    for name, level in [
        ("Pricing", 1),
        ("Roadmapping", 2),
        ("Analytics", 3),
        ("Discovery", 4),
        ("Delivery", 4),
        ("Negotiation", 4),
    ]:
        skill = SkillFactory(name=name)
        RoleSkillFactory(role=senior, skill=skill, level=5)
        SkillAssessment.objects.create(plan=plan, skill=skill, level=level)
    for abbreviation in ("AAA", "BBB", "CCC"):
        CertificationFactory(abbreviation=abbreviation).roles.add(senior)


def test_only_the_largest_gaps_and_one_certification_are_preticked(plan, wide_gap):
    proposal = draft_from_gap(plan, TODAY)
    skills = proposal.goals
    ticked = [d.title for d in skills if d.preticked]

    assert (len(skills), len(proposal.certifications)) == (8, 4)
    assert [int(d.target - d.baseline) for d in skills] == [4, 3, 2, 2, 1, 1, 1, 1]  # largest first
    assert ticked == [
        "Reach level 5 in Pricing",
        "Reach level 5 in Roadmapping",
        "Reach level 5 in Analytics",
    ]
    assert len(ticked) == PRETICKED_GAPS
    first_by_name = min(proposal.certifications, key=lambda d: d.certification.name)
    assert [d.certification for d in proposal.certifications if d.preticked] == [first_by_name.certification]


def test_deadlines_of_many_drafts_are_two_weeks_apart_and_follow_the_gap(plan, wide_gap):
    proposal = draft_from_gap(plan, TODAY)
    deadlines = sorted(
        [d.deadline for d in proposal.goals] + [c.target_date for c in proposal.certifications]
    )

    assert all((b - a).days >= MIN_DAYS_BETWEEN_DEADLINES for a, b in pairwise(deadlines))
    assert deadlines[0] > TODAY
    assert deadlines[-1] <= add_months(TODAY, 12)
    skills = [(d.target - d.baseline, d.deadline) for d in proposal.goals]
    assert all(due_a > due_b for gap_a, due_a in skills for gap_b, due_b in skills if gap_a > gap_b)


def test_page_says_how_many_are_selected(alice_client, plan, gap):
    html = alice_client.get(draft_url(plan)).content.decode()

    assert "3 of 3 selected" in html
    assert 'src="/static/js/draft-count.js"' in html  # keeps the count as boxes change


def test_count_follows_what_was_posted_when_the_form_comes_back(alice_client, plan, gap):
    response = alice_client.post(draft_url(plan), {"drafts": ["999999"]})

    assert "0 of 3 selected" in response.content.decode()


def test_post_creates_only_the_ticked_goals_and_certifications(alice_client, plan, gap, ladder):
    data = {"drafts": [ladder.skills["market"].pk], "certifications": [gap["CPM"].pk]}
    response = alice_client.post(draft_url(plan), data, follow=True)

    goal = Goal.objects.get()
    assert response.redirect_chain[-1][0] == plan.get_absolute_url() + "#goals"
    assert "Added 1 goal and 1 certification to your plan." in [
        m.message for m in response.context["messages"]
    ]
    assert (goal.title, goal.skill) == ("Reach level 4 in Market analysis", ladder.skills["market"])
    assert goal.plan == plan and goal.start_date == TODAY and goal.next_reminder_at
    cpm = PlanCertification.objects.get(plan=plan, certification=gap["CPM"])
    assert cpm.status == PlanCertification.Status.PLANNED and cpm.target_date > TODAY


def test_nothing_ticked_is_a_form_error_and_creates_nothing(alice_client, plan, gap):
    response = alice_client.post(draft_url(plan), {})

    assert response.status_code == 200
    assert "Tick at least one goal, activity or certification" in " ".join(
        response.context["form"].non_field_errors()
    )
    assert not Goal.objects.exists()


def test_unknown_draft_creates_nothing(alice_client, plan, gap):
    response = alice_client.post(draft_url(plan), {"drafts": ["999999"], "certifications": [gap["CPM"].pk]})

    assert "drafts" in response.context["form"].errors
    assert not Goal.objects.exists()
    assert not PlanCertification.objects.filter(certification=gap["CPM"]).exists()


def test_gaps_with_an_active_goal_are_not_drafted_again(alice_client, plan, gap, ladder):
    GoalFactory(plan=plan, skill=ladder.skills["market"])
    GoalFactory(plan=plan, skill=ladder.skills["communication"], status=Goal.Status.ABANDONED)  # draft again

    proposal = draft_from_gap(plan, TODAY)

    assert [d.skill for d in proposal.goals] == [ladder.skills["communication"]]
    assert proposal.covered == ["Market analysis"]


def test_a_certification_on_the_plan_is_not_proposed_in_any_state(plan, gap):
    cpl = plan.certifications.get(certification=gap["CPL"])
    cpl.earned_on = TODAY - timedelta(days=800)
    cpl.expires_on = TODAY - timedelta(days=70)  # lapsed: renewed on the plan, not added again
    cpl.save()

    assert [d.certification for d in draft_from_gap(plan, TODAY).certifications] == [gap["CPM"]]


def test_nothing_to_draft_says_so(alice_client, plan):
    response = alice_client.get(draft_url(plan))

    assert b'data-testid="no-drafts"' in response.content
    assert b'name="drafts"' not in response.content


def test_a_drafted_goal_whose_deadline_moves_shows_the_new_date(alice_client, plan, gap, ladder):
    alice_client.post(draft_url(plan), {"drafts": [ladder.skills["market"].pk]})
    goal = Goal.objects.get()
    goal.deadline = TODAY + timedelta(days=300)  # 11 Apr 2027
    goal.save()
    feed = CalendarFeed.objects.create(user=plan.owner)

    events = Calendar.from_ical(alice_client.get(feed.get_absolute_url()).content).walk("VEVENT")
    event = next(e for e in events if str(e["UID"]).startswith(opaque_uid(f"goal-{goal.pk}") + "@"))
    assert goal.title == "Reach level 4 in Market analysis"
    assert str(event["SUMMARY"]) == "Deadline: Reach level 4 in Market analysis"
    assert event.start == goal.deadline
    assert "Due 11 Apr 2027" in str(event["DESCRIPTION"])
    assert "Due 11 Apr 2027" in alice_client.get(plan.get_absolute_url()).content.decode()
