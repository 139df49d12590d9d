"""Numbers as text: one way to write a decimal wherever the app writes one (an export, a message,
a form's initial value, a calendar event), so 10 is never "1E+1"."""

from decimal import Decimal


def plain_number(value: Decimal | int | float | str) -> str:
    """``value`` in plain digits, without trailing zeros or exponent: 10 -> "10", 2.50 -> "2.5",
    0.5 -> "0.5", 1E+6 -> "1000000", -0.00 -> "0".

    Plain formatting (``:f``) rather than ``normalize()``, which rounds to the context's 28 digits
    and turns 10 into 1E+1."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
