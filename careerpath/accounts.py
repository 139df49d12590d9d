"""allauth, adapted: its emails (verification, password reset) leave through the project's one
email layer, and an address no one has verified belongs to no one (issue 21): it never blocks
someone else's sign-up, and confirming it drops the other accounts' unverified claims. With single sign-on configured (issue 26),
SIGNUP_ALLOWED_DOMAINS limits password sign-up as accounts.sso limits SSO sign-up, and SSO_ONLY turns
password sign-in, sign-up and reset off for everyone but superusers."""

from allauth.account import forms as allauth_forms
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sites.shortcuts import get_current_site

from accounts.addresses import MAX_ADDRESS_LENGTH, TOO_LONG, is_verified_anywhere, other_claims_drop
from accounts.sso import signup_domain_allowed, signup_domains_sentence
from base import emails

PASSWORDS_OFF = "Passwords are not used here: sign in with your organisation's single sign-on."


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Password sign-up (SSO sign-up asks accounts.sso.SocialAccountAdapter, which allows it)."""
        return not settings.SSO_ONLY

    def clean_email(self, email: str) -> str:
        """Every address allauth takes (sign-up, an added address) fits the 254 characters of
        RFC 5321, as the database and every form of ours do."""
        if len(email) > MAX_ADDRESS_LENGTH:
            raise forms.ValidationError(TOO_LONG)
        return super().clean_email(email)

    def confirm_email(self, request, email_address) -> bool:
        """allauth confirms the address, then other accounts' unverified claims on it go."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            other_claims_drop(verified=email_address)
        return confirmed

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
        user = ctx.get("user") or getattr(request, "user", None)
        emails.queue_rendered(
            kind="account:" + template_prefix.rsplit("/", 1)[-1],
            rendered=emails.Rendered(subject=message.subject, text=text, html=html),
            to=email,
            headers=dict(message.extra_headers),
            caused_by=user if getattr(user, "pk", None) else None,
        )


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form (ACCOUNT_FORMS), where only a verified address is taken.

    With ACCOUNT_UNIQUE_EMAIL allauth counts any account holding the address, verified or not,
    and sends "you already have an account" instead of signing up: anyone could add someone
    else's address to their own account, unverified, and keep its owner out. An unverified
    holder is no owner, so the sign-up goes ahead; whoever confirms the address first has it
    (only the mailbox's owner can), and AccountAdapter.confirm_email drops the other claims.
    A verified holder still gets allauth's enumeration-proof answer."""

    account_already_exists: bool  # allauth's, set by its validate_unique_email

    def clean_email(self) -> str:
        email = super().clean_email()
        if not signup_domain_allowed(email):
            raise forms.ValidationError(f"Sign-up is open to addresses at {signup_domains_sentence()} only.")
        return email

    def validate_unique_email(self, value: str) -> str:
        email = super().validate_unique_email(value)
        if self.account_already_exists and not is_verified_anywhere(email):
            self.account_already_exists = False
        return email

    def save(self, request) -> AbstractBaseUser:
        """allauth's save, which leaves out of the new account an address another account lists
        (its cleanup_email_addresses): here that can only be an unverified one, and the new
        account needs it, unverified, to be sent its confirmation."""
        user = super().save(request)
        if user.email and not EmailAddress.objects.filter(user=user).exists():
            EmailAddress.objects.create(user=user, email=user.email.lower(), primary=True, verified=False)
        return user


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form (ACCOUNT_FORMS), its checkbox said the way the site speaks."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in"

    def clean(self) -> dict:
        """With SSO_ONLY, a password signs in superusers alone (their break-glass, when the
        provider is down); everyone else is told to use single sign-on, right password or not."""
        cleaned = super().clean()
        if settings.SSO_ONLY and not (self.user and self.user.is_superuser):
            raise forms.ValidationError(PASSWORDS_OFF)
        return cleaned


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """allauth's password reset, off with SSO_ONLY: there are no passwords to reset (a superuser
    changes theirs with `manage.py changepassword`)."""

    def clean(self) -> dict:
        if settings.SSO_ONLY:
            raise forms.ValidationError(PASSWORDS_OFF)
        return super().clean()
