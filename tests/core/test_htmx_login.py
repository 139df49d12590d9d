from django.urls import reverse

from tests.goals.factories import GoalFactory


def test_htmx_request_from_an_expired_session_redirects_the_whole_page(client, plan):
    goal = GoalFactory(plan=plan)
    url = reverse("goals:check_in_add", args=[goal.pk])

    response = client.post(url, {"value": "2"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("account_login"))


def test_plain_request_keeps_the_normal_login_redirect(client, plan):
    response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 302
    assert "HX-Redirect" not in response
