"""Deleting one's account: signing in again first, an explicit yes, then everything the person owns
goes in one transaction, they are signed out everywhere and emailed; comments they wrote on others'
plans stay, by "a former member". The deletion walk checks every model that points at a person, a
plan or a goal for what is left of them."""

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from base.models import OutgoingEmail
from goals import services as goal_services
from goals.models import CalendarFeed, Goal, GoalComment, ReminderDelivery, ReminderSettings
from plans import services as plan_services
from plans.models import CareerPlan, SkillAssessment
from plans.sharing.models import Comment, Share
from tests.goals.factories import CheckInFactory, GoalFactory, MilestoneFactory
from tests.plans.factories import ActivityFactory, CareerPlanFactory, PlanCertificationFactory, ShareFactory

DELETE_URL = "/accounts/profile/delete/"


def reauthenticate(client, password: str) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, "allauth did not accept the password"


@pytest.fixture
def ready_client(alice_client, password):
    """Alice, signed in and having just entered her password again."""
    reauthenticate(alice_client, password)
    return alice_client


def test_the_url_is_accounts_delete():
    assert reverse("accounts:delete") == DELETE_URL


def test_signing_in_again_comes_first(alice_client, alice):
    response = alice_client.get(DELETE_URL)

    assert response.status_code == 302
    assert (
        response["Location"] == f"{reverse('account_reauthenticate')}?next={DELETE_URL.replace('/', '%2F')}"
    )
    response = alice_client.post(DELETE_URL, {"confirm": "on"})
    assert response.status_code == 302
    assert get_user_model().objects.filter(pk=alice.pk).exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(DELETE_URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={DELETE_URL}"


def test_the_page_offers_the_export_and_says_what_goes(ready_client, plan, mentor_share):
    response = ready_client.get(DELETE_URL)

    assert response.status_code == 200
    text = response.content.decode()
    assert f'href="{reverse("goals:export")}" download' in text
    assert "Your plan, with its goals, check-ins" in text
    assert "shown as by “a former member”" in text
    assert "We'll email a confirmation to <strong>alice@example.com</strong>." in text


def test_the_account_page_links_to_it(alice_client):
    response = alice_client.get(reverse("accounts:account"))

    assert f'href="{DELETE_URL}" data-testid="delete-account"' in response.content.decode()


def test_without_the_explicit_yes_nothing_is_deleted(ready_client, alice, plan):
    response = ready_client.post(DELETE_URL, {})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "confirm": ["Tick the box to confirm that you want your account deleted."]
    }
    assert 'data-testid="error-summary"' in response.content.decode()
    assert get_user_model().objects.filter(pk=alice.pk).exists()
    assert CareerPlan.objects.filter(pk=plan.pk).exists()
    assert not mail.outbox


def test_deleting_removes_the_account_signs_out_and_emails(ready_client, alice, plan, password):
    elsewhere = Client()
    elsewhere.force_login(alice)

    response = ready_client.post(DELETE_URL, {"confirm": "on"}, follow=True)

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "Your account and its plans are deleted." in response.content.decode()
    assert response.templates[0].name == "landing.html"
    assert not get_user_model().objects.filter(pk=alice.pk).exists()
    assert not CareerPlan.objects.exists()
    assert not EmailAddress.objects.filter(email="alice@example.com").exists()
    # Signed out here and in the other browser.
    assert ready_client.get(reverse("accounts:account")).status_code == 302
    assert elsewhere.get(reverse("accounts:account")).status_code == 302
    # The confirmation, through the outbox and a worker.
    [email] = mail.outbox
    assert email.to == ["alice@example.com"]
    assert email.subject == "[CareerPath] Your account is deleted"
    assert "Your CareerPath account is deleted, as you asked. Your plans went with it" in email.body
    assert "“a former member”" in email.alternatives[0][0]
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
    # Signing in again fails.
    assert not Client().login(username="alice", password=password)


def test_the_email_goes_to_the_address_she_signed_in_with(client, alice, password):
    EmailAddress.objects.create(user=alice, email="alice.work@example.com", verified=True)
    client.post(reverse("account_login"), {"login": "alice.work@example.com", "password": password})
    reauthenticate(client, password)

    client.post(DELETE_URL, {"confirm": "on"})

    assert [email.to for email in mail.outbox] == [["alice.work@example.com"]]


def test_her_comments_on_bobs_plan_read_a_former_member(ready_client, alice, bob):
    bobs_plan = CareerPlanFactory(owner=bob, title="Bob's plan")
    bobs_goal = GoalFactory(plan=bobs_plan, title="Bob's goal")
    ShareFactory(plan=bobs_plan, user=alice)
    plan_comment = Comment.objects.create(plan=bobs_plan, author=alice, body="Looks solid, Bob.")
    goal_comment = GoalComment.objects.create(goal=bobs_goal, author=alice, body="Nearly there.")
    Comment.objects.create(plan=bobs_plan, author=bob, body="Thanks!")

    ready_client.post(DELETE_URL, {"confirm": "on"})

    plan_comment.refresh_from_db()
    goal_comment.refresh_from_db()
    assert plan_comment.author is None and goal_comment.author is None
    bob_client = Client()
    bob_client.force_login(bob)
    plan_page = bob_client.get(bobs_plan.get_absolute_url()).content.decode()
    assert 'data-testid="comment-author">a former member</span>' in plan_page
    assert "Looks solid, Bob." in plan_page
    assert (
        'data-testid="comment-author">bob</span> <span class="badge text-bg-light border">owner</span>'
        in plan_page
    )
    goal_page = bob_client.get(bobs_goal.get_absolute_url()).content.decode()
    assert 'data-testid="comment-author">a former member</span>' in goal_page
    assert not Share.objects.filter(plan=bobs_plan).exists()


# --- The deletion walk -------------------------------------------------------------------------


def full_account(alice, bob, mentor, ladder) -> dict:
    """Alice with something in every table that can hold her: plans with all under them, a plan
    deleted earlier, shares both ways, comments on her own and on Bob's plan and goal, reminders,
    a calendar feed, deliveries, history rows, an admin log entry, an email in the outbox."""
    EmailAddress.objects.create(user=alice, email="alice.work@example.com", verified=True)
    plan = CareerPlan.objects.create(
        owner=alice,
        title="Become a Senior PM",
        current_role=ladder.roles["apm"],
        target_role=ladder.roles["senior"],
        is_primary=True,
    )
    plan.vision = "Lead a product."
    plan_services.plan_update(plan=plan, reason="A clearer vision")
    goal = goal_services.goal_save(goal=GoalFactory.build(plan=plan))
    skill_goal = GoalFactory(plan=plan, skill=ladder.skills["market"], unit="level", baseline=1, target=3)
    goal_services.check_in_record(goal=skill_goal, value=2)
    CheckInFactory(goal=goal, value=1)
    MilestoneFactory(goal=goal)
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["strategy"], level=1)
    PlanCertificationFactory(plan=plan)
    ActivityFactory(plan=plan)
    Share.objects.create(plan=plan, email=mentor.email, user=mentor)
    ShareFactory(plan=plan, email="invited@example.com", user=None, accepted_at=None)
    Comment.objects.create(plan=plan, author=alice, body="Note to self.")
    Comment.objects.create(plan=plan, author=mentor, body="Good plan.")
    GoalComment.objects.create(goal=goal, author=mentor, body="Keep going.")
    earlier = CareerPlanFactory(owner=alice, title="An old plan")
    plan_services.plan_delete(plan=earlier)

    bobs_plan = CareerPlanFactory(owner=bob)
    bobs_goal = GoalFactory(plan=bobs_plan)
    ShareFactory(plan=bobs_plan, user=alice)
    ShareFactory(
        plan=CareerPlanFactory(owner=bob), email="alice.work@example.com", user=None, accepted_at=None
    )
    Comment.objects.create(plan=bobs_plan, author=alice, body="On Bob's plan.")
    GoalComment.objects.create(goal=bobs_goal, author=alice, body="On Bob's goal.")
    bobs_plan._history_user = alice  # an edit of Bob's plan she made (an admin, say)
    bobs_plan.title = "Edited by Alice"
    bobs_plan.save()

    ReminderSettings.objects.create(user=alice)
    CalendarFeed.objects.create(user=alice)
    ReminderDelivery.objects.create(user=alice, period=timezone.localdate(), goal_ids=[goal.pk])
    LogEntry.objects.create(
        user=alice,
        content_type=ContentType.objects.get_for_model(CareerPlan),
        object_id=str(plan.pk),
        object_repr=str(plan),
        action_flag=ADDITION,
    )
    OutgoingEmail.objects.create(
        kind="comment_notice", to="alice@example.com", subject="s", text="t", html=""
    )
    return {"bobs_plan": bobs_plan, "earlier": earlier}


def references(user_id: int, plan_ids: set[int], goal_ids: set[int]) -> dict[str, int]:
    """Rows of every model (historical and third-party ones, many-to-many tables too) whose foreign
    key or one-to-one points at the person, one of their plans or one of their goals, and the
    historical rows of those plans; {"app.Model.field": count}."""
    targets = {get_user_model(): {user_id}, CareerPlan: plan_ids, Goal: goal_ids}
    found = {}
    for model in apps.get_models(include_auto_created=True):
        checks = [
            (field.attname, targets[field.related_model])
            for field in model._meta.concrete_fields
            if (field.many_to_one or field.one_to_one) and field.related_model in targets
        ]
        instance_type = getattr(model, "instance_type", None)  # a simple_history model
        if instance_type in targets:
            checks.append((instance_type._meta.pk.attname, targets[instance_type]))
        for attname, ids in checks:
            if count := model._base_manager.filter(**{f"{attname}__in": ids}).count():
                found[f"{model._meta.label}.{attname}"] = count
    return found


def test_after_deletion_nothing_references_her(ready_client, alice, bob, mentor, ladder):
    made = full_account(alice, bob, mentor, ladder)
    plan_ids = set(CareerPlan.objects.filter(owner=alice).values_list("pk", flat=True)) | {made["earlier"].pk}
    goal_ids = set(Goal.objects.filter(plan__owner=alice).values_list("pk", flat=True))
    before = references(alice.pk, plan_ids, goal_ids)
    # The walk sees her everywhere she is, so an empty answer below means something.
    assert {
        "account.EmailAddress.user_id",
        "plans.CareerPlan.owner_id",
        "plans.HistoricalCareerPlan.owner_id",
        "plans.HistoricalCareerPlan.id",
        "plans.HistoricalCareerPlan.history_user_id",
        "plans.Share.user_id",
        "plans.Share.plan_id",
        "plans.Comment.author_id",
        "plans.Comment.plan_id",
        "plans.SkillAssessment.plan_id",
        "plans.PlanCertification.plan_id",
        "plans.Activity.plan_id",
        "goals.Goal.plan_id",
        "goals.CheckIn.goal_id",
        "goals.Milestone.goal_id",
        "goals.GoalComment.goal_id",
        "goals.GoalComment.author_id",
        "goals.ReminderSettings.user_id",
        "goals.CalendarFeed.user_id",
        "goals.ReminderDelivery.user_id",
        "admin.LogEntry.user_id",
    } <= set(before)

    response = ready_client.post(DELETE_URL, {"confirm": "on"})

    assert response.status_code == 302
    assert references(alice.pk, plan_ids, goal_ids) == {}
    # What stays: her comments on Bob's plan and goal, by no one; Bob's plan's history, edited by no one.
    assert Comment.objects.filter(author__isnull=True, body="On Bob's plan.").exists()
    assert GoalComment.objects.filter(author__isnull=True, body="On Bob's goal.").exists()
    edit = CareerPlan.history.get(id=made["bobs_plan"].pk, title="Edited by Alice")
    assert edit.history_user_id is None
    # The pending invitation to her other address went; so did the outbox rows to her, but the
    # confirmation, which once sent keeps no address.
    assert not Share.objects.filter(email="alice.work@example.com").exists()
    assert list(OutgoingEmail.objects.values_list("kind", "to", "status")) == [
        ("account_deleted", "", "sent")
    ]
