"""Counts and lists told in words, for the sentences pages and messages say."""

from django.contrib.humanize.templatetags.humanize import apnumber


def counted(count: int, singular: str, plural: str, *, spelled: bool = True) -> str:
    """ "one check-in", "three milestones", "12 comments" (up to nine spelled out), or with
    ``spelled=False`` "1 goal", "3 activities"."""
    number = apnumber(count) if spelled else count
    return f"{number} {singular if count == 1 else plural}"


def listed(parts: list[str]) -> str:
    """The parts as a sentence lists them: "a, b and c"."""
    return " and ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)
