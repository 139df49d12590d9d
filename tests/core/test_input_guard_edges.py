"""The input guard's edges (careerpath/middleware.py), from mutation testing (issue 28): each refusal
is logged with the request and what was wrong; a NUL in a cookie's or a posted field's name is
refused like one in its value; a server that leaves QUERY_STRING out is answered. And the
middleware beside it: a signed-in person's page is exactly private and not stored, a page that
chose its own caching keeps it, a visitor's public page is not marked private."""

import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from careerpath.middleware import RefuseUnreadableInputMiddleware

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {directive.strip() for directive in response["Cache-Control"].split(",")}


@pytest.fixture
def refusals(caplog):
    caplog.set_level(logging.WARNING, logger="django.security.BadInput")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "django.security.BadInput"]


def test_a_nul_in_the_address_is_logged_with_the_method_the_path_and_the_reason(client, refusals):
    response = client.get("/plans/invitations/%00/")

    assert response.status_code == 400
    assert refusals() == [r"Refused GET /plans/invitations/\0/: a NUL byte in the address"]


@pytest.mark.parametrize("cookie", ["sessionid=abc\x00def", "session\x00id=abcdef"], ids=["value", "name"])
def test_a_nul_in_a_cookie_value_or_name_is_refused_and_logged(client, refusals, cookie):
    response = client.get(reverse("home"), HTTP_COOKIE=cookie)

    assert response.status_code == 400
    assert refusals() == ["Refused GET /: a NUL byte in a cookie"]


@pytest.mark.parametrize("field", [{"body": "hi\x00there"}, {"bo\x00dy": "hi there"}], ids=["value", "name"])
def test_a_nul_in_a_posted_value_or_name_is_refused_and_logged(alice_client, plan, refusals, field):
    from plans.sharing.models import Comment

    url = reverse("plans:comment_add", args=[plan.pk])
    response = alice_client.post(url, field)

    assert response.status_code == 400
    assert refusals() == [f"Refused POST {url}: a NUL byte in a posted field"]
    assert not Comment.objects.exists()


def test_a_clean_post_beside_it_is_not_refused(alice_client, plan, refusals):
    from plans.sharing.models import Comment

    response = alice_client.post(reverse("plans:comment_add", args=[plan.pk]), {"body": "hi there"})

    assert response.status_code in (200, 302)
    assert refusals() == []
    assert Comment.objects.get().body == "hi there"


def test_a_request_whose_server_left_out_the_query_string_is_answered():
    """PEP 3333 lets a server leave QUERY_STRING out of the environ when there is none."""
    request = RequestFactory().get("/plans/")
    del request.META["QUERY_STRING"]
    guard = RefuseUnreadableInputMiddleware(lambda request: HttpResponse("the page"))

    assert guard(request).content == b"the page"


# --- PrivatePagesMiddleware ----------------------------------------------------------------------


def test_a_signed_in_persons_page_is_private_and_never_stored(alice_client):
    assert directives(alice_client.get(reverse("accounts:account"))) == {"private", "no-store"}


def test_a_page_that_chose_its_own_caching_keeps_it(alice_client, plan):
    """The plan page revalidates with its ETag: stored, but only in the person's browser."""
    response = alice_client.get(plan.get_absolute_url())

    assert {"private", "no-cache"} <= directives(response)
    assert "no-store" not in directives(response)


def test_a_visitors_public_page_is_not_marked_private(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")
