"""What the sign-in pages need to know about single sign-on (accounts.sso)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sso_only() -> bool:
    """Whether passwords are off for everyone but superusers (SSO_ONLY)."""
    return bool(settings.SSO_ONLY)
