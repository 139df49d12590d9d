def test_a_foreign_plan_is_a_friendly_404_in_the_site_layout(bob_client, plan):
    response = bob_client.get(plan.get_absolute_url())
    assert response.status_code == 404
    assert b"We couldn't find that page" in response.content
    assert b"navbar" in response.content


def test_a_mentor_changing_the_plan_gets_a_clear_403(client, plan, mentor, mentor_share):
    from django.urls import reverse

    client.force_login(mentor)
    response = client.get(reverse("plans:edit", args=[plan.pk]))
    assert response.status_code == 403
    assert b"Only the plan&#x27;s owner can change it." in response.content
