"""Signed out, a reminder's check-in link opens a sign-in page that says which goal it is for,
and only when the link is one CareerPath signed (issue 23, item 7)."""

from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from goals.reminders.tokens import CHECK_IN_LINK_MAX_AGE, CHECK_IN_LINK_SALT, check_in_link
from tests.conftest import NOW
from tests.goals.factories import GoalFactory

pytestmark = pytest.mark.usefixtures("frozen_time")

TITLE = "Run 5 customer interviews a month"


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def login_page_for(client, next_path: str) -> str:
    return client.get(reverse("account_login") + "?next=" + quote(next_path)).content.decode()


def test_the_link_opens_a_sign_in_page_naming_the_goal(plan, client):
    goal = GoalFactory(plan=plan, title=TITLE)
    response = client.get(path_of(check_in_link(goal)), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "Sign in to check in on “Run 5 customer interviews a month”" in html


def test_signing_in_from_the_page_opens_the_goals_check_in_form(plan, client, alice, password):
    goal = GoalFactory(plan=plan, title=TITLE)
    link = path_of(check_in_link(goal))
    response = client.post(
        reverse("account_login") + "?next=" + quote(link),
        {"login": alice.email, "password": password, "next": link},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("goals:check_in_add", args=[goal.pk])


def test_a_failed_sign_in_still_says_which_goal(plan, client, alice):
    goal = GoalFactory(plan=plan, title=TITLE)
    link = path_of(check_in_link(goal))
    response = client.post(
        reverse("account_login"), {"login": alice.email, "password": "not the password", "next": link}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sign in to check in on “Run 5 customer interviews a month”" in html


def test_a_forged_link_names_no_goal(plan, client, alice):
    goal = GoalFactory(plan=plan, title=TITLE)
    forged = signing.dumps({"goal": goal.pk, "user": alice.pk}, salt="not-the-link-salt", compress=True)
    html = login_page_for(client, reverse("goals:check_in_link", args=[forged]))
    assert TITLE not in html
    assert "Sign in to check in" not in html and ">Sign in<" in html


def test_a_tampered_link_names_no_goal(plan, client):
    goal = GoalFactory(plan=plan, title=TITLE)
    link = path_of(check_in_link(goal))
    assert TITLE not in login_page_for(client, link[:-3] + "xx/")


def test_an_expired_link_names_no_goal(plan, client):
    goal = GoalFactory(plan=plan, title=TITLE)
    link = path_of(check_in_link(goal))
    with time_machine.travel(NOW + CHECK_IN_LINK_MAX_AGE + timedelta(minutes=1), tick=False):
        assert TITLE not in login_page_for(client, link)


def test_a_link_to_a_goal_deleted_since_names_none(plan, client):
    goal = GoalFactory(plan=plan, title=TITLE)
    link = path_of(check_in_link(goal))
    goal.delete()
    html = login_page_for(client, link)
    assert "Sign in to check in" not in html


def test_a_signed_link_naming_someone_elses_goal_names_none(plan, client, bob):
    """Only a payload CareerPath signed for the goal's owner: never someone else's goal by id."""
    goal = GoalFactory(plan=plan, title=TITLE)
    token = signing.dumps({"goal": goal.pk, "user": bob.pk}, salt=CHECK_IN_LINK_SALT, compress=True)
    assert TITLE not in login_page_for(client, reverse("goals:check_in_link", args=[token]))


def test_another_page_to_return_to_names_no_goal(plan, client):
    GoalFactory(plan=plan, title=TITLE)
    for next_path in ["/plans/", "https://evil.example/goals/check-in/x/", "//evil.example/", "/nope/"]:
        html = login_page_for(client, next_path)
        assert "Sign in to check in" not in html, next_path


def test_the_goal_title_is_escaped(plan, client):
    goal = GoalFactory(plan=plan, title="<script>alert(1)</script> 3 talks")
    html = client.get(path_of(check_in_link(goal)), follow=True).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 3 talks" in html


def test_a_signed_in_owner_still_goes_straight_to_the_form(plan, alice_client):
    goal = GoalFactory(plan=plan, title=TITLE)
    response = alice_client.get(path_of(check_in_link(goal)))
    assert response["Location"] == reverse("goals:check_in_add", args=[goal.pk])


def test_the_sign_in_page_reads_the_goal_in_one_query(plan, client, django_assert_max_num_queries):
    goal = GoalFactory(plan=plan, title=TITLE)
    link = path_of(check_in_link(goal))
    client.get(reverse("account_login"))  # the session exists
    with django_assert_max_num_queries(2):  # the session, the goal's title
        html = login_page_for(client, link)
    assert TITLE in html
