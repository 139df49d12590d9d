"""Email addresses compared as mail systems compare them: letters A–Z in either case are the same,
nothing else is folded.

Unicode case folding is not safe for addresses: PostgreSQL's UPPER() turns the dotless ı (U+0131)
into I and the long ſ (U+017F) into S, so ``email__iexact`` says victim@gmaıl.com, a different
domain (xn--gmal-nza.com), is victim@gmail.com. Store addresses normalised and compare them
exactly.
"""

import string

from allauth.account.models import EmailAddress
from django.db import transaction

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

# RFC 5321's longest path less its angle brackets: what every address field accepts.
MAX_ADDRESS_LENGTH = 254
TOO_LONG = f"Enter an address of at most {MAX_ADDRESS_LENGTH} characters."


def normalize_address(address: str) -> str:
    """The address with surrounding spaces removed and A–Z lowered; every other character kept."""
    return address.strip().translate(_ASCII_LOWER)


def same_address(one: str, other: str) -> bool:
    return normalize_address(one) == normalize_address(other)


def is_verified_anywhere(address: str) -> bool:
    """Whether some account has verified ``address`` (allauth stores addresses lowered)."""
    return EmailAddress.objects.filter(email=address.lower(), verified=True).exists()


@transaction.atomic
def other_claims_drop(*, verified: EmailAddress) -> int:
    """Once ``verified`` is confirmed, no other account holds its address: their unverified rows
    of it go (an address no one verified belongs to no one, and only the mailbox's owner could
    have confirmed it), and an account whose own email named it is left with its verified
    primary address, or none. How many claims went."""
    claims = list(
        EmailAddress.objects.filter(email=verified.email, verified=False)
        .exclude(user_id=verified.user_id)
        .select_related("user")
    )
    for claim in claims:
        claim.delete()
        user = claim.user
        if same_address(user.email, verified.email):
            left = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk")
            user.email = left.values_list("email", flat=True).first() or ""
            user.save(update_fields=["email"])
    return len(claims)
