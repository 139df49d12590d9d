"""A mentor of three people in a browser, at phone and desktop widths: the people page puts the
one behind first with each person's readiness; the skills heatmap is a table on a wide screen and
a list per skill on a phone, each cell saying its value; axe-core finds nothing serious and the
policy refuses nothing; taps are 44 px on a phone. The flow runs at a phone's width; each page is
checked there and widened to a desktop's."""

import pytest

from tests.conftest import make_user
from tests.e2e.conftest import assert_accessible_at_each_width, signed_in_context
from tests.e2e.test_accessibility import taps_are_44_px_on_a_phone

pytestmark = pytest.mark.browser

PASSWORD = "a long demo passphrase 7"
SHOTS = "/tmp/shots-people"


def mentor_of_three():
    from tests.factories import RoleFactory, RoleSkillFactory, SkillFactory, TrackFactory
    from tests.plans.mentoring_factories import behind_goal, mentee, on_track_goal

    mentor = make_user("maya@example.com", PASSWORD)
    mentor.first_name = "Maya Mentor"
    mentor.save(update_fields=["first_name"])
    track = TrackFactory(name="Product Management")
    apm = RoleFactory(track=track, title="Associate Product Manager", level=2)
    senior = RoleFactory(track=track, title="Senior Product Manager", level=4)
    skills = [SkillFactory(name=name) for name in ("Data analytics", "Business strategy", "Communication")]
    for skill, level in zip(skills, (4, 3, 4), strict=True):
        RoleSkillFactory(role=senior, skill=skill, level=level)
    data, strategy, talk = skills
    ann = mentee(
        mentor, name="Ann Archer", current=apm, target=senior, levels={data: 4, strategy: 3, talk: 4}
    )
    ben = mentee(mentor, name="Ben Baker", current=apm, target=senior, levels={data: 2, strategy: 1, talk: 3})
    cat = mentee(mentor, name="Cat Cole", current=apm, target=senior, levels={data: 2, strategy: 3})
    behind_goal(ben)
    on_track_goal(ann)
    on_track_goal(cat)
    return mentor


def shot(page, name: str) -> None:
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_mentor_of_three_reads_the_people_page_and_the_heatmap(live_server, browser):
    mentor = mentor_of_three()
    context = signed_in_context(browser, live_server, 390, mentor)
    page = context.new_page()

    page.goto(live_server.url + "/")
    page.get_by_test_id("people-link").click()
    page.wait_for_url("**/mentoring/")
    names = page.get_by_test_id("person-name").all_inner_texts()
    assert names == ["Ben Baker", "Ann Archer", "Cat Cole"]  # Ben is behind
    readiness = page.get_by_test_id("person-readiness").all_inner_texts()
    assert readiness[0].startswith("55% ready") and readiness[1].startswith("100% ready")
    assert readiness[2].startswith("71% ready")  # 2 of 4 and 3 of 3 assessed: 5 of 7 levels
    slipping = page.get_by_test_id("person-slipping").first.inner_text()
    assert "1 behind" in slipping and "Run 12 customer interviews" in slipping

    def taps_and_a_screenshot(width: int) -> None:
        taps_are_44_px_on_a_phone(page)(width)
        shot(page, f"people-{width}")

    assert_accessible_at_each_width(page, "people page", also=taps_and_a_screenshot)

    page.get_by_label("Target role").select_option(label="Senior Product Manager")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/mentoring/?*")
    assert page.get_by_test_id("person-name").count() == 3

    page.get_by_role("link", name="Skills across them").first.click()
    page.wait_for_url("**/mentoring/skills/**")

    def heatmap_for_the_width(width: int) -> None:
        shown = page.get_by_test_id("heatmap-table" if width >= 768 else "heatmap-list")
        assert shown.is_visible()
        hidden = page.get_by_test_id("heatmap-list" if width >= 768 else "heatmap-table")
        assert not hidden.is_visible()
        assert "2 of 3 people are two levels short" in shown.inner_text()  # Data analytics: Ben and Cat
        assert "−2" in shown.inner_text()
        taps_are_44_px_on_a_phone(page)(width)
        shot(page, f"skills-{width}")

    assert_accessible_at_each_width(page, "skills heatmap", also=heatmap_for_the_width)

    page.get_by_label("Their level").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**show=level**")
    assert_accessible_at_each_width(
        page, "skills heatmap, levels", also=lambda width: shot(page, f"skills-levels-{width}")
    )
    context.close()
