"""The plan's deletion page counts what goes beside what does not, from mutation testing (issue
28): pending invitations are counted apart from the mentors who accepted theirs."""

import pytest
from django.urls import reverse

from tests.plans.factories import ShareFactory


@pytest.mark.parametrize(("pending", "said"), [(0, None), (2, "Two pending invitations to read it")])
def test_the_page_counts_pending_invitations_not_the_mentor(alice_client, plan, mentor_share, pending, said):
    for n in range(pending):
        ShareFactory(plan=plan, email=f"pending{n}@example.com", user=None, accepted_at=None)

    text = alice_client.get(reverse("plans:delete", args=[plan.pk])).content.decode()

    assert "<strong>mentor</strong> can read and comment on this plan today" in text
    if said:
        assert f"{said} will no longer work." in text
    else:
        assert "pending invitation" not in text
