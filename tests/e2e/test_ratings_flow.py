"""Second-opinion ratings in a browser (issue 24): the owner lets her mentor rate; the mentor, on a
phone, rates a skill; the owner sees it beside her own level, nothing changed yet; she counts it
and her readiness moves. Axe on the new pages at 390 and 1280 px."""

from pathlib import Path

import pytest
from django.utils import timezone

from plans.models import SkillAssessment
from plans.sharing.models import Share
from tests.conftest import make_user
from tests.e2e.conftest import assert_accessible, signed_in_context
from tests.plans.conftest import ladder, plan  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-ratings")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def readiness(page) -> str:
    return page.get_by_test_id("readiness").first.inner_text()


def test_a_mentor_rates_and_only_the_owners_choice_moves_her_readiness(
    live_server,
    browser,
    alice,
    plan,  # noqa: F811
    ladder,  # noqa: F811
):
    alice.first_name = "Alice Owner"
    alice.save()
    for slug, level in {"strategy": 3, "market": 1, "communication": 4, "leadership": 3}.items():
        SkillAssessment.objects.create(plan=plan, skill=ladder.skills[slug], level=level)
    mentor = make_user("maya@example.com", "a long new passphrase 3")
    mentor.first_name = "Maya Mentor"
    mentor.save()
    share = Share.objects.create(plan=plan, email=mentor.email, user=mentor, accepted_at=timezone.now())

    owner_context = signed_in_context(browser, live_server, 1280, alice)
    mentor_context = signed_in_context(browser, live_server, 390, mentor)
    owner, maya = owner_context.new_page(), mentor_context.new_page()
    for page in (owner, maya):
        page.set_default_timeout(15_000)
    try:
        # Not allowed yet: no way to rate from the plan page.
        maya.goto(live_server.url + plan.get_absolute_url())
        assert maya.get_by_test_id("rate-link").count() == 0

        # The owner allows it on the share list.
        owner.goto(live_server.url + f"/plans/{plan.pk}/sharing/")
        owner.get_by_test_id("may-rate-toggle").click()
        owner.wait_for_selector("text=Maya Mentor may rate your skills.")
        assert_accessible(owner, "share list, 1280 px")
        shot(owner, "share-list-1280")

        # The mentor, on her phone, rates Market analysis.
        maya.goto(live_server.url + plan.get_absolute_url())
        maya.get_by_test_id("rate-link").click()
        maya.wait_for_url(f"**/plans/{plan.pk}/rate/")
        assert_accessible(maya, "rating page, 390 px")
        shot(maya, "rate-390")
        maya.get_by_label("Skill", exact=False).and_(maya.locator("select")).select_option(
            label="Market analysis"
        )
        maya.locator("select[name=level]").select_option(label="4 · Advanced")
        maya.get_by_role("textbox", name="Note (optional)").fill("Led the market sizing for the new tier")
        maya.get_by_role("button", name="Save rating").click()
        maya.wait_for_selector("text=You rated Market analysis at 4 · Advanced.")
        assert "Your rating: 4 · Advanced" in maya.get_by_test_id("my-rating").inner_text()
        shot(maya, "rate-after-390")

        # Her readiness has not moved; the assessment page shows both levels side by side.
        owner.goto(live_server.url + plan.get_absolute_url())
        assert readiness(owner) == "79% ready"
        owner.goto(live_server.url + f"/plans/{plan.pk}/assess/")
        row = owner.locator('[data-testid="opinion-row"][data-skill="Market analysis"]')
        assert "Yours: 1 · Awareness" in row.inner_text()
        assert "Maya Mentor: 4 · Advanced" in row.inner_text()
        assert "Led the market sizing for the new tier" in row.inner_text()
        assert row.get_by_test_id("counted").inner_text() == "1"
        assert_accessible(owner, "assessment with ratings, 1280 px")
        shot(owner, "assess-1280")

        # She counts the mentor's level: readiness moves, her own answer stays.
        row.get_by_label("Maya Mentor: 4 · Advanced").check()
        row.get_by_role("button", name="Count this level for Market analysis").click()
        owner.wait_for_selector("text=Market analysis now counts at 4 · Advanced.")
        row = owner.locator('[data-testid="opinion-row"][data-skill="Market analysis"]')
        assert row.get_by_test_id("counted").inner_text() == "4"
        assert "Yours: 1 · Awareness" in row.inner_text()
        owner.goto(live_server.url + plan.get_absolute_url())
        assert readiness(owner) == "100% ready"
        shot(owner, "plan-after-1280")

        # The other widths of the new pages.
        owner.set_viewport_size({"width": 390, "height": 844})
        owner.goto(live_server.url + f"/plans/{plan.pk}/assess/#opinions")
        assert_accessible(owner, "assessment with ratings, 390 px")
        shot(owner, "assess-390")
        owner.goto(live_server.url + f"/plans/{plan.pk}/sharing/")
        assert_accessible(owner, "share list, 390 px")
        shot(owner, "share-list-390")
        maya.set_viewport_size({"width": 1280, "height": 900})
        maya.goto(live_server.url + f"/plans/{plan.pk}/rate/")
        assert_accessible(maya, "rating page, 1280 px")
        shot(maya, "rate-1280")
        share.refresh_from_db()
        assert share.may_rate
    finally:
        owner_context.close()
        mentor_context.close()
