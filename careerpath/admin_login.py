"""The admin's sign-in asks for the email address, as the rest of the site does.

The login is the email (allauth's backend takes it in the username slot), but Django's admin form
labels the field with the user model's USERNAME_FIELD, "Username", which sends staff looking for
a username they never chose.
"""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm


class AdminEmailLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "Enter the email address and password of a staff account.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email"
        self.fields["username"].widget = forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})

    def confirm_login_allowed(self, user) -> None:
        """With SSO_ONLY this is the superusers' break-glass sign-in (docs/decisions.md "Single
        sign-on"): other staff sign in with single sign-on, like everyone else."""
        super().confirm_login_allowed(user)
        if settings.SSO_ONLY and not user.is_superuser:
            raise forms.ValidationError(
                "Passwords are off: sign in with single sign-on. This page is for superusers.",
                code="sso_only",
            )
