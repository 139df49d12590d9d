"""The one email layer: every email the project sends is a subject / text / HTML trio under
templates/emails/, rendered and sent here. One function per email, as healthchecks' hc/lib/emails.py."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from plans.models import Comment, Share

logger = logging.getLogger(__name__)


def send(*, template: str, context: dict, to: list[str], reply_to: list[str] | None = None) -> None:
    """One email from templates/emails/<template>_subject.txt, <template>.txt and <template>.html."""
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to, reply_to=reply_to)
    message.attach_alternative(html, "text/html")
    message.send()


def invitation_url(share: Share) -> str:
    return settings.SITE_URL + reverse("plans:invitation_accept", args=[share.token])


def invitation_send(*, share: Share) -> bool:
    """Email the invitation; False (and logged) if the mail server refused or was unreachable."""
    owner = share.plan.owner
    context = {
        "plan": share.plan,
        "owner_email": owner.email,
        "message": share.message,
        "accept_url": invitation_url(share),
    }
    try:
        send(template="plan_invitation", context=context, to=[share.email], reply_to=[owner.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the invitation for share %s", share.pk)
        return False
    return True


def comment_notify_owner(*, comment: Comment) -> None:
    """Tell the owner a mentor commented. The comment is saved either way."""
    plan = comment.plan
    context = {
        "plan": plan,
        "comment": comment,
        "author_email": comment.author.email,
        "plan_url": settings.SITE_URL + plan.get_absolute_url() + "#comments",
    }
    try:
        send(template="plan_comment", context=context, to=[plan.owner.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not email the owner about comment %s", comment.pk)
