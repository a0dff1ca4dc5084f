"""Identified mode: personnummer and names, encrypted at rest.

Only used when the installation has turned on FINSAM_IDENTIFIED_MODE. The
number is validated with the ``personnummer`` library (which also knows
samordningsnummer), stored as a Fernet ciphertext and found through an HMAC
with its own key, so neither a database dump nor the audit log holds it
readable, and equality lookups never need to decrypt.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from personnummer import personnummer


def enabled() -> bool:
    return bool(settings.FINSAM_IDENTIFIED_MODE)


def normalise_number(raw: str) -> str:
    """Twelve digits, YYYYMMDDNNNC, for a valid personnummer or samordningsnummer."""
    text = "".join(ch for ch in (raw or "") if ch.isdigit() or ch in "+-").strip()
    try:
        number = personnummer.parse(text)
    except personnummer.PersonnummerException as error:
        raise ValidationError(
            _(
                "Det är inget giltigt personnummer eller samordningsnummer. Skriv det som "
                "ÅÅÅÅMMDD-NNNN och kontrollera siffrorna."
            ),
            code="invalid_personnummer",
        ) from error
    return number.format(long_format=True)


def is_coordination_number(normalised: str) -> bool:
    return int(normalised[6:8]) > 60


def display_number(normalised: str) -> str:
    return f"{normalised[:8]}-{normalised[8:]}"


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FINSAM_IDENTITY_KEYS])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return _("(kan inte dekrypteras med nuvarande nycklar)")


def number_hash(normalised: str) -> str:
    key = settings.FINSAM_IDENTITY_HASH_KEY.encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()
