"""The plan page's badges and next step (issue 23, item 10): "Primary" only where it tells one of
the owner's plans from another, never for a mentor; each size of gap its own colour; the next
step's button shows its whole label."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from plans import services
from plans.models import CareerPlan, SkillAssessment
from tests.goals.factories import GoalFactory


def second_plan(alice, ladder) -> CareerPlan:
    return services.plan_create(
        plan=CareerPlan(title="Plan B", current_role=ladder.roles["apm"], target_role=ladder.roles["group"]),
        owner=alice,
    )


def test_a_persons_only_plan_has_no_primary_badge(alice_client, plan):
    assert 'data-testid="primary-badge"' not in alice_client.get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="primary-badge"' not in alice_client.get(reverse("plans:list")).content.decode()


def test_with_two_plans_the_primary_one_says_so(alice_client, alice, ladder, plan):
    other = second_plan(alice, ladder)
    html = alice_client.get(plan.get_absolute_url()).content.decode()
    assert re.search(r'data-testid="primary-badge">Primary<', html)
    assert 'data-testid="primary-badge"' not in alice_client.get(other.get_absolute_url()).content.decode()
    listing = alice_client.get(reverse("plans:list")).content.decode()
    assert listing.count('data-testid="primary-badge"') == 1


def test_the_cached_page_gains_and_loses_the_badge_as_plans_come_and_go(alice_client, alice, ladder, plan):
    url = plan.get_absolute_url()
    alice_client.get(url)  # the CSRF cookie
    assert "primary-badge" not in alice_client.get(url).content.decode()  # cached without it
    other = second_plan(alice, ladder)
    assert "primary-badge" in alice_client.get(url).content.decode()
    services.plan_set_archived(plan=other, archived=True)
    assert "primary-badge" not in alice_client.get(url).content.decode()
    services.plan_set_archived(plan=other, archived=False)
    assert "primary-badge" in alice_client.get(url).content.decode()
    services.plan_delete(plan=other)
    assert "primary-badge" not in alice_client.get(url).content.decode()


def test_a_mentor_never_sees_primary(client, alice, ladder, plan, mentor, mentor_share):
    second_plan(alice, ladder)
    client.force_login(mentor)
    assert "primary-badge" not in client.get(plan.get_absolute_url()).content.decode()
    assert "primary-badge" not in client.get(reverse("plans:list")).content.decode()


@pytest.mark.parametrize("person, status", [("stranger", 404), ("anonymous", 302)])
def test_nobody_else_reads_the_plan(client, request, plan, person, status):
    from tests.conftest import sign_in

    sign_in(client, request, person)
    assert client.get(plan.get_absolute_url()).status_code == status


def test_each_size_of_gap_has_its_own_colour(alice_client, plan, ladder):
    # Senior PM needs strategy 3, market 4, communication 4, leadership 3.
    levels = {"strategy": 2, "market": 2, "communication": 1, "leadership": 3}
    for slug, level in levels.items():
        SkillAssessment.objects.create(plan=plan, skill=ladder.skills[slug], level=level)
    html = alice_client.get(plan.get_absolute_url()).content.decode()
    badges = dict(
        (gap, colour)
        for colour, gap in re.findall(r'class="badge gap-badge (gap-badge-\d)"[^>]*>−(\d)<', html)
    )
    assert badges == {"1": "gap-badge-1", "2": "gap-badge-2", "3": "gap-badge-3"}


SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_gap_colours_are_distinct_and_their_text_reads_at_aa():
    css = SITE_CSS.read_text()
    ink = re.search(r"--cp-ink: (#[0-9a-f]{6})", css).group(1)
    colours = {}
    for n in (1, 2, 3):
        rule = re.search(rf"\.gap-badge-{n} {{ background-color: (#[0-9a-f]{{6}}); color: ([^;]+); }}", css)
        assert rule, n
        background, text = (
            rule.group(1),
            rule.group(2).replace("var(--cp-ink)", ink).replace("#fff", "#ffffff"),
        )
        assert contrast(background, text) >= 4.5, (n, background, text)
        colours[n] = background
    assert len(set(colours.values())) == 3


def test_the_next_step_shows_its_whole_label(alice_client, plan, ladder):
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["strategy"], level=1)
    title = "Present the quarterly product roadmap to the leadership team and two customer councils"
    GoalFactory(plan=plan, title=title, next_reminder_at=None, start_date=plan.created_at.date())
    html = alice_client.get(plan.get_absolute_url()).content.decode()
    button = re.search(r'<a class="([^"]*)"[^>]*data-testid="next-action-button">([^<]*)</a>', html)
    assert button, "the plan page offers a next step"
    assert "text-truncate" not in button.group(1)
