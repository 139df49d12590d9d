"""Every page, checked by axe-core at a phone's (390 px) and a desktop's (1280 px) width.

The pages come from the URL resolver, not from a list kept by hand: every named pattern needs a
sample URL below (ids and tokens filled in from the demo data) or a place in NOT_PAGES with the
reason it is not an HTML page, so a new page cannot be left out silently. Of the admin's pages,
each kind (an action and the template it renders) is checked on one model's page: the rest render
the same template with other fields (admin_kind_pages, not_pages).
"""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import load_shipped_ladders, make_user
from tests.core.test_csrf_walk import patterns
from tests.e2e.conftest import (
    blocking_violations,
    csp_violations,
    describe_violations,
    signed_in_context,
    wait_for_true,
)

pytestmark = pytest.mark.browser

PASSWORD = "a long demo passphrase 7"
POST_ONLY = "POST only: a button's target, answers GET with 405"

# Named patterns that are not pages a person reads, and why. A new pattern is neither here nor in
# sample_urls(): test_every_named_page_has_a_sample_url fails until it is one or the other.
NOT_PAGES = {
    "healthz": "JSON for load balancers",
    "goals:calendar_feed": "an .ics feed for calendar apps",
    "goals:export": "a JSON download (tests/goals/test_export.py)",
    "goals:plan_export": "a JSON download (tests/goals/test_export.py)",
    "goals:import_confirm": "the review of an uploaded file: axe checks it in tests/e2e/test_portability.py",
    "goals:import_cancel": POST_ONLY,
    "admin:skills_ladder_import_preview": "the preview of an uploaded ladder file: axe checks it in "
    "tests/e2e/test_admin_ladder_import.py",
    "account_confirm_login_code": "sign-in by code is off (ACCOUNT_LOGIN_BY_CODE_ENABLED): redirects to sign-in",
    "plans:archive": POST_ONLY,
    "plans:make_primary": POST_ONLY,
    "plans:share_resend": POST_ONLY,
    "plans:share_revoke": POST_ONLY,
    "plans:comment_add": POST_ONLY,
    "plans:level_choose": POST_ONLY,
    "plans:share_may_rate": POST_ONLY,
    "goals:status": POST_ONLY,
    "goals:comment_add": POST_ONLY,
    "goals:certification_earned": POST_ONLY,
    "goals:check_in_delete": POST_ONLY,
    "goals:milestone_toggle": POST_ONLY,
    "goals:milestone_delete": POST_ONLY,
    "goals:calendar_regenerate": POST_ONLY,
    "goals:reminder_unsubscribe": POST_ONLY,
    "goals:reminder_resubscribe": POST_ONLY,
    "goals:reminder_send_now": POST_ONLY,
    "goals:talking_point_add": POST_ONLY,
    "goals:one_on_one_note_add": POST_ONLY,
    "goals:action_item_add": POST_ONLY,
    "goals:action_item_convert": POST_ONLY,
    "goals:action_item_confirm": POST_ONLY,
    "goals:action_item_decline": POST_ONLY,
    "mentoring:skills_csv": "a CSV download (tests/plans/test_mentoring_skills.py)",
    "goals:reminder_preview": "the digest's HTML part, served sandboxed: no script runs in it, axe's "
    "included (tests/goals/test_reminder_preview.py)",
    "openid_connect_login": "leaves for the single sign-on provider (404 with none): the flow and its pages "
    "are checked with axe in tests/e2e/test_sso_flow.py",
    "openid_connect_callback": "the provider's answer: its refusal pages are checked with axe in "
    "tests/e2e/test_sso_flow.py",
    "socialaccount_signup": "allauth's form in the middle of a single sign-on; without one it redirects to sign in",
    "tokens:revoke": POST_ONLY,
    **dict.fromkeys(
        [
            "api:me",
            "api:export",
            "api:plans",
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
            "api:ladder_tracks",
            "api:ladder_track",
            "api:ladder_skills",
            "api:ladder_certifications",
            "api:openapi-json",
            "api:reminder_settings",
            "api:api-root",
        ],
        "JSON of the API, for programs (tests/api/)",
    ),
    "admin:logout": POST_ONLY,
    "admin:jsi18n": "JavaScript for the admin's widgets",
    "admin:autocomplete": "JSON for the admin's autocomplete widgets",
    "admin:view_on_site": "a redirect to the object's page on the site",
}
# Admin pages of the framework's and other apps' models: Django's own generic templates. Of ours
# (skills, plans, goals) and of one other model, standing for the rest, each kind of page is checked
# once: one page per template and action (admin_kind_pages), where a model with a template of its
# own (Track's list, the history pages of SimpleHistoryAdmin, User's add form) is a kind apart.
ADMIN_OWN_APPS = ("skills", "plans", "goals")
ADMIN_SAMPLE_MODEL = ("auth", "user")
# Which model's page stands for its kind, first that has the kind: Role's forms hold select2
# (autocomplete), tabular inlines and our read-only links; Activity's add form the two-list
# selector (filter_horizontal) and the date widget; CareerPlan's history is django-simple-history's;
# GoalComment's history page is the only page that shows a comment's name (GoalComment.__str__).
ADMIN_KIND_MODELS = {
    "add": [("plans", "activity")],
    "history": [("goals", "goalcomment")],
    "*": [("skills", "role"), ("plans", "careerplan"), ("plans", "activity")],
}


# Findings in the widgets Django's admin ships, which static/css/admin.css cannot reach: tolerated
# on /admin/ pages only, node by node (rule, and a pattern its target selector matches); anything
# else in the admin fails like any page.
ADMIN_WIDGET_FINDINGS = [
    # select2, the autocomplete widget (autocomplete_fields): its combobox takes its name from the
    # chosen value, so an empty one has none; it nests spans in a list and leaves its search unlabelled.
    ("aria-input-field-name", r"select2"),
    ("list", r"select2"),
    ("label", r"select2-search__field"),
    # SelectFilter2 (filter_horizontal) puts aria-label on a role-less icon span.
    ("aria-prohibited-attr", r"help-tooltip"),
    # Split date and time inputs: "Date:" and "Time:" are text beside them, not labels.
    ("label", r"^#id_[\w-]+_[01]$"),
    # Tabular inline rows are labelled by their column headers (th), which axe does not count.
    ("label", r"^#id_\w+-\d+-"),
    ("select-name", r"^#id_\w+-\d+-"),
    ("label-title-only", r"^#id_\w+-\d+-"),
]


def without_admin_widget_findings(url: str, violations: list[dict]) -> list[dict]:
    if "/admin/" not in url:
        return violations
    kept = []
    for violation in violations:
        nodes = [
            node
            for node in violation["nodes"]
            if not any(
                rule == violation["id"] and re.search(pattern, " ".join(map(str, node["target"])))
                for rule, pattern in ADMIN_WIDGET_FINDINGS
            )
        ]
        if nodes:
            kept.append({**violation, "nodes": nodes})
    return kept


def named_patterns() -> list[str]:
    """Every named URL pattern, namespaced ("plans:detail"): the resolver walk the access and CSRF
    walks use too."""
    return sorted({name for name, _, _ in patterns()})


@dataclass
class Demo:
    """A person with a plan, goals, certifications, activities, a mentor share and a comment."""

    owner: object
    mentor: object
    plan: object
    goal: object
    check_in: object
    milestone: object
    certification: object
    activity: object
    share: object
    invitation: object


def build_demo() -> Demo:
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from base.models import OutgoingEmail
    from goals import services as goal_services
    from goals.models import CalendarFeed, CheckIn, Goal, GoalComment, Milestone, ReminderDelivery
    from plans import services
    from plans.models import Activity, CareerPlan, PlanCertification, SkillAssessment
    from plans.sharing.models import Comment, Share
    from skills.models import Certification, Role
    from tests.goals.factories import GoalFactory
    from tests.plans.factories import ShareFactory

    load_shipped_ladders()  # as load_demo_data leaves it (tests/conftest.py)
    today = timezone.localdate()
    owner = make_user("demo@example.com", PASSWORD)
    owner.is_staff = owner.is_superuser = True
    owner.save()
    # An address still to confirm, for the confirmation link.
    EmailAddress.objects.create(user=owner, email="demo.work@example.com", verified=False)
    mentor = make_user("mentor@example.com", PASSWORD)
    apm = Role.objects.get(slug="associate-product-manager")
    spm = Role.objects.get(slug="senior-product-manager")
    plan = services.plan_create(
        plan=CareerPlan(
            title="Senior PM by 2028",
            current_role=apm,
            target_role=spm,
            vision="Lead a product line.",
            target_date=today + timedelta(days=540),
        ),
        owner=owner,
    )
    for i, req in enumerate(spm.requirements.select_related("skill")[:10]):
        SkillAssessment.objects.create(plan=plan, skill=req.skill, level=1 + i % 4)
    certification = PlanCertification.objects.create(
        plan=plan,
        certification=Certification.objects.get(abbreviation="CPM"),
        status="in_progress",
        target_date=today + timedelta(days=90),
    )
    PlanCertification.objects.create(
        plan=plan,
        certification=Certification.objects.get(abbreviation="CPO"),
        status="earned",
        earned_on=today - timedelta(days=700),
        expires_on=today + timedelta(days=20),
    )
    activity = Activity.objects.create(
        plan=plan,
        kind="course",
        title="Pricing strategy course",
        date=today - timedelta(days=20),
        status="done",
    )
    Activity.objects.create(
        plan=plan, kind="talk", title="Talk at the PM meetup", date=today + timedelta(days=30)
    )
    goal = GoalFactory(
        plan=plan,
        title="Run 6 customer interviews a month",
        metric="Interviews per month",
        unit="interviews",
        baseline=Decimal(1),
        target=Decimal(6),
        start_date=today - timedelta(days=60),
        deadline=today + timedelta(days=120),
    )
    check_in = None
    for days, value in ((50, 2), (30, 3), (10, 4)):
        check_in = CheckIn.objects.create(
            goal=goal, value=Decimal(value), checked_on=today - timedelta(days=days)
        )
    milestone = Milestone.objects.create(
        goal=goal, title="Interview script reviewed", due_date=today + timedelta(14)
    )
    GoalFactory(
        plan=plan,
        title="Ship the pricing experiment",
        start_date=today - timedelta(days=90),
        deadline=today - timedelta(days=3),
    )
    GoalFactory(plan=plan, title="Finish the analytics course", status=Goal.Status.COMPLETED)
    goal_services.reminder_settings_save(
        user=owner, timezone="Europe/Berlin", hour=18, weekday=3, default_cadence="weekly", paused_until=None
    )
    CalendarFeed.objects.create(user=owner)
    share = ShareFactory(plan=plan, user=mentor, email=mentor.email, may_rate=True)
    _one_on_one(share, today)
    Comment.objects.create(plan=plan, author=mentor, body="Good plan. Start with the interviews.")
    Comment.objects.create(plan=plan, author=owner, body="Thanks, booked the first three.")
    GoalComment.objects.create(goal=goal, author=mentor, body="Ask each of them what they tried first.")
    # An invitation still open, to an address the owner doesn't have: they see it is for someone else.
    invitation = Share.objects.create(plan=plan, email="manager@example.com")
    # What the admin lists of sent email and reminder digests show.
    OutgoingEmail.objects.create(
        kind="plan_comment", to=owner.email, subject="A comment on your plan", text="-", html="-"
    )
    ReminderDelivery.objects.create(
        user=owner, period=today, goal_ids=[goal.pk], status="sent", sent_at=timezone.now()
    )
    return Demo(owner, mentor, plan, goal, check_in, milestone, certification, activity, share, invitation)


def _one_on_one(share, today) -> None:
    """A 1:1 on the mentor's share: talking points, a note, an item waiting for the owner."""
    from django.utils import timezone

    from goals.oneonones.models import OneOnOne, Side

    one = OneOnOne.objects.create(
        plan=share.plan, share=share, starts_at=timezone.now() + timedelta(days=2), started_by=Side.MENTOR
    )
    one.talking_points.create(
        text="Goal “Ship the pricing experiment” is behind", side=Side.MENTOR, suggested=True
    )
    one.notes.create(body="Start with the interviews.", side=Side.MENTOR, author=share.user)
    one.action_items.create(
        text="Book three interviews", due_on=today + timedelta(days=30), side=Side.MENTOR, status="proposed"
    )


def _one_on_one_pk(demo) -> int:
    from goals.oneonones.models import OneOnOne

    return OneOnOne.objects.filter(plan=demo.plan).values_list("pk", flat=True)[0]


@dataclass(frozen=True)
class Sample:
    url: str
    who: str = "owner"  # "owner", "mentor" or "anonymous"
    status: int = 200  # of the page at the end of any redirects


def sample_urls(demo: Demo) -> dict[str, list[Sample]]:
    """One or more URLs per named page, with who opens it."""
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str
    from django.contrib.auth.tokens import default_token_generator

    from goals.reminders.tokens import check_in_link, unsubscribe_token

    plan, goal = demo.plan.pk, demo.goal.pk
    unconfirmed = EmailAddress.objects.get(email="demo.work@example.com")
    reset_key = f"{user_pk_to_url_str(demo.owner)}-{default_token_generator.make_token(demo.owner)}"
    role = demo.plan.target_role
    samples = {
        "home": [Sample("/"), Sample("/", "anonymous")],
        "account_login": [Sample(reverse("account_login"), "anonymous")],
        "account_signup": [Sample(reverse("account_signup"), "anonymous")],
        "socialaccount_connections": [Sample(reverse("socialaccount_connections"))],
        "socialaccount_login_cancelled": [Sample(reverse("socialaccount_login_cancelled"), "anonymous")],
        "socialaccount_login_error": [Sample(reverse("socialaccount_login_error"), "anonymous", 401)],
        "account_logout": [Sample(reverse("account_logout"))],
        "accounts:account": [Sample(reverse("accounts:account"))],
        "accounts:delete": [Sample(reverse("accounts:delete"))],  # signed in again: see signed_in_context
        "account_inactive": [Sample(reverse("account_inactive"), "anonymous")],
        "account_reauthenticate": [Sample(reverse("account_reauthenticate"))],
        "account_email": [Sample(reverse("account_email"))],
        "account_email_verification_sent": [Sample(reverse("account_email_verification_sent"), "anonymous")],
        "account_change_password": [Sample(reverse("account_change_password"))],
        "account_set_password": [Sample(reverse("account_set_password"))],
        "account_reset_password": [Sample(reverse("account_reset_password"), "anonymous")],
        "account_reset_password_done": [Sample(reverse("account_reset_password_done"), "anonymous")],
        "account_reset_password_from_key": [
            Sample(
                reverse("account_reset_password_from_key", kwargs={"uidb36": "0", "key": "bad-key"}),
                "anonymous",
            ),
            Sample(reverse("account_reset_password_from_key", args=reset_key.split("-", 1)), "anonymous"),
        ],
        "account_reset_password_from_key_done": [
            Sample(reverse("account_reset_password_from_key_done"), "anonymous")
        ],
        "account_confirm_email": [
            Sample(reverse("account_confirm_email", args=["not-a-real-key"]), "anonymous"),
            Sample(reverse("account_confirm_email", args=[EmailConfirmationHMAC(unconfirmed).key])),
        ],
        "skills:track_list": [
            Sample(reverse("skills:track_list"), "anonymous"),
            Sample(reverse("skills:track_list")),
        ],
        "skills:track_detail": [Sample(role.track.get_absolute_url(), "anonymous")],
        "skills:role_detail": [Sample(role.get_absolute_url(), "anonymous"), Sample(role.get_absolute_url())],
        "plans:list": [Sample(reverse("plans:list"))],
        "plans:create": [Sample(reverse("plans:create"))],
        "plans:detail": [
            Sample(reverse("plans:detail", args=[plan])),
            Sample(reverse("plans:detail", args=[plan]), "mentor"),
        ],
        "plans:edit": [
            Sample(reverse("plans:edit", args=[plan])),
            Sample(reverse("plans:edit", args=[plan]), "mentor", 403),
        ],
        "plans:delete": [Sample(reverse("plans:delete", args=[plan]))],
        "plans:assess": [Sample(reverse("plans:assess", args=[plan]))],
        "plans:history": [Sample(reverse("plans:history", args=[plan]))],
        "plans:print": [
            Sample(reverse("plans:print", args=[plan])),
            Sample(reverse("plans:print", args=[plan]), "mentor"),
        ],
        "plans:activity_list": [Sample(reverse("plans:activity_list", args=[plan]))],
        "plans:certification_add": [Sample(reverse("plans:certification_add", args=[plan]))],
        "plans:certification_edit": [
            Sample(reverse("plans:certification_edit", args=[plan, demo.certification.pk]))
        ],
        "plans:certification_delete": [
            Sample(reverse("plans:certification_delete", args=[plan, demo.certification.pk]))
        ],
        "plans:activity_add": [Sample(reverse("plans:activity_add", args=[plan]))],
        "plans:activity_edit": [Sample(reverse("plans:activity_edit", args=[plan, demo.activity.pk]))],
        "plans:activity_delete": [Sample(reverse("plans:activity_delete", args=[plan, demo.activity.pk]))],
        "plans:share_list": [Sample(reverse("plans:share_list", args=[plan]))],
        "plans:rate": [Sample(reverse("plans:rate", args=[plan]), "mentor")],
        "plans:invitation_accept": [  # for someone else's address; a visitor who is invited
            Sample(reverse("plans:invitation_accept", args=[demo.invitation.token])),
            Sample(reverse("plans:invitation_accept", args=[demo.invitation.token]), "anonymous"),
        ],
        "goals:plan_goals": [Sample(reverse("goals:plan_goals", args=[plan]))],
        "goals:create": [Sample(reverse("goals:create", args=[plan]))],
        "goals:draft": [Sample(reverse("goals:draft", args=[plan]))],
        "goals:detail": [
            Sample(reverse("goals:detail", args=[goal])),
            Sample(reverse("goals:detail", args=[goal]), "mentor"),
        ],
        "goals:edit": [Sample(reverse("goals:edit", args=[goal]))],
        "goals:delete": [Sample(reverse("goals:delete", args=[goal]))],
        "goals:check_in_add": [Sample(reverse("goals:check_in_add", args=[goal]))],
        "goals:check_in_edit": [Sample(reverse("goals:check_in_edit", args=[goal, demo.check_in.pk]))],
        "goals:milestone_add": [Sample(reverse("goals:milestone_add", args=[goal]))],
        "goals:calendar_settings": [Sample(reverse("goals:calendar_settings"))],
        "tokens:list": [Sample(reverse("tokens:list"))],
        "api:docs": [Sample(reverse("api:docs")), Sample(reverse("api:docs"), "anonymous")],
        "goals:import": [Sample(reverse("goals:import"))],
        "goals:reminder_settings": [Sample(reverse("goals:reminder_settings"))],
        "goals:one_on_ones": [
            Sample(reverse("goals:one_on_ones", args=[plan])),
            Sample(reverse("goals:one_on_ones", args=[plan]), "mentor"),
        ],
        "goals:one_on_one_new": [
            Sample(reverse("goals:one_on_one_new", args=[plan])),
            Sample(reverse("goals:one_on_one_new", args=[plan]), "mentor"),
        ],
        "goals:one_on_one": [
            Sample(reverse("goals:one_on_one", args=[_one_on_one_pk(demo)])),
            Sample(reverse("goals:one_on_one", args=[_one_on_one_pk(demo)]), "mentor"),
        ],
        "mentoring:people": [
            Sample(reverse("mentoring:people"), "mentor"),
            Sample(reverse("mentoring:people")),
        ],
        "mentoring:skills": [
            Sample(reverse("mentoring:skills"), "mentor"),
            Sample(reverse("mentoring:skills")),
        ],
        "goals:check_in_link": [
            Sample("/goals/check-in/" + check_in_link(demo.goal).rsplit("/check-in/", 1)[1]),
            Sample(reverse("goals:check_in_link", args=["not-a-real-token"]), "owner", 404),
        ],
        "goals:unsubscribe": [
            Sample(reverse("goals:unsubscribe", args=[unsubscribe_token(demo.owner)]), "anonymous"),
            Sample(reverse("goals:unsubscribe", args=["not-a-real-token"]), "anonymous", 404),
        ],
        "admin:login": [Sample(reverse("admin:login"), "anonymous")],
        "admin:index": [Sample(reverse("admin:index"))],
        "admin:password_change": [Sample(reverse("admin:password_change"))],
        "admin:password_change_done": [Sample(reverse("admin:password_change_done"))],
        "admin:skills_ladder_import": [Sample(reverse("admin:skills_ladder_import"))],
        "admin:skills_taxonomy_draft": [Sample(reverse("admin:skills_taxonomy_draft"))],
    }
    samples.update(admin_samples(demo))
    return samples


# Pages no pattern names: the error pages.
UNNAMED_PAGES = [Sample("/no-such-page/", "owner", 404), Sample("/no-such-page/", "anonymous", 404)]


def post_only_urls(demo: Demo) -> dict[str, str]:
    plan, goal, share = demo.plan.pk, demo.goal.pk, demo.share.pk
    return {
        "plans:archive": reverse("plans:archive", args=[plan]),
        "plans:make_primary": reverse("plans:make_primary", args=[plan]),
        "plans:share_resend": reverse("plans:share_resend", args=[plan, share]),
        "plans:share_revoke": reverse("plans:share_revoke", args=[plan, share]),
        "plans:comment_add": reverse("plans:comment_add", args=[plan]),
        "plans:level_choose": reverse("plans:level_choose", args=[plan]),
        "plans:share_may_rate": reverse("plans:share_may_rate", args=[plan, share]),
        "goals:status": reverse("goals:status", args=[goal]),
        "goals:comment_add": reverse("goals:comment_add", args=[goal]),
        "goals:certification_earned": reverse("goals:certification_earned", args=[goal]),
        "goals:check_in_delete": reverse("goals:check_in_delete", args=[goal, demo.check_in.pk]),
        "goals:milestone_toggle": reverse("goals:milestone_toggle", args=[goal, demo.milestone.pk]),
        "goals:milestone_delete": reverse("goals:milestone_delete", args=[goal, demo.milestone.pk]),
        "goals:calendar_regenerate": reverse("goals:calendar_regenerate"),
        "goals:reminder_unsubscribe": reverse("goals:reminder_unsubscribe"),
        "goals:reminder_resubscribe": reverse("goals:reminder_resubscribe"),
        "goals:reminder_send_now": reverse("goals:reminder_send_now"),
        "goals:import_cancel": reverse("goals:import_cancel"),
        **{
            name: reverse(name, args=[_one_on_one_pk(demo)])
            for name in ("goals:talking_point_add", "goals:one_on_one_note_add", "goals:action_item_add")
        },
        **{
            name: reverse(name, args=[_one_on_one_pk(demo), 1])
            for name in (
                "goals:action_item_convert",
                "goals:action_item_confirm",
                "goals:action_item_decline",
            )
        },
        "tokens:revoke": reverse("tokens:revoke", args=[1]),  # 405 before the token is looked up
        "admin:logout": reverse("admin:logout"),
    }


def admin_model_pages() -> dict[str, tuple]:
    """The admin's per-model pages: {"admin:plans_goal_change": (Goal, "change"), ...}."""
    from django.contrib import admin

    names = set(named_patterns())
    pages = {}
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        for name in names:
            if name.startswith(prefix):
                pages[name] = (model, name.removeprefix(prefix))
    return pages


def admin_in_scope(model) -> bool:
    app = model._meta.app_label
    return app in ADMIN_OWN_APPS or (app, model._meta.model_name) == ADMIN_SAMPLE_MODEL


# The template each admin action renders, as ModelAdmin looks it up (its own attribute first).
ADMIN_TEMPLATES = {
    "changelist": ("change_list_template", "change_list.html"),
    "add": ("add_form_template", "change_form.html"),
    "change": ("change_form_template", "change_form.html"),
    "delete": ("delete_confirmation_template", "delete_confirmation.html"),
    "history": ("object_history_template", "object_history.html"),
    "simple_history": ("object_history_form_template", None),
    "password_change": ("change_user_password_template", "../auth/user/change_password.html"),
}


class SUPERUSER:  # noqa: N801 (a stand-in user who may do anything, to ask what the admin allows)
    is_active = is_staff = is_superuser = True

    @staticmethod
    def has_perm(perm, obj=None) -> bool:
        return True


def admin_template(model, action: str) -> str:
    """The file an admin page of `model` renders for `action`, or "403" for an add page of a model
    nobody may add to (the app writes those records)."""
    from django.contrib import admin
    from django.template.loader import select_template
    from django.test import RequestFactory

    model_admin = admin.site._registry[model]
    if action == "add":
        request = RequestFactory().get("/admin/")
        request.user = SUPERUSER
        if not model_admin.has_add_permission(request):
            return "403"
    attribute, default = ADMIN_TEMPLATES[action]
    names = getattr(model_admin, attribute, None) or (action == "add" and model_admin.change_form_template)
    if not names:
        app, name = model._meta.app_label, model._meta.model_name
        names = [f"admin/{app}/{name}/{default}", f"admin/{app}/{default}", f"admin/{default}"]
    return select_template([names] if isinstance(names, str) else names).origin.name


def admin_kind_pages() -> dict[str, tuple]:
    """The admin pages the walk checks: of each (action, template) among the models in scope, one,
    of the first model in ADMIN_KIND_MODELS that has it (else the first by name)."""
    kinds: dict[tuple[str, str], list[tuple[str, tuple]]] = {}
    for name, (model, action) in sorted(admin_model_pages().items()):
        if admin_in_scope(model):
            kinds.setdefault((action, admin_template(model, action)), []).append((name, (model, action)))
    chosen = {}
    for (action, _template), pages in kinds.items():
        preferred = ADMIN_KIND_MODELS.get(action, []) + ADMIN_KIND_MODELS["*"]

        def rank(page, preferred=preferred):
            key = (page[1][0]._meta.app_label, page[1][0]._meta.model_name)
            return preferred.index(key) if key in preferred else len(preferred)

        name, page = min(pages, key=rank)
        chosen[name] = page
    return chosen


def admin_samples(demo: Demo) -> dict[str, list[Sample]]:
    """One admin page of each kind (admin_kind_pages), and the app index of each app whose index
    is a template of its own (skills) and of one other app."""
    from django.contrib import admin
    from django.template.loader import select_template
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = demo.owner
    samples = {}
    indexes = {}
    for model in admin.site._registry:
        app = model._meta.app_label
        if admin_in_scope(model):
            template = select_template([f"admin/{app}/app_index.html", "admin/app_index.html"]).origin.name
            indexes.setdefault(template, app)
    samples["admin:app_list"] = [
        Sample(reverse("admin:app_list", args=[app])) for app in sorted(indexes.values())
    ]
    for name, (model, action) in admin_kind_pages().items():
        first = model.objects.order_by("pk").first()
        if action == "changelist":
            samples[name] = [Sample(reverse(name))]
        elif action == "add":  # records the app writes (sent email, digests) are read-only: 403
            can_add = admin.site._registry[model].has_add_permission(request)
            samples[name] = [Sample(reverse(name), status=200 if can_add else 403)]
        elif action == "simple_history" and first is not None:
            version = first.history.order_by("pk").first()
            samples[name] = [Sample(reverse(name, args=[first.pk, version.pk]))]
        elif first is not None:  # change, history, delete, password_change
            samples[name] = [Sample(reverse(name, args=[first.pk]))]
    return samples


def not_pages() -> dict[str, str]:
    """NOT_PAGES, and the admin pages another page of their kind stands for: of other apps' models,
    Django's own templates, which the sampled model's pages stand for; of the models in scope, those
    whose kind (action and template) admin_kind_pages checks on another model's page."""
    skipped = dict(NOT_PAGES)
    checked = admin_kind_pages()
    stands_for = {(action, admin_template(model, action)): model for model, action in checked.values()}
    for name, (model, action) in admin_model_pages().items():
        if not admin_in_scope(model):
            skipped[name] = (
                f"admin page of {model._meta.label}, one of the generic ones {ADMIN_SAMPLE_MODEL} stands for"
            )
        elif name not in checked:
            other = stands_for[action, admin_template(model, action)]
            skipped[name] = (
                f"admin {action} page of {model._meta.label}: its kind is checked on {other._meta.label}'s"
            )
    return skipped


def uncovered(samples: dict[str, list[Sample]]) -> list[str]:
    skipped = not_pages()
    return [name for name in named_patterns() if name not in samples and name not in skipped]


@pytest.fixture
def demo(transactional_db) -> Demo:
    return build_demo()


def test_every_named_page_has_a_sample_url(demo):
    samples = sample_urls(demo)
    missing = uncovered(samples)
    assert not missing, (
        "These URL patterns have no sample URL in tests/e2e/test_accessibility.py: add one to "
        f"sample_urls(), or to NOT_PAGES with the reason it is not a page: {missing}"
    )
    unknown = set(samples) - set(named_patterns())
    assert not unknown, f"samples for patterns that no longer exist: {unknown}"
    # The walk's parts (WALKS) together open every sample, each once (by name, person and status:
    # the reset and confirmation links hold the time, so a second sample_urls() may differ).
    every = [(name, s) for name, group in samples.items() for s in group] + [
        ("(unnamed)", s) for s in UNNAMED_PAGES
    ]
    walked = [sample for who, part, parts in WALKS for sample in walk_samples(demo, who, part, parts)]
    assert Counter((name, s.who, s.status) for name, s in walked) == Counter(
        (name, s.who, s.status) for name, s in every
    )


def test_post_only_endpoints_refuse_get(demo, client):
    """NOT_PAGES says these are POST only; a GET that rendered a page would need checking."""
    urls = post_only_urls(demo)
    assert set(urls) == {name for name, reason in NOT_PAGES.items() if reason == POST_ONLY}
    client.force_login(demo.owner)
    statuses = {name: client.get(url).status_code for name, url in urls.items()}
    assert statuses == dict.fromkeys(urls, 405)


WIDTHS = (390, 1280)  # a phone's, then a desktop's
# The owner opens most of the pages (about 70 of 100): their walk is split into this many parts,
# page i in part i % OWNER_PARTS, so that no one test holds a worker for the whole pass's length.
OWNER_PARTS = 3
WALKS = [("anonymous", 0, 1), ("mentor", 0, 1)] + [("owner", i, OWNER_PARTS) for i in range(OWNER_PARTS)]


def walk_samples(demo: Demo, who: str, part: int, parts: int) -> list[tuple[str, Sample]]:
    """The pages `who` opens, by name, and of them the `part`-th of `parts` (every parts-th page)."""
    samples = [(name, s) for name, group in sorted(sample_urls(demo).items()) for s in group]
    samples += [("(unnamed)", s) for s in UNNAMED_PAGES]
    return [sample for sample in samples if sample[1].who == who][part::parts]


@pytest.mark.parametrize(
    "who, part, parts", WALKS, ids=[f"{who}-{part + 1}of{parts}" for who, part, parts in WALKS]
)
def test_every_page_has_no_serious_or_critical_violations(demo, live_server, browser, who, part, parts):
    """Each page is loaded once, at a phone's width, and checked there and again with the window
    widened to a desktop's: the pages lay themselves out in CSS (no script of theirs reads the
    width), so a resize shows what a load at that width would, for half the loads."""
    user = {"anonymous": None, "owner": demo.owner, "mentor": demo.mentor}[who]
    failures, wrong_status, small_targets, refused = [], [], [], []
    # Signed in again: the account deletion page is behind reauthentication.
    context = signed_in_context(browser, live_server, WIDTHS[0], user, password=PASSWORD)
    page = context.new_page()
    page.set_default_timeout(15_000)
    for name, sample in walk_samples(demo, who, part, parts):
        page.set_viewport_size({"width": WIDTHS[0], "height": 844})
        response = page.goto(live_server.url + sample.url)
        if response.status != sample.status:
            wrong_status.append(f"{name} {sample.url} as {who}: {response.status}, expected {sample.status}")
        # Read before axe runs: axe's own probes make the admin's pages refuse a <style>.
        refused += [f"{name} as {who} ({page.url}): {v}" for v in csp_violations(page)]
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844})
            where = f"{name} as {who} at {width} px ({page.url})"
            violations = without_admin_widget_findings(page.url, blocking_violations(page))
            if violations:
                failures.append(describe_violations(violations, where))
            # The admin is Django's, for staff at a desk; every other page is for phones too.
            small = page.evaluate(SMALL_TARGETS) if width < 576 and "/admin/" not in page.url else []
            if small:
                small_targets.append(f"{where}: {small}")
    context.close()
    assert not wrong_status, "\n".join(wrong_status)
    assert not failures, "axe-core:\n" + "\n".join(failures)
    assert not small_targets, "tap targets under 44 px on a phone:\n" + "\n".join(small_targets)
    assert not refused, "the Content-Security-Policy refused:\n" + "\n".join(refused)


def test_the_policy_refuses_inline_style_and_script_and_the_walk_would_say_so(owner_page, live_server):
    """What the walk above relies on: the browser enforces the policy, and the watch records it."""
    owner_page.goto(live_server.url + "/plans/")
    owner_page.evaluate(
        """() => {
        document.body.insertAdjacentHTML("beforeend", '<div id="x" style="color: red">styled</div>');
        const s = document.createElement("script"); s.textContent = "window.ran = true"; document.body.append(s);
    }"""
    )
    wait_for_true(owner_page, "window.__cspViolations.length >= 2")
    refused = " ".join(csp_violations(owner_page))
    assert "style-src" in refused and "script-src" in refused
    assert owner_page.evaluate("window.ran") is None


# --- Keyboard, focus, menus, failed forms, tap targets -----------------------------------------

# The controls a thumb taps, with their height, if shorter than 44 px (WCAG 2.5.5's size, which
# 2.2 AA relaxes to 24 px; we keep 44 on phones). Checkboxes and radios are exempt: their label is
# the target.
SMALL_TARGETS = """() => [...document.querySelectorAll(
        "a.btn, label.btn, button, input:not([type=hidden]):not(.btn-check), select, textarea")]
    .filter(el => el.offsetParent !== null && !el.closest(".dropdown-menu, .navbar-collapse:not(.show)"))
    .filter(el => el.type !== "checkbox" && el.type !== "radio")
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, box]) => box.height < 44)
    .map(([el, box]) => `${el.tagName.toLowerCase()} "${(el.innerText || el.name || "").trim().slice(0, 30)}" ${Math.round(box.height)}px`)"""


def taps_are_44_px_on_a_phone(page):
    """A check for assert_accessible_at_each_width's `also`: at a phone's width, no tap target on
    the page is under 44 px high (SMALL_TARGETS)."""

    def check(width: int) -> None:
        if width < 576:
            assert page.evaluate(SMALL_TARGETS) == []

    return check


# The focused element's outline: its width, and its contrast with what is behind it (the nearest
# ancestor with a background), by WCAG's relative luminance.
FOCUS_RING = """() => {
    const el = document.activeElement, style = getComputedStyle(el);
    const rgb = c => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
        .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    let bg = el.parentElement;
    while (bg && (rgb(getComputedStyle(bg).backgroundColor)[3] === 0)) bg = bg.parentElement;
    const behind = bg ? rgb(getComputedStyle(bg).backgroundColor) : [255, 255, 255];
    const [a, b] = [lum(rgb(style.outlineColor)), lum(behind)].sort((x, y) => y - x);
    return {width: parseFloat(style.outlineWidth), style: style.outlineStyle,
            contrast: (a + 0.05) / (b + 0.05), text: (el.innerText || el.id || "").trim().slice(0, 40)};
}"""


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.fixture
def owner_page(demo, live_server, browser):
    context = signed_in_context(browser, live_server, 1280, demo.owner)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(owner_page, live_server):
    owner_page.goto(live_server.url + "/plans/")
    owner_page.keyboard.press("Tab")
    skip = owner_page.get_by_role("link", name="Skip to main content")
    assert owner_page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert skip.is_visible()
    owner_page.keyboard.press("Enter")
    assert owner_page.evaluate("document.activeElement.id") == "main"
    owner_page.keyboard.press("Tab")  # the next stop is inside the page, not the navbar
    assert owner_page.evaluate("!!document.activeElement.closest('main')")


@pytest.mark.parametrize(
    "path, selector",
    [
        ("/", ".cp-navbar .nav-link[href='/plans/']"),  # white on navy
        ("/", "main a.btn"),
        ("/plans/new/", "#id_title"),
        ("/plans/new/", "main button[type=submit]"),
    ],
)
def test_focus_ring_is_visible_and_contrasts_with_its_background(owner_page, live_server, path, selector):
    owner_page.goto(live_server.url + path)
    tab_to(owner_page, selector)
    ring = owner_page.evaluate(FOCUS_RING)
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    assert ring["contrast"] >= 3, ring


def test_navbar_marks_the_current_page_and_section(owner_page, live_server, demo):
    def current(link: str) -> str | None:
        return (
            owner_page.locator(".cp-navbar")
            .get_by_role("link", name=link, exact=True)
            .get_attribute("aria-current")
        )

    owner_page.goto(live_server.url + "/plans/")
    assert current("Plans") == "page" and current("Dashboard") is None
    marked = owner_page.locator(".cp-navbar [aria-current]")
    assert "underline" in marked.evaluate("el => getComputedStyle(el).textDecorationLine")
    owner_page.goto(live_server.url + demo.goal.get_absolute_url())
    assert current("Plans") == "true"
    owner_page.goto(live_server.url + "/ladders/")
    assert current("Career ladders") == "page" and current("Plans") is None


def test_focused_controls_are_not_hidden_under_the_sticky_plan_navigation(demo, live_server, browser):
    context = signed_in_context(
        browser, live_server, 390, demo.owner, reduced_motion="reduce"
    )  # no smooth scrolling
    page = context.new_page()
    page.goto(live_server.url + demo.plan.get_absolute_url())
    target = page.locator("#gap").get_by_role("link", name="Assess skills")
    # Scrolled past it, then back to it with Shift+Tab from the next control: the browser scrolls
    # it into view at the top, where the section navigation sticks.
    target.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY + 600)")
    page.evaluate(
        """el => {
        const all = [...document.querySelectorAll('a[href], button, input, select, textarea')];
        all[all.indexOf(el) + 1].focus();
    }""",
        target.element_handle(),
    )
    page.keyboard.press("Shift+Tab")
    assert target.evaluate("el => el === document.activeElement")
    nav_bottom = page.locator(".plan-nav").evaluate("el => el.getBoundingClientRect().bottom")
    assert target.evaluate("el => el.getBoundingClientRect().top") >= nav_bottom
    context.close()


@pytest.mark.parametrize(
    "form, submit",
    [
        ("plans:create", "Create plan"),
        ("goals:create", "Add goal"),
        ("account_change_password", "Change password"),
    ],
)
def test_a_failed_form_opens_with_an_error_summary_that_links_to_each_field(
    owner_page, live_server, demo, form, submit
):
    path = reverse(form, args=[demo.plan.pk]) if form == "goals:create" else reverse(form)
    owner_page.goto(live_server.url + path)
    owner_page.get_by_role("button", name=submit, exact=True).click()  # empty: required fields missing
    summary = owner_page.get_by_test_id("error-summary")
    summary.wait_for()
    expect(summary).to_be_focused()
    link = summary.locator("a").first
    field_id = link.get_attribute("href").removeprefix("#")
    link.click()
    assert owner_page.evaluate("document.activeElement.id") == field_id
    violations = blocking_violations(owner_page)
    assert not violations, describe_violations(violations, f"{path} after a failed submit")


@pytest.mark.parametrize("width", [390, 1280])
def test_open_menus_pass_axe(demo, live_server, browser, width):
    context = signed_in_context(browser, live_server, width, demo.owner)
    page = context.new_page()
    page.goto(live_server.url + "/")
    if page.locator(".navbar-toggler").is_visible():
        page.locator(".navbar-toggler").click()
    page.get_by_test_id("nav-user").click()
    page.get_by_role("link", name="Reminder settings").wait_for()
    violations = blocking_violations(page)
    assert not violations, describe_violations(violations, f"the open account menu at {width} px")
    context.close()
