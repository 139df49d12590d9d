"""The dashboard's "Needs your attention" (issue 23) in a browser, at phone and desktop widths:
axe-core finds nothing serious, the policy refuses nothing, taps are 44 px on a phone, and the
section comes first, before the plan's card; the up-to-date state likewise. Each page is loaded at
a phone's width and checked there and widened to a desktop's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_user
from tests.e2e.conftest import assert_accessible_at_each_width, signed_in_context
from tests.e2e.test_accessibility import SMALL_TARGETS

pytestmark = pytest.mark.browser

PASSWORD = "a long demo passphrase 7"


def people() -> tuple:
    """Tess, whose plan has one of each kind of trouble, and Uma, whose one goal is on track."""
    from goals.models import CheckIn, GoalComment, Milestone
    from plans.models import PlanCertification
    from plans.sharing.models import Comment, Share
    from tests.factories import CertificationFactory
    from tests.goals.factories import GoalFactory
    from tests.plans.factories import CareerPlanFactory

    today = timezone.localdate()
    troubled, calm = make_user("tess@example.com", PASSWORD), make_user("uma@example.com", PASSWORD)
    mentor = make_user("maya@example.com", PASSWORD)
    mentor.first_name = "Maya Mentor"
    mentor.save(update_fields=["first_name"])

    plan = CareerPlanFactory(owner=troubled, title="Senior PM by 2028")
    Share.objects.create(plan=plan, email=mentor.email, user=mentor)
    start = today - timedelta(days=82)
    behind = GoalFactory(
        plan=plan,
        title="Publish the pricing study",
        target=6,
        start_date=start,
        deadline=start + timedelta(days=100),
    )
    CheckIn.objects.create(goal=behind, value=1, checked_on=today - timedelta(days=2))
    Milestone.objects.create(goal=behind, title="Draft the survey", due_date=today - timedelta(days=4))
    PlanCertification.objects.create(
        plan=plan,
        certification=CertificationFactory(name="Certified Product Owner", abbreviation="CPO"),
        status=PlanCertification.Status.EARNED,
        earned_on=today - timedelta(days=700),
        expires_on=today + timedelta(days=20),
    )
    Comment.objects.create(plan=plan, author=mentor, body="Have you booked the pricing course?")
    GoalComment.objects.create(goal=behind, author=mentor, body="Ask sales for two introductions.")

    calm_plan = CareerPlanFactory(owner=calm, title="Product Manager next year")
    on_track = GoalFactory(
        plan=calm_plan, title="Ship two experiments", target=2, start_date=today - timedelta(days=30)
    )
    CheckIn.objects.create(goal=on_track, value=1, checked_on=today - timedelta(days=2))
    return troubled, calm


def test_the_dashboard_in_trouble_and_up_to_date_passes_axe(live_server, browser):
    troubled, calm = people()

    context = signed_in_context(browser, live_server, 390, troubled)
    page = context.new_page()
    page.goto(live_server.url + "/")
    lead = page.get_by_test_id("attention")
    for testid in ("attention-goal", "attention-milestone", "attention-certification", "attention-comment"):
        assert lead.get_by_test_id(testid).count() >= 1, testid

    def comes_first(width: int) -> None:
        assert lead.is_visible()
        top = lead.bounding_box()["y"]
        assert top < page.locator(".dashboard-plan").first.bounding_box()["y"]
        if width < 576:
            assert page.evaluate(SMALL_TARGETS) == []

    assert_accessible_at_each_width(
        page, "dashboard in trouble", shot="dashboard-attention", also=comes_first
    )
    context.close()

    context = signed_in_context(browser, live_server, 390, calm)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.get_by_test_id("attention").count() == 0

    def says_up_to_date(width: int) -> None:
        assert page.get_by_text("You're up to date with your 1 active goal.").is_visible()

    assert_accessible_at_each_width(
        page, "dashboard up to date", shot="dashboard-up-to-date", also=says_up_to_date
    )
    context.close()
