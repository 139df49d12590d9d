"""Drafting a ladder from the taxonomy catalogue in the admin, in Chromium: the occupations list,
its action, the draft form with a refused id, and the import's preview, checked by axe and the
Content-Security-Policy at 390 and 1280 px, with a screenshot of each page: the flow runs at
390 px, each page is widened too."""

from pathlib import Path

import pytest
from django.core.management import call_command

from skills.models import Track
from tests.conftest import make_user
from tests.e2e.conftest import assert_accessible_at_each_width, signed_in_context

pytestmark = pytest.mark.browser

ONET = Path(__file__).parents[1] / "skills" / "taxonomy_data" / "onet"


class _Quiet:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def test_an_editor_drafts_a_ladder_from_the_catalogue(live_server, browser):
    # A superuser: live_server's database is flushed between tests, so the editors group is gone
    # (tests/skills/test_taxonomy_admin.py covers a member of it).
    editor = make_user("root@example.com", "a long demo passphrase 7")
    editor.is_staff = editor.is_superuser = True
    editor.save()
    call_command("import_taxonomy", "onet", str(ONET), stdout=_Quiet(), stderr=_Quiet())
    context = signed_in_context(browser, live_server, 390, editor)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/admin/skills/taxonomyoccupation/")
    assert_accessible_at_each_width(page, "taxonomy occupations", shot="admin-taxonomy-occupations")
    for title in ("Marketing Managers", "General and Operations Managers"):
        page.get_by_role("row", name=title).get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("draft_ladder")
    page.get_by_role("button", name="Go").click()
    page.wait_for_url("**/admin/skills/taxonomyoccupation/draft/**")
    occupations = page.get_by_label("Occupations, lowest role first")
    assert occupations.input_value() == "11-1021.00\n11-2021.00"

    occupations.fill("11-2021.00\n99-0000.00")
    page.get_by_label("Track name").fill("Marketing (O*NET)")
    page.get_by_role("button", name="Preview the ladder").click()
    assert "has this id: 99-0000.00" in page.locator(".errorlist").inner_text()
    assert_accessible_at_each_width(page, "ladder draft, refused", shot="admin-taxonomy-draft-refused")

    occupations.fill("11-2021.00\n11-1021.00")
    page.get_by_label("Add a move from each role to the next").check()
    page.get_by_role("button", name="Preview the ladder").click()
    page.wait_for_url("**/admin/skills/track/import/preview/")
    assert "Applying it will create 1 track" in page.get_by_test_id("ladder-preview-summary").inner_text()
    assert_accessible_at_each_width(page, "ladder draft's preview", shot="admin-taxonomy-draft-preview")
    page.get_by_role("button", name="Apply: import marketing-onet.yaml").click()
    page.wait_for_url("**/admin/skills/track/")
    assert [r.title for r in Track.objects.get().roles.order_by("level")] == [
        "Marketing Managers",
        "General and Operations Managers",
    ]
    context.close()
