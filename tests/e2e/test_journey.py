"""The whole journey in one browser run, every email through a real SMTP server: sign up → verify →
a plan on the product management ladder → self-assess → draft goals from the gap → check in → a
mentor invited, who reads and comments → a reminder digest arrives, its check-in link opens the
right form → unsubscribe. Each step keeps a screenshot (var/screenshots/journey/); a failing step
leaves var/screenshots/journey/FAILED-<step>.png and says which step it was."""

import datetime
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import timezone

from goals.models import CheckIn, Goal, ReminderSettings
from goals.reminders import sweep
from plans.sharing.models import Comment, Share
from tests.conftest import body_text, load_shipped_ladders
from tests.e2e.conftest import SCREENSHOTS, assert_accessible
from tests.e2e.test_goal_flow import assess_every_skill, create_plan

pytestmark = pytest.mark.browser

OWNER, MENTOR, PASSWORD = "journey@example.com", "journey.mentor@example.com", "a long journey passphrase 5"
FOLDER = SCREENSHOTS / "journey"


def link_in(message, pattern: str) -> str:
    return re.search(pattern, body_text(message)).group(0)


class Journey:
    def __init__(self) -> None:
        self.number = 0
        FOLDER.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def step(self, name: str, page):
        self.number += 1
        label = f"{self.number:02}-{name}"
        try:
            yield
        except BaseException:
            page.screenshot(path=str(FOLDER / f"FAILED-{label}.png"), full_page=True)
            raise AssertionError(f"journey step {label} failed; screenshot in {FOLDER}") from None
        page.screenshot(path=str(FOLDER / f"{label}.png"), full_page=True)


def sign_up(page, base: str, smtp_server, email: str, name: str, sent_before: int) -> None:
    """Sign up and confirm in the same browser (signed in on confirmation)."""
    if "/accounts/signup/" not in page.url:
        page.goto(base + "/accounts/signup/")
    page.get_by_label("Your name").fill(name)
    if not page.locator("input[name=email]").input_value():
        page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name=re.compile("^sign up$", re.IGNORECASE)).click()
    page.wait_for_url("**/confirm-email/")
    confirmation = smtp_server.wait_for(sent_before + 1)[-1]
    assert confirmation["To"] == email
    page.goto(link_in(confirmation, r"https?://\S+/accounts/confirm-email/\S+/"))


def test_the_whole_journey(live_server, browser, smtp_server, settings):
    settings.SITE_URL = live_server.url
    load_shipped_ladders()  # as load_demo_data leaves it (tests/conftest.py)
    base = live_server.url
    journey = Journey()
    owner_context = browser.new_context(viewport={"width": 1280, "height": 900})
    mentor_context = browser.new_context(viewport={"width": 390, "height": 844})
    page, mentor_page = owner_context.new_page(), mentor_context.new_page()
    for p in (page, mentor_page):
        p.set_default_timeout(15_000)
    try:
        with journey.step("sign-up-and-verify", page):
            sign_up(page, base, smtp_server, OWNER, "Jo Journey", sent_before=0)
            page.wait_for_url(base + "/")
            assert_accessible(page, "dashboard, new")

        with journey.step("plan-on-the-ladder", page):
            create_plan(page)
            plan_url = page.url

        with journey.step("self-assess", page):
            assess_every_skill(page, level=1)
            assert "% ready" in page.get_by_test_id("readiness").first.inner_text()

        with journey.step("draft-goals-from-the-gap", page):
            page.locator("#goals").get_by_role("link", name="Draft next steps from my gap").click()
            page.wait_for_selector("text=Add to my plan")
            boxes = page.locator("input[name=drafts]")
            for i in range(boxes.count()):
                boxes.nth(i).set_checked(i < 2)
            page.get_by_role("button", name="Add to my plan").click()
            page.wait_for_selector("text=Added 2 goals")
            assert page.get_by_test_id("goal-row").count() == 2

        with journey.step("check-in", page):
            row = page.get_by_test_id("goal-row").first
            goal = Goal.objects.get(title=row.locator("a.goal-row-title").inner_text())
            row.locator("input[name=value]").fill(str(goal.baseline + 1))
            row.get_by_role("button", name="Check in").click()
            page.wait_for_selector("text=Recorded")  # the confirmation, once the check-in is saved
            assert CheckIn.objects.filter(goal=goal).count() == 1

        with journey.step("invite-a-mentor", page):
            page.goto(plan_url + "sharing/")
            page.get_by_label("Their email address").fill(MENTOR)
            page.get_by_label("Personal message").fill("Could you look at my gap?")
            page.get_by_role("button", name="Send invitation").click()
            page.wait_for_selector(f"text=Invitation sent to {MENTOR}.")
            invitation = smtp_server.wait_for(2)[-1]
            assert invitation["To"] == MENTOR

        with journey.step("mentor-signs-up-and-reads", mentor_page):
            mentor_page.goto(link_in(invitation, r"https?://\S+/plans/invitations/[\w-]+/"))
            assert "Jo Journey invited you" in mentor_page.get_by_test_id("inviter").inner_text()
            mentor_page.get_by_test_id("invitation-signup").click()
            mentor_page.wait_for_url("**/accounts/signup/**")
            sign_up(mentor_page, base, smtp_server, MENTOR, "Max Mentor", sent_before=2)
            mentor_page.wait_for_url(plan_url)
            assert Share.objects.get(email=MENTOR).user.email == MENTOR
            assert "Shared with you by Jo Journey" in mentor_page.get_by_test_id("shared-by").inner_text()

        with journey.step("mentor-comments", mentor_page):
            mentor_page.get_by_label("Add a comment").fill("Start with the largest gap.")
            mentor_page.get_by_role("button", name="Post comment").click()
            mentor_page.wait_for_selector("text=Comment posted.")
            assert Comment.objects.get().body == "Start with the largest gap."
            to_owner = smtp_server.wait_for(4)[-1]
            assert to_owner["To"] == OWNER and "Start with the largest gap." in body_text(to_owner)

        with journey.step("reminder-digest-and-its-check-in-link", page):
            due = Goal.objects.filter(plan__owner__email=OWNER).order_by("pk").last()
            Goal.objects.filter(pk=due.pk).update(
                next_reminder_at=timezone.now() - datetime.timedelta(minutes=1)
            )
            assert sweep.sweep().claimed == 1
            digest = smtp_server.wait_for(5)[-1]
            assert digest["To"] == OWNER and digest["Subject"].startswith("Time to check in")
            assert due.title in body_text(digest)
            page.goto(re.search(r"Check in: (\S+)", body_text(digest)).group(1))
            page.wait_for_url(f"**/goals/{due.pk}/check-ins/")
            assert due.title in page.content()

        with journey.step("unsubscribe", mentor_page):
            mail_app = browser.new_context(viewport={"width": 390, "height": 844})
            try:
                mail_page = mail_app.new_page()
                unsubscribe = re.search(r"Unsubscribe: (\S+)", body_text(digest)).group(1)
                mail_page.goto(unsubscribe)
                mail_page.get_by_role("button", name="Unsubscribe").click()
                mail_page.wait_for_selector("h1:has-text('You are unsubscribed')")
                mail_page.screenshot(path=str(Path(FOLDER) / "unsubscribed-phone.png"), full_page=True)
            finally:
                mail_app.close()
            assert not ReminderSettings.objects.get(user__email=OWNER).receives_reminders
    finally:
        owner_context.close()
        mentor_context.close()
