"""Swedish number and money formats: "1 234 567 kr", "12,5"."""

from decimal import Decimal

from django.utils import numberformat

NBSP = "\xa0"


def format_number(value, decimals: int | None = 0) -> str:
    if value is None or value == "":
        return ""
    return numberformat.format(
        Decimal(value),
        decimal_sep=",",
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=NBSP,
        force_grouping=True,
    ).replace("-", "\u2212")


def format_kronor(value) -> str:
    """Whole kronor with a space between thousands: "1 234 567 kr"."""
    if value is None or value == "":
        return ""
    return f"{format_number(value, 0)}{NBSP}kr"
