"""Draft goals from my gap: one per open assessed gap and per recommended certification not earned,
largest gap first, only a few ticked, deadlines by effort and apart."""

from datetime import timedelta
from itertools import pairwise

import pytest
from django.urls import reverse
from icalendar import Calendar

from goals.calendar import opaque_uid
from goals.drafting import (
    MIN_DAYS_BETWEEN_DEADLINES,
    PRETICKED_GAPS,
    draft_goals_from_gap,
    schedule_deadlines,
)
from goals.models import CalendarFeed, Goal
from plans.models import SkillAssessment
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
    for abbreviation, name in [("CPM", "Certified Product Manager"), ("CPO", "Certified Product Owner"),
                               ("CPL", "Certified Product Leader"), ("ACP", "Agile Certified Practitioner")]:  # fmt: skip
        certs[abbreviation] = CertificationFactory(name=name, abbreviation=abbreviation)
        if abbreviation != "ACP":
            certs[abbreviation].roles.add(senior)
    PlanCertificationFactory(plan=plan, certification=certs["CPO"], target_date=TODAY + timedelta(days=60))
    PlanCertificationFactory(plan=plan, certification=certs["CPL"], earned=True)
    return certs


def draft_url(plan) -> str:
    return reverse("goals:draft", args=[plan.pk])


def test_one_draft_per_open_gap_and_missing_certification(plan, gap):
    proposal = draft_goals_from_gap(plan, TODAY)

    titles = [d.title for d in proposal.drafts]
    assert len(titles) == 4
    assert titles[0] == "Reach level 4 in Market analysis"  # largest gap first
    assert titles[1] == "Reach level 4 in Communication"
    assert titles[2:] == ["Earn the CPM", "Earn the CPO"]
    assert [(d.baseline, d.target) for d in proposal.drafts] == [(2, 4), (3, 4), (0, 1), (0, 1)]
    assert [d.unit for d in proposal.drafts] == ["level", "level", "certification", "certification"]


def test_met_and_unassessed_skills_are_not_drafted(plan, gap, ladder):
    proposal = draft_goals_from_gap(plan, TODAY)

    drafted = {d.skill for d in proposal.drafts if d.skill}
    assert ladder.skills["strategy"] not in drafted  # met
    assert ladder.skills["leadership"] not in drafted  # unassessed
    assert proposal.unassessed == [ladder.skills["leadership"]]


def test_a_larger_gap_gets_more_time_and_deadlines_stay_apart(plan, gap, ladder):
    deadlines = {d.title: d.deadline for d in draft_goals_from_gap(plan, TODAY).drafts}

    # Three months per level of gap; a certification its planned date, else six months, moved
    # two weeks on when another goal is due then.
    assert deadlines == {
        "Reach level 4 in Market analysis": add_months(TODAY, 6),
        "Reach level 4 in Communication": add_months(TODAY, 3),
        "Earn the CPO": TODAY + timedelta(days=60),
        "Earn the CPM": add_months(TODAY, 6) + timedelta(days=MIN_DAYS_BETWEEN_DEADLINES),
    }


def test_a_skill_drafts_title_carries_no_date(plan, gap):
    draft = draft_goals_from_gap(plan, TODAY).drafts[0]

    assert draft.title == "Reach level 4 in Market analysis"
    assert str(draft.deadline.year) not in draft.title


def test_deadlines_never_pass_the_plans_target_date(plan, gap):
    plan.target_date = TODAY + timedelta(days=100)
    plan.save()
    deadlines = sorted(d.deadline for d in draft_goals_from_gap(plan, TODAY).drafts)

    # Market and CPM (six months) are pulled back to the target date, the others two weeks apart
    # before them, so CPO moves two days ahead of its planned day 60.
    assert deadlines == [TODAY + timedelta(days=n) for n in (58, 72, 86, 100)]


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
    assert html.count('name="drafts"') == 4
    assert html.count("checked") == 3  # both gaps and CPO, the certification the plan already pursues
    unticked = [draft.key for draft, checked in response.context["form"].rows() if not checked]
    assert unticked == [f"certification-{gap['CPM'].pk}"]
    assert "Earn the CPM" in html
    assert "3 → 4 level" in html
    assert "Leadership" in html
    assert reverse("plans:assess", args=[plan.pk]) in html


@pytest.fixture
def wide_gap(plan, gap, ladder):
    """Six more skills Senior PM needs at 5, assessed at 1 to 4 (gaps 4, 3, 2, 1, 1, 1), and three
    more recommended certifications: 8 skill gaps and 5 certifications to draft in all."""
    senior = ladder.roles["senior"]
    for name, level in [("Pricing", 1), ("Roadmapping", 2), ("Analytics", 3), ("Discovery", 4),
                        ("Delivery", 4), ("Negotiation", 4)]:  # fmt: skip
        skill = SkillFactory(name=name)
        RoleSkillFactory(role=senior, skill=skill, level=5)
        SkillAssessment.objects.create(plan=plan, skill=skill, level=level)
    for abbreviation in ("AAA", "BBB", "CCC"):
        CertificationFactory(abbreviation=abbreviation).roles.add(senior)


def test_only_the_largest_gaps_and_one_certification_are_preticked(plan, wide_gap):
    drafts = draft_goals_from_gap(plan, TODAY).drafts
    skills = [d for d in drafts if d.skill]
    ticked = [d.title for d in drafts if d.preticked]

    assert len(drafts) == 13
    assert [int(d.target - d.baseline) for d in skills] == [4, 3, 2, 2, 1, 1, 1, 1]  # largest first
    assert ticked == ["Reach level 5 in Pricing", "Reach level 5 in Roadmapping", "Reach level 5 in Analytics",
                      "Earn the CPO"]  # fmt: skip
    assert len([d for d in skills if d.preticked]) == PRETICKED_GAPS


def test_deadlines_of_many_drafts_are_two_weeks_apart_and_follow_the_gap(plan, wide_gap):
    drafts = draft_goals_from_gap(plan, TODAY).drafts
    deadlines = sorted(d.deadline for d in drafts)

    assert all((b - a).days >= MIN_DAYS_BETWEEN_DEADLINES for a, b in pairwise(deadlines))
    assert deadlines[0] > TODAY
    assert deadlines[-1] <= add_months(TODAY, 12)
    skills = [(d.target - d.baseline, d.deadline) for d in drafts if d.skill]
    assert all(due_a > due_b for gap_a, due_a in skills for gap_b, due_b in skills if gap_a > gap_b)


def test_page_says_how_many_are_selected(alice_client, plan, gap):
    html = alice_client.get(draft_url(plan)).content.decode()

    assert "3 of 4 selected" in html
    assert 'src="/static/js/draft-count.js"' in html  # keeps the count as boxes change


def test_count_follows_what_was_posted_when_the_form_comes_back(alice_client, plan, gap):
    response = alice_client.post(draft_url(plan), {"drafts": ["skill-999999"]})

    assert "0 of 4 selected" in response.content.decode()


def test_post_creates_only_the_ticked_goals(alice_client, plan, gap, ladder):
    skill_key = f"skill-{ladder.skills['market'].pk}"
    cert_key = f"certification-{gap['CPM'].pk}"
    response = alice_client.post(draft_url(plan), {"drafts": [skill_key, cert_key]}, follow=True)

    goals = list(Goal.objects.order_by("deadline"))
    assert response.redirect_chain[-1][0] == plan.get_absolute_url() + "#goals"
    assert "2 goals added." in [m.message for m in response.context["messages"]]
    assert [g.title.split(" by ")[0] for g in goals] == ["Reach level 4 in Market analysis", "Earn the CPM"]
    assert goals[0].skill == ladder.skills["market"]
    assert goals[1].certification == gap["CPM"]
    assert all(g.plan == plan and g.start_date == TODAY and g.next_reminder_at for g in goals)


def test_nothing_ticked_is_a_form_error_and_creates_nothing(alice_client, plan, gap):
    response = alice_client.post(draft_url(plan), {})

    assert response.status_code == 200
    assert "Tick at least one goal" in " ".join(response.context["form"].errors["drafts"])
    assert not Goal.objects.exists()


def test_unknown_draft_creates_nothing(alice_client, plan, gap):
    response = alice_client.post(
        draft_url(plan), {"drafts": ["skill-999999", f"certification-{gap['CPM'].pk}"]}
    )

    assert "drafts" in response.context["form"].errors
    assert not Goal.objects.exists()


def test_gaps_with_an_active_goal_are_not_drafted_again(alice_client, plan, gap, ladder):
    GoalFactory(plan=plan, skill=ladder.skills["market"])
    GoalFactory(plan=plan, certification=gap["CPM"], status=Goal.Status.ABANDONED)  # abandoned: draft again

    proposal = draft_goals_from_gap(plan, TODAY)

    assert [d.key for d in proposal.drafts] == [
        f"skill-{ladder.skills['communication'].pk}", f"certification-{gap['CPM'].pk}",
        f"certification-{gap['CPO'].pk}",
    ]  # fmt: skip
    assert proposal.covered == ["Market analysis"]


def test_an_expired_certification_is_drafted_again(plan, gap):
    cpl = plan.certifications.get(certification=gap["CPL"])
    cpl.earned_on = TODAY - timedelta(days=800)
    cpl.expires_on = TODAY - timedelta(days=70)
    cpl.save()

    assert "Earn the CPL" in [d.title for d in draft_goals_from_gap(plan, TODAY).drafts]


def test_nothing_to_draft_says_so(alice_client, plan):
    response = alice_client.get(draft_url(plan))

    assert b'data-testid="no-drafts"' in response.content
    assert b'name="drafts"' not in response.content


def test_a_drafted_goal_whose_deadline_moves_shows_the_new_date(alice_client, plan, gap, ladder):
    alice_client.post(draft_url(plan), {"drafts": [f"skill-{ladder.skills['market'].pk}"]})
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
