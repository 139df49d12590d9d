"""The emails sharing sends: the invitation to read a plan, and the notice of a new comment.
Each is one function here, rendered and queued by the one email layer (base.emails)."""

from django.conf import settings
from django.urls import reverse

from accounts.names import display_name
from base.emails import queue
from base.models import OutgoingEmail
from plans.models import CareerPlan
from plans.sharing.models import Share


def invitation_url(share: Share) -> str:
    return settings.SITE_URL + reverse("plans:invitation_accept", args=[share.token])


def invitation_send(*, share: Share) -> OutgoingEmail:
    """The invitation to read a plan, replying to its owner."""
    owner = share.plan.owner
    context = {
        "plan": share.plan,
        "owner_name": display_name(owner),
        "message": share.message,
        "accept_url": invitation_url(share),
    }
    return queue(
        template="plan_invitation", context=context, to=share.email, reply_to=owner.email, caused_by=owner
    )


def comment_notify(
    *, plan: CareerPlan, author, body: str, url: str, is_reply: bool, goal_title: str = ""
) -> list[OutgoingEmail]:
    """Tell the other side of a comment thread (CareerPlan.comment_recipients) about a new comment
    on the plan, or on one of its goals when ``goal_title`` names it; ``url`` opens the thread."""
    sent = []
    for recipient in plan.comment_recipients(author):
        context = {
            "plan": plan,
            "goal_title": goal_title,
            "body": body,
            "url": settings.SITE_URL + url,
            "is_reply": is_reply,
            "to_owner": plan.is_owned_by(recipient),
            "author_name": display_name(author),
            "owner_name": display_name(plan.owner),
            "recipient_name": display_name(recipient),
        }
        sent.append(queue(template="comment_notice", context=context, to=recipient.email, caused_by=author))
    return sent
