"""Who may do what, over every URL of a person's objects: a walk over the URL resolver, so a new
pattern that takes an id, a slug or a token fails test_every_pattern_has_a_rule until it has one.

The rules are docs/decisions.md's (Plans, Sharing): the owner reads and writes; a mentor (an
accepted invitation) reads the plan and its goals and may comment, and gets 403 on every write;
anyone else gets 404; an anonymous visitor is sent to sign in (an htmx request gets HX-Redirect).
Token URLs carry their own credential and are proven in their own tests, named here.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import make_user
from tests.core.test_csrf_walk import outer_parameters, patterns
from tests.goals.factories import CheckInFactory, GoalFactory, MilestoneFactory
from tests.plans.factories import ActivityFactory, PlanCertificationFactory, ShareFactory

READ = "read"  # the plan's pages: owner and mentor read them
WRITE = "write"  # forms and buttons that change the plan: the owner's alone
COMMENT = "comment"  # a form the owner and the mentors post to
RATE = "rate"  # a mentor the owner let rate (the rater) rates; other mentors 403; the owner is sent to assess
POST_ONLY = "post only"  # a button's target: a signed-in GET is 405, whoever asks
GET_ONLY = "get only"  # a download: a signed-in POST is 405, whoever asks

# Every pattern that takes an argument, with the kind of access it grants.
RULES = {
    "plans:detail": READ,
    "plans:history": READ,
    "plans:print": (READ, GET_ONLY),  # a page to print: a POST is 405 for whoever may read it
    "plans:activity_list": READ,
    "goals:plan_goals": READ,
    "goals:detail": READ,
    "plans:edit": WRITE,
    "plans:delete": WRITE,  # a confirmation page, then the POST that deletes
    "plans:assess": WRITE,
    "plans:certification_add": WRITE,
    "plans:certification_edit": WRITE,
    "plans:certification_delete": WRITE,
    "plans:activity_add": WRITE,
    "plans:activity_edit": WRITE,
    "plans:activity_delete": WRITE,
    "plans:share_list": WRITE,
    "goals:create": WRITE,
    "goals:draft": WRITE,
    "goals:edit": WRITE,
    "goals:delete": WRITE,  # a confirmation page, then the POST that deletes
    "goals:check_in_add": WRITE,
    "goals:check_in_edit": WRITE,
    "goals:milestone_add": WRITE,
    "goals:plan_export": (
        WRITE,
        GET_ONLY,
    ),  # the owner's data to take away: a mentor reads the plan, not this
    "plans:archive": (WRITE, POST_ONLY),
    "plans:make_primary": (WRITE, POST_ONLY),
    "plans:share_resend": (WRITE, POST_ONLY),
    "plans:share_revoke": (WRITE, POST_ONLY),
    "goals:status": (WRITE, POST_ONLY),
    "goals:certification_earned": (WRITE, POST_ONLY),
    "goals:check_in_delete": (WRITE, POST_ONLY),
    "goals:milestone_toggle": (WRITE, POST_ONLY),
    "goals:milestone_delete": (WRITE, POST_ONLY),
    "plans:comment_add": (COMMENT, POST_ONLY),
    "plans:rate": RATE,
    "plans:level_choose": (WRITE, POST_ONLY),
    "plans:share_may_rate": (WRITE, POST_ONLY),
    "goals:comment_add": (COMMENT, POST_ONLY),
    # 1:1s (goals.oneonones): the owner and the mentor of the 1:1's share both write; putting a
    # mentor's proposal on the plan, or declining it, is the owner's alone.
    "goals:one_on_ones": READ,
    "goals:one_on_one": READ,
    "goals:one_on_one_new": COMMENT,
    "goals:talking_point_add": (COMMENT, POST_ONLY),
    "goals:one_on_one_note_add": (COMMENT, POST_ONLY),
    "goals:action_item_add": (COMMENT, POST_ONLY),
    "goals:action_item_convert": (COMMENT, POST_ONLY),  # the owner's at once, the mentor's proposed
    "goals:action_item_confirm": (WRITE, POST_ONLY),
    "goals:action_item_decline": (WRITE, POST_ONLY),
}
# Patterns whose argument is no person's object, or a token that is its own credential.
OTHER = {
    "openid_connect_login": "the SSO provider's id, no person's object (tests/accounts/test_sso.py)",
    "openid_connect_callback": "the SSO provider's id and its state (tests/accounts/test_sso.py)",
    "skills:track_detail": "a public ladder page (tests/skills/test_public_pages.py)",
    "skills:role_detail": "a public ladder page (tests/skills/test_public_pages.py)",
    "plans:invitation_accept": "the invitation's token (tests/plans/test_sharing.py)",
    "goals:calendar_feed": "the feed's secret token (tests/goals/test_calendar_feed.py)",
    "goals:check_in_link": "a signed token, then the owner only (tests/goals/test_reminders.py)",
    "goals:unsubscribe": "a signed token, no sign-in (tests/goals/test_reminders.py)",
    **dict.fromkeys(
        [
            "api:plan",
            "api:plan_goals",
            "api:plan_certifications",
            "api:plan_activities",
            "api:plan_activity",
            "api:plan_certification",
            "api:plan_comments",
            "api:goal_comments",
            "api:goal",
            "api:goal_status",
            "api:goal_check_ins",
            "api:goal_check_in",
            "api:goal_milestones",
            "api:goal_milestone_done",
            "api:ladder_track",
        ],
        "a Bearer token, no sign-in (tests/api/test_access_walk.py)",
    ),
    "tokens:revoke": "the person's own token: another's is 404 (tests/api/test_tokens.py)",
}


def patterns_with_arguments() -> set[str]:
    return {
        name
        for name, pattern, _ in patterns()
        if not name.startswith(("admin:", "account_"))
        and (pattern.pattern.regex.groups or outer_parameters(name))
    }


def test_every_pattern_has_a_rule():
    assert patterns_with_arguments() == set(RULES) | set(OTHER)


@dataclass
class Objects:
    plan: object
    goal: object
    check_in: object
    milestone: object
    certification: object
    activity: object
    share: object
    certification_goal: object  # completed, about a certification the plan does not hold yet
    action_item: object  # proposed by the mentor, on a 1:1 of the mentor's share

    def url(self, name: str) -> str:
        plan, goal = self.plan.pk, self.goal.pk
        args = {
            "plans:certification_edit": [plan, self.certification.pk],
            "plans:certification_delete": [plan, self.certification.pk],
            "plans:activity_edit": [plan, self.activity.pk],
            "plans:activity_delete": [plan, self.activity.pk],
            "plans:share_resend": [plan, self.share.pk],
            "plans:share_revoke": [plan, self.share.pk],
            "plans:share_may_rate": [plan, self.share.pk],
            "goals:check_in_edit": [goal, self.check_in.pk],
            "goals:check_in_delete": [goal, self.check_in.pk],
            "goals:milestone_toggle": [goal, self.milestone.pk],
            "goals:milestone_delete": [goal, self.milestone.pk],
            "goals:certification_earned": [self.certification_goal.pk],
            "goals:one_on_one": [self.action_item.one_on_one_id],
            "goals:talking_point_add": [self.action_item.one_on_one_id],
            "goals:one_on_one_note_add": [self.action_item.one_on_one_id],
            "goals:action_item_add": [self.action_item.one_on_one_id],
            "goals:action_item_convert": [self.action_item.one_on_one_id, self.action_item.pk],
            "goals:action_item_confirm": [self.action_item.one_on_one_id, self.action_item.pk],
            "goals:action_item_decline": [self.action_item.one_on_one_id, self.action_item.pk],
        }.get(name)
        if args is None:
            plan_urls = ("goals:plan_goals", "goals:create", "goals:draft", "goals:plan_export")
            plan_urls += ("goals:one_on_ones", "goals:one_on_one_new")
            args = [plan] if name.startswith("plans:") or name in plan_urls else [goal]
        return reverse(name, args=args)


@pytest.fixture
def objects(plan, mentor_share):
    from goals.models import Goal

    goal = GoalFactory(plan=plan)
    certification = PlanCertificationFactory(plan=plan)
    return Objects(
        plan=plan,
        goal=goal,
        check_in=CheckInFactory(goal=goal, value=1),
        milestone=MilestoneFactory(goal=goal),
        certification=certification,
        activity=ActivityFactory(plan=plan),
        share=ShareFactory(plan=plan, email="other.mentor@example.com", user=None, accepted_at=None),
        certification_goal=GoalFactory(
            plan=plan,
            certification=certification.certification,
            unit="certification",
            baseline=0,
            target=1,
            status=Goal.Status.COMPLETED,
        ),
        action_item=_action_item(mentor_share),
    )


def _action_item(share):
    from datetime import timedelta

    from django.utils import timezone

    from goals.oneonones.models import ActionItem, OneOnOne, Side

    one_on_one = OneOnOne.objects.create(
        plan=share.plan, share=share, starts_at=timezone.now(), started_by=Side.MENTOR
    )
    return ActionItem.objects.create(
        one_on_one=one_on_one,
        text="Run 3 customer interviews",
        due_on=timezone.localdate() + timedelta(days=30),
        side=Side.MENTOR,
        author=share.user,
        status=ActionItem.Status.PROPOSED,
    )


@pytest.fixture
def rater(plan, password):
    """A second mentor, whom the owner let rate their skills (Share.may_rate)."""
    user = make_user("rater@example.com", password)
    ShareFactory(plan=plan, user=user, may_rate=True)
    return user


def kinds(name: str) -> tuple[str, ...]:
    rule = RULES[name]
    return rule if isinstance(rule, tuple) else (rule,)


def expected(name: str, method: str, who: str, htmx: bool) -> tuple[int, ...]:
    """The statuses the rules allow for ``who`` on ``name``."""
    if who == "anonymous":
        return (200,) if htmx else (302,)  # htmx: HX-Redirect to the sign-in page
    if (method == "GET" and POST_ONLY in kinds(name)) or (method == "POST" and GET_ONLY in kinds(name)):
        return (405,)  # before the object is looked up: it tells nothing of it, whatever the id
    if who == "other":
        return (404,)
    if who == "mentor" and WRITE in kinds(name):
        return (403,)
    if RATE in kinds(name):
        return {"owner": (302,), "mentor": (403,)}.get(who, (200, 302))
    return (200, 302)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_owner_mentor_other_and_anonymous_get_what_the_rules_say(
    objects, alice, mentor, rater, bob, method, htmx
):
    clients = {
        "anonymous": Client(),
        "other": Client(),
        "mentor": Client(),
        "rater": Client(),
        "owner": Client(),
    }
    for who, user in (("other", bob), ("mentor", mentor), ("rater", rater), ("owner", alice)):
        clients[who].force_login(user)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    wrong = []
    for name in sorted(RULES):
        url = objects.url(name)
        for who, client in clients.items():
            if who == "rater" and RATE not in kinds(name):
                continue  # on every other URL, a mentor like the one above
            # Each request in a savepoint rolled back: a delete or an archive changes nothing for the next.
            with transaction.atomic():
                response = getattr(client, method.lower())(url, **headers)
                transaction.set_rollback(True)
            allowed = expected(name, method, who, htmx)
            if response.status_code not in allowed:
                wrong.append(f"{method} {name} {url} as {who}: {response.status_code}, expected {allowed}")
            elif who == "anonymous":
                target = response.get("HX-Redirect") if htmx else response.get("Location")
                if not (target or "").startswith(reverse("account_login")):
                    wrong.append(f"{method} {name} as anonymous: sent to {target!r}, not to sign in")
    assert not wrong, "\n".join(wrong)
