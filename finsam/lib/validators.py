import re

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


# A run of digits shaped like a personnummer or samordningsnummer.
_NUMBER_LIKE = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+ ]?(\d{4})(?!\d)")


def contains_personnummer(text: str) -> bool:
    """Protocols and reports are public documents: they must never hold a personnummer."""
    return any(personnummer.valid("".join(m.groups())) for m in _NUMBER_LIKE.finditer(text or ""))
