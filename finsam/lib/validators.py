from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.se import orgnr


def validate_organisation_number(value: str) -> None:
    """A Swedish organisationsnummer with a valid check digit."""
    if value and not orgnr.is_valid(value):
        raise ValidationError(
            _("%(value)s är inte ett giltigt organisationsnummer."),
            params={"value": value},
            code="invalid_orgnr",
        )
