"""A password change or reset ends the tokens the person chose to end with it."""

from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver

from api.tokens import tokens_revoke_on_password_change


@receiver(password_changed)
@receiver(password_reset)
@receiver(password_set)
def _revoke_tokens(sender, request, user, **kwargs) -> None:
    tokens_revoke_on_password_change(user=user)
