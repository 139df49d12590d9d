"""Who may do what on every plan URL: the owner, a mentor it is shared with, another user, a visitor.

The owner may do everything; a mentor may read (detail, history, print) and comment, and gets 403
on every change; anyone else gets 404, as if the plan did not exist; a visitor is sent to
sign in. The certification and activity URLs (plans/views_records.py) have their own tests.
"""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from plans import urls as plan_urls
from plans import views_records
from plans.models import CareerPlan
from plans.ratings import urls as ratings_urls
from plans.sharing.models import Comment, Share

# (url name, method) → the owner's status. Changes redirect; pages render.
OWNER_STATUS = {
    ("plans:detail", "get"): 200,
    ("plans:edit", "get"): 200,
    ("plans:edit", "post"): 302,
    ("plans:archive", "post"): 302,
    ("plans:delete", "get"): 200,
    ("plans:delete", "post"): 302,
    ("plans:make_primary", "post"): 302,
    ("plans:assess", "get"): 200,
    ("plans:assess", "post"): 302,
    ("plans:history", "get"): 200,
    ("plans:print", "get"): 200,
    ("plans:share_list", "get"): 200,
    ("plans:share_list", "post"): 302,
    ("plans:share_resend", "post"): 302,
    ("plans:share_revoke", "post"): 302,
    ("plans:comment_add", "post"): 302,
}
# What a mentor may do; every other URL is a 403 for them.
MENTOR_STATUS = {
    ("plans:detail", "get"): 200,
    ("plans:history", "get"): 200,
    ("plans:print", "get"): 200,
    ("plans:comment_add", "post"): 302,
}
CASES = list(OWNER_STATUS)


@pytest.fixture
def other_share(plan):
    """A pending invitation: the target of resend/revoke, so the mentor's own share stays."""
    return Share.objects.create(plan=plan, email="manager@example.com")


def url_for(name: str, plan: CareerPlan, share: Share) -> str:
    if name in ("plans:share_resend", "plans:share_revoke"):
        return reverse(name, args=[plan.pk, share.pk])
    return reverse(name, args=[plan.pk])


def data_for(name: str, plan: CareerPlan) -> dict:
    return {
        "plans:edit": {
            "title": "Renamed",
            "current_role": plan.current_role_id,
            "target_role": plan.target_role_id,
            "target_date": "",
            "vision": "",
            "change_reason": "",
        },
        # one skill assessed (an empty POST would only show the form again)
        "plans:assess": {f"level_{plan.target_role.requirements.first().skill_id}": "2"},
        "plans:archive": {"archive": "1"},
        "plans:share_list": {"email": "newcomer@example.com"},
        "plans:comment_add": {"body": "Looks good."},
    }.get(name, {})


def request(client: Client, method: str, name: str, plan: CareerPlan, share: Share):
    url = url_for(name, plan, share)
    if method == "post":
        return client.post(url, data_for(name, plan))
    return client.get(url)


def snapshot(plan: CareerPlan) -> tuple:
    plan.refresh_from_db()
    return (plan.title, plan.status, plan.is_primary, sorted(Share.objects.values_list("email", flat=True)))


def test_every_plan_url_is_in_the_matrix():
    # The records' and the ratings' URLs have their own tests (and the access walk's rules).
    records = {p.name for p in views_records.urlpatterns} | {p.name for p in ratings_urls.urlpatterns}
    plan_url_names = {
        f"plans:{p.name}"
        for p in plan_urls.urlpatterns
        if isinstance(p, URLPattern) and "<int:pk>" in str(p.pattern) and p.name not in records
    }
    assert plan_url_names == {name for name, _ in CASES}


@pytest.mark.parametrize(("name", "method"), CASES)
def test_owner(alice_client, plan, mentor_share, other_share, name, method):
    response = request(alice_client, method, name, plan, other_share)
    assert response.status_code == OWNER_STATUS[(name, method)]


@pytest.mark.parametrize(("name", "method"), CASES)
def test_mentor_reads_and_comments_but_changes_nothing(plan, mentor, mentor_share, other_share, name, method):
    client = Client()
    client.force_login(mentor)
    before = snapshot(plan)

    response = request(client, method, name, plan, other_share)

    assert response.status_code == MENTOR_STATUS.get((name, method), 403)
    assert snapshot(plan) == before


@pytest.mark.parametrize(("name", "method"), CASES)
def test_other_user_gets_404(bob_client, plan, mentor_share, other_share, name, method):
    before = snapshot(plan)

    response = request(bob_client, method, name, plan, other_share)

    assert response.status_code == 404
    assert snapshot(plan) == before
    assert not Comment.objects.exists()


@pytest.mark.parametrize(("name", "method"), CASES)
def test_anonymous_is_sent_to_sign_in(client, plan, other_share, name, method):
    url = url_for(name, plan, other_share)
    before = snapshot(plan)

    response = request(client, method, name, plan, other_share)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote(url)}"
    assert snapshot(plan) == before
    assert not Comment.objects.exists()
