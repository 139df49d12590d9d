from allauth.account.models import EmailAddress
from django import forms
from django.db import models

from accounts.addresses import MAX_ADDRESS_LENGTH, TOO_LONG, normalize_address, same_address
from plans.models import CareerPlan
from plans.sharing.models import Comment


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        max_length=MAX_ADDRESS_LENGTH,
        error_messages={"max_length": TOO_LONG},
        help_text="A mentor or manager. They read the plan and may comment; they cannot change it.",
    )
    message = forms.CharField(
        label="Personal message",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: included in the invitation email.",
    )
    may_rate = forms.BooleanField(
        label="They may rate my skills",
        required=False,
        help_text="A second opinion beside your own assessment: it counts only if you choose it. "
        "You can change this later.",
    )

    def __init__(self, *args, plan: CareerPlan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_email(self) -> str:
        """The address normalised (accounts.addresses): compared exactly, never by Unicode case folding."""
        email = normalize_address(self.cleaned_data["email"])
        owner = self.plan.owner
        own = [owner.email, *EmailAddress.objects.filter(user=owner).values_list("email", flat=True)]
        if any(same_address(address, email) for address in own):
            raise forms.ValidationError("That is your own address: invite a mentor or manager instead.")
        if self.plan.shares.filter(email=email).exists():
            raise forms.ValidationError("You have already invited this address to this plan.")
        return email


class CommentForm(forms.ModelForm):
    body = forms.CharField(
        label="Add a comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write something before posting the comment."},
    )

    class Meta:
        model: type[models.Model] = Comment  # GoalCommentForm's is GoalComment
        fields = ["body"]
