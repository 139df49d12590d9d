"""The plan's history and the notice of a new required skill in the browser (issue 23, item 5):
axe-core at 390 and 1280 px, for the owner and for a mentor (the flow at 390 px, each page
widened too)."""

from decimal import Decimal

import pytest

from goals import services as goal_services
from goals.models import Goal
from plans import services as plan_services
from plans.models import CareerPlan
from plans.sharing import services as sharing
from skills.models import Role, RoleSkill, Skill
from tests.conftest import load_shipped_ladders, make_user
from tests.e2e.conftest import assert_accessible_at_each_width, signed_in_context

pytestmark = pytest.mark.browser


def test_the_history_and_the_new_skills_notice(live_server, browser):
    load_shipped_ladders()
    owner = make_user("history@example.com", "a long new passphrase 3")
    mentor = make_user("mentor@example.com", "a long new passphrase 3")
    owner.first_name, mentor.first_name = "Alex Owner", "Maya Mentor"
    owner.save()
    mentor.save()
    senior = Role.objects.get(slug="senior-product-manager")
    plan = CareerPlan.objects.create(
        owner=owner,
        title="Become a Senior Product Manager",
        is_primary=True,
        current_role=Role.objects.get(slug="associate-product-manager"),
        target_role=senior,
    )
    required = list(senior.requirements.values_list("skill_id", flat=True)[:3])
    plan_services.assessment_save(plan=plan, values={skill_id: (2, "") for skill_id in required})
    goal = goal_services.goal_save(
        goal=Goal(
            plan=plan,
            title="Run 6 customer interviews a month",
            metric="Interviews a month",
            unit="interviews",
            baseline=Decimal(0),
            target=Decimal(6),
            start_date=plan.created_at.date(),
            deadline=plan.created_at.date().replace(year=plan.created_at.year + 1),
            relevance="Discovery",
        )
    )
    goal_services.check_in_record(goal=goal, value=Decimal(3))
    share = sharing.share_invite(plan=plan, email=mentor.email, message="")
    sharing.share_accept(share=share, user=mentor)
    sharing.comment_add(plan=plan, author=mentor, body="Good pace.")
    plan.refresh_from_db()
    # An editor adds a required skill after the plan last changed.
    added = Skill.objects.exclude(requirements__role=senior).order_by("name").first()
    RoleSkill.objects.create(role=senior, skill=added, level=3)

    context = signed_in_context(browser, live_server, 390, user=owner)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + f"/plans/{plan.pk}/history/")
    events = page.get_by_test_id("event")
    assert events.count() == 6
    assert "Maya Mentor" in events.first.inner_text() and "mentor" in events.first.inner_text()
    assert_accessible_at_each_width(page, "plan history, owner", shot="plan-history")

    page.goto(live_server.url + plan.get_absolute_url())
    notice = page.get_by_test_id("requirement-changes")
    assert f"{added.name} added at level 3" in notice.inner_text()
    link = page.get_by_test_id("assess-added-skill")
    assert link.get_attribute("href") == f"/plans/{plan.pk}/assess/#skill-{added.pk}"
    assert_accessible_at_each_width(
        page, "plan page with the new skill's notice", shot="plan-requirement-notice"
    )
    link.click()
    page.wait_for_url(f"**/plans/{plan.pk}/assess/#skill-{added.pk}")
    context.close()

    context = signed_in_context(browser, live_server, 390, user=mentor)
    page = context.new_page()
    page.goto(live_server.url + f"/plans/{plan.pk}/history/")
    assert page.get_by_test_id("event").filter(has_text="Invited someone to read the plan").count() == 1
    assert mentor.email not in page.content()
    assert_accessible_at_each_width(page, "plan history, mentor")
    context.close()
