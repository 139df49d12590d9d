from django.contrib.staticfiles import finders
from django.urls import reverse


def test_anonymous_visitor_sees_what_careerpath_does_and_a_sign_up(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Start your plan" in response.content
    assert reverse("account_signup").encode() in response.content


def test_signed_in_user_sees_their_dashboard(alice_client):
    response = alice_client.get(reverse("home"))
    assert b"Dashboard" in response.content
    assert b"Welcome, alice" in response.content  # her display name: no name given, the address's local part
    assert b"Start your plan" not in response.content


def test_account_pages_use_the_site_layout(client, db):
    response = client.get(reverse("account_login"))
    assert b"navbar" in response.content
    assert b"vendor/bootstrap/bootstrap.min.css" in response.content


def test_front_end_assets_are_vendored_not_from_a_cdn(client, db):
    for asset in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/htmx/htmx.min.js",
        "vendor/chartjs/chart.umd.min.js",
    ):
        assert finders.find(asset), asset
    html = client.get(reverse("home")).content.decode()
    assert "cdn" not in html.lower()
