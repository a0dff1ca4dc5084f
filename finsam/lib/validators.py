import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer
from stdnum.se import orgnr


def validate_organisation_number(value: str) -> None:
    """A Swedish organisationsnummer with a valid check digit."""
    if value and not orgnr.is_valid(value):
        raise ValidationError(
            _("%(value)s är inte ett giltigt organisationsnummer."),
            params={"value": value},
            code="invalid_orgnr",
        )


# Every dash a word processor or a phone keyboard makes, read as "-".
_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)

# A personnummer or samordningsnummer as people write it: with or without the
# century, the date's pairs optionally apart (space or dot), then a dash, a
# plus, a dot, a space or nothing, then the four last digits.
_NUMBER_LIKE = re.compile(
    r"(?<![\d])"
    r"(?P<century>\d{2})?"
    r"(?P<yy>\d{2})[ .]?(?P<mm>\d{2})[ .]?(?P<dd>\d{2})"
    r" ?(?P<sep>[-+.]|\s)? ?"
    r"(?P<serial>\d{4})"
    r"(?![\d])"
)


def _date_like(month: str, day: str) -> bool:
    m, d = int(month), int(day)
    # Samordningsnummer add 60 to the day.
    return 1 <= m <= 12 and (1 <= d <= 31 or 61 <= d <= 91)


def contains_personnummer(text: str) -> bool:
    """Whether ``text`` holds something that is, or unmistakably looks like, a
    personnummer or samordningsnummer.

    Written with a dash or a plus after a real date (YYMMDD-NNNN), it counts
    even with a wrong check digit: that is a personnummer mistyped. Without
    the dash (ten or twelve digits, or split by spaces or dots) only a valid
    check digit counts, so that phone numbers and amounts pass. Other dashes,
    full-width and superscript digits are read as what they look like.
    """
    if not text:
        return False
    normalised = unicodedata.normalize("NFKC", str(text)).translate(_DASHES)
    for match in _NUMBER_LIKE.finditer(normalised):
        if not _date_like(match["mm"], match["dd"]):
            continue
        if match["sep"] in ("-", "+"):
            return True
        digits = "".join(match[g] or "" for g in ("century", "yy", "mm", "dd", "serial"))
        if personnummer.valid(digits):
            return True
    return False


PUBLIC_TEXT_MESSAGE = _(
    "Texten ser ut att innehålla ett personnummer. Det här blir en allmän handling "
    "(protokoll, anslag eller rapport): skriv aldrig personnummer eller något som pekar "
    "ut en enskild person."
)
PARTICIPANT_TEXT_MESSAGE = _(
    "Texten ser ut att innehålla ett personnummer. Deltagarens identitet hör bara "
    "hemma i identitetsuppgifterna (namn och personnummer), som är krypterade och "
    "visas för få: skriv den aldrig i anteckningar eller samtyckestext."
)


def no_personnummer_in_public_text(value: str) -> None:
    """For every field that reaches a protocol, the anslagstavla, a report or a public page."""
    if contains_personnummer(value):
        raise ValidationError(PUBLIC_TEXT_MESSAGE, code="personnummer")


def no_personnummer_in_participant_text(value: str) -> None:
    """For free text about a participant: identity goes in the encrypted fields only."""
    if contains_personnummer(value):
        raise ValidationError(PARTICIPANT_TEXT_MESSAGE, code="personnummer")
