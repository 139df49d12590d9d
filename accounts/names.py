"""How a person is shown to others: one rule, used by templates (the ``display_name`` filter),
emails, messages and allauth (ACCOUNT_USER_DISPLAY)."""

# Who wrote a comment whose author deleted their account (the comment's author is null).
FORMER_MEMBER = "a former member"


def display_name(user) -> str:
    """The name they gave (Django's ``User.first_name``), else the part of their email before the @.

    Never the whole address: a mentor's dashboard, a comment or an email subject should not
    spread it further than the person chose. No one (an author whose account was deleted) is
    "a former member".
    """
    if user is None:
        return FORMER_MEMBER
    name = (getattr(user, "first_name", "") or "").strip()
    if name:
        return name
    local_part = (getattr(user, "email", "") or "").partition("@")[0]
    return local_part or user.get_username()
