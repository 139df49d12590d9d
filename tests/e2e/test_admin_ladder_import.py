"""Importing a ladder file in the admin, in Chromium: the upload page, a refused file's problems,
the preview and Apply, checked by axe and the Content-Security-Policy at 390 and 1280 px, with a
screenshot of each page in var/screenshots/: the flow runs at 390 px, each page is widened too."""

import json
from pathlib import Path

import pytest

from skills.models import Role, Track
from tests.conftest import make_user
from tests.e2e.conftest import assert_accessible_at_each_width, signed_in_context

pytestmark = pytest.mark.browser

SHIPPED = "skills/ladders/product-management.json"


def test_a_ladder_editor_uploads_previews_and_applies_a_ladder_file(live_server, browser, tmp_path):
    # A superuser: live_server's transactional database is flushed between tests, so the
    # "Ladder editors" group its migration made is gone (tests/skills/test_admin_ladder_upload.py
    # covers a member of it).
    editor = make_user("root@example.com", "a long demo passphrase 7")
    editor.is_staff = editor.is_superuser = True
    editor.save()
    broken = json.loads(Path(SHIPPED).read_text(encoding="utf-8"))
    broken["tracks"][0]["roles"][1]["entry_pont"] = True
    broken["tracks"][0]["roles"][2]["level"] = 30
    (tmp_path / "broken.json").write_text(json.dumps(broken), encoding="utf-8")
    context = signed_in_context(browser, live_server, 390, editor)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/admin/skills/")
    assert_accessible_at_each_width(
        page, "career framework index with the import link", shot="admin-ladder-app-index"
    )
    page.get_by_test_id("ladder-import-link").click()
    page.wait_for_url("**/admin/skills/track/import/")
    assert_accessible_at_each_width(page, "ladder upload", shot="admin-ladder-upload")

    page.get_by_label("Ladder file").set_input_files(str(tmp_path / "broken.json"))
    page.get_by_role("button", name="Preview the import").click()
    problems = page.get_by_test_id("ladder-problems")
    assert "2 problems. Nothing was imported." in problems.inner_text()
    assert "entry_pont: unknown field" in problems.inner_text()
    assert_accessible_at_each_width(page, "ladder upload, refused", shot="admin-ladder-refused")
    assert Track.objects.count() == 0

    page.get_by_label("Ladder file").set_input_files(SHIPPED)
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url("**/admin/skills/track/import/preview/")
    assert "Applying it will create 1 track" in page.get_by_test_id("ladder-preview-summary").inner_text()
    assert_accessible_at_each_width(page, "ladder preview", shot="admin-ladder-preview")
    assert Track.objects.count() == 0

    page.get_by_role("button", name="Apply: import product-management.json").click()
    page.wait_for_url("**/admin/skills/track/")
    assert "Imported product-management.json: created 1 track" in page.locator(".messagelist").inner_text()
    assert Role.objects.filter(track__slug="product-management").count() > 1
    context.close()
