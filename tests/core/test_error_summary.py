"""A failed form opens with an error summary linking to each field (templates/includes/error_summary.html)."""

from django.urls import reverse


def test_failed_plan_form_lists_each_problem_with_a_link_to_its_field(alice_client):
    response = alice_client.post(reverse("plans:create"), {"title": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert "data-error-summary" in html and "There are problems with what you entered" in html
    assert 'href="#id_current_role"' in html and 'href="#id_target_role"' in html
    assert "js/error-summary.js" in html


def test_a_form_without_errors_has_no_summary(alice_client):
    html = alice_client.get(reverse("plans:create")).content.decode()
    assert "data-error-summary" not in html and "js/error-summary.js" not in html


def test_sign_in_failure_is_summarised_too(client, alice):
    response = client.post(reverse("account_login"), {"login": "alice@example.com", "password": "wrong"})
    html = response.content.decode()
    assert "data-error-summary" in html and "There is a problem with what you entered" in html
