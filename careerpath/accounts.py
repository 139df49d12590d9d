"""allauth's emails (verification, password reset) leave through the project's one email layer."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django import forms
from django.contrib.sites.shortcuts import get_current_site

from accounts.addresses import MAX_ADDRESS_LENGTH, TOO_LONG
from plans import emails


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """Every address allauth takes (sign-up, an added address) fits the 254 characters of
        RFC 5321, as the database and every form of ours do."""
        if len(email) > MAX_ADDRESS_LENGTH:
            raise forms.ValidationError(TOO_LONG)
        return super().clean_email(email)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth renders the message as it always does; the outbox and a worker send it, so a slow
        or dead SMTP server never fails a sign-up or a password reset."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, ctx)
        html = next((body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), "")
        if message.content_subtype == "html":
            text, html = "", message.body
        else:
            text = message.body
        emails.queue_rendered(
            kind="account:" + template_prefix.rsplit("/", 1)[-1],
            rendered=emails.Rendered(subject=message.subject, text=text, html=html),
            to=email,
            headers=dict(message.extra_headers),
        )
