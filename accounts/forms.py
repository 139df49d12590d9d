from django import forms
from django.contrib.auth import get_user_model

NAME_HELP = "How mentors and the people who share a plan with you see you."


def name_field(help_text: str = NAME_HELP) -> forms.CharField:
    return forms.CharField(
        label="Your name",
        max_length=150,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Tell us your name: it is what your mentors and mentees see."},
    )


class SignupNameForm(forms.Form):
    """The fields CareerPath adds to allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS).

    allauth's adapter saves ``first_name`` itself (DefaultAccountAdapter.save_user)."""

    first_name = name_field()
    field_order = ["first_name", "email", "password1", "password2"]

    def clean_first_name(self) -> str:
        return " ".join(self.cleaned_data["first_name"].split())

    def signup(self, request, user) -> None:
        """allauth's hook after the user is saved: nothing more to store."""


class DisplayNameForm(forms.ModelForm):
    first_name = name_field(help_text="")  # the account page says it above the form

    class Meta:
        model = get_user_model()
        fields = ["first_name"]

    def clean_first_name(self) -> str:
        return " ".join(self.cleaned_data["first_name"].split())


class AccountDeleteForm(forms.Form):
    """The explicit yes deleting an account needs, beyond signing in again."""

    confirm = forms.BooleanField(
        label="Yes, delete my account and everything in it",
        error_messages={"required": "Tick the box to confirm that you want your account deleted."},
    )
