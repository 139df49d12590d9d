"""Email addresses compared as mail systems compare them: letters A–Z in either case are the same,
nothing else is folded.

Unicode case folding is not safe for addresses: PostgreSQL's UPPER() turns the dotless ı (U+0131)
into I and the long ſ (U+017F) into S, so ``email__iexact`` says victim@gmaıl.com, a different
domain (xn--gmal-nza.com), is victim@gmail.com. Store addresses normalised and compare them
exactly.
"""

import string

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

# RFC 5321's longest path less its angle brackets: what every address field accepts.
MAX_ADDRESS_LENGTH = 254
TOO_LONG = f"Enter an address of at most {MAX_ADDRESS_LENGTH} characters."


def normalize_address(address: str) -> str:
    """The address with surrounding spaces removed and A–Z lowered; every other character kept."""
    return address.strip().translate(_ASCII_LOWER)


def same_address(one: str, other: str) -> bool:
    return normalize_address(one) == normalize_address(other)
