"""Counts and lists told in words, for the sentences pages and messages say: Django's own
`ngettext` and `get_text_list`, with small numbers spelled out as the humanize app does."""

from django.contrib.humanize.templatetags.humanize import apnumber
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext


def counted(count: int, singular: str, plural: str, *, spelled: bool = True) -> str:
    """ "one check-in", "three milestones", "12 comments" (up to nine spelled out), or with
    ``spelled=False`` "1 goal", "3 activities"."""
    number = apnumber(count) if spelled else count
    return f"{number} {ngettext(singular, plural, count)}"


def listed(parts: list[str]) -> str:
    """The parts as a sentence lists them: "a, b and c"."""
    return str(get_text_list(parts, gettext("and")))
