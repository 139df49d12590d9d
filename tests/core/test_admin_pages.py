"""The admin pages for people's data (plans, goals) render for a superuser with data in them."""

import pytest
from django.urls import reverse

from goals.models import CalendarFeed
from tests.conftest import make_user
from tests.goals.factories import CheckInFactory, GoalFactory, MilestoneFactory
from tests.plans.factories import ActivityFactory, PlanCertificationFactory, ShareFactory

MODELS = [
    "plans.careerplan",
    "plans.skillassessment",
    "plans.activity",
    "plans.comment",
    "goals.goal",
    "goals.calendarfeed",
]


@pytest.fixture
def admin_client(client, db, password):
    user = make_user("root@example.com", password)
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


@pytest.fixture
def data(plan, ladder, alice):
    from plans.models import SkillAssessment
    from plans.sharing.models import Comment

    goal = GoalFactory(plan=plan)
    CheckInFactory(goal=goal)
    MilestoneFactory(goal=goal)
    PlanCertificationFactory(plan=plan)
    ShareFactory(plan=plan)
    ActivityFactory(plan=plan, skills=[ladder.skills["market"]])
    SkillAssessment.objects.create(plan=plan, skill=ladder.skills["market"], level=2)
    Comment.objects.create(plan=plan, author=alice, body="Nice")
    CalendarFeed.objects.create(user=alice)


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_change_page_render(admin_client, data, model):
    app_label, model_name = model.split(".")
    changelist = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert changelist.status_code == 200
    obj = changelist.context["cl"].result_list[0]
    assert (
        admin_client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])).status_code == 200
    )


def test_plan_history_is_browsable_in_the_admin(admin_client, plan):
    response = admin_client.get(reverse("admin:plans_careerplan_history", args=[plan.pk]))
    assert response.status_code == 200


def test_admin_sign_in_asks_for_the_email_and_accepts_it(client, db, password):
    staff = make_user("staff@example.com", password)
    staff.is_staff = True
    staff.save()
    page = client.get(reverse("admin:login")).content.decode()
    assert '<label for="id_username" class="required">Email:</label>' in page
    assert 'type="email"' in page and "Username" not in page

    response = client.post(reverse("admin:login"), {"username": "staff@example.com", "password": password})

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_sign_in_error_speaks_of_the_email(client, db):
    response = client.post(reverse("admin:login"), {"username": "nobody@example.com", "password": "wrong"})
    assert "Enter the email address and password of a staff account." in response.content.decode()
