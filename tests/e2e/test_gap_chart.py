"""The plan page's gap chart names every skill, long names wrapped to two lines, the whole name in
the tooltip."""

import pytest

from plans.models import SkillAssessment
from tests.conftest import make_user
from tests.e2e.conftest import signed_in_context, wait_for_true
from tests.factories import RoleSkillFactory, SkillFactory
from tests.plans.factories import CareerPlanFactory

pytestmark = pytest.mark.browser

LONG = "Stakeholder management and executive communication across product lines"


def test_long_skill_names_wrap_and_the_tooltip_has_the_whole_name(live_server, browser, transactional_db):
    owner = make_user("owner@example.com", "a long passphrase 9")
    plan = CareerPlanFactory(owner=owner)
    for name in (LONG, "SQL", "Pricing"):
        skill = SkillFactory(name=name)
        RoleSkillFactory(role=plan.target_role, skill=skill, level=4)
        SkillAssessment.objects.create(plan=plan, skill=skill, level=2)
    context = signed_in_context(browser, live_server, 1000, owner)  # the chart shows from 992 px
    page = context.new_page()
    page.goto(live_server.url + plan.get_absolute_url())
    page.wait_for_selector("#gap-chart")
    wait_for_true(page, "window.Chart && Chart.getChart(document.getElementById('gap-chart'))")

    labels = page.evaluate("Chart.getChart(document.getElementById('gap-chart')).data.labels")
    assert ["SQL"] in labels
    long = next(label for label in labels if label[0].startswith("Stakeholder"))
    assert len(long) == 2 and long[1].endswith("…")
    shown = page.evaluate("Chart.getChart(document.getElementById('gap-chart')).scales.y.ticks.length")
    assert shown == 3  # none skipped
    title = page.evaluate("""() => {
        const chart = Chart.getChart(document.getElementById('gap-chart'));
        const index = chart.data.labels.findIndex(l => l[0].startsWith('Stakeholder'));
        return chart.options.plugins.tooltip.callbacks.title([{dataIndex: index}]);
    }""")
    assert title == LONG
    context.close()
