"""What enrolment and follow-up share: dates, incomes, the person behind a personnummer."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from participants import identity
from participants.models import (
    Participant,
    ParticipationIncome,
)

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MIN_AGE, MAX_AGE = 15, 70


@dataclass(frozen=True)
class Income:
    source: object
    extent: int = 100


def _today() -> dt.date:
    return timezone.localdate()


def _check_date_in_project(project, when: dt.date, label: str) -> None:
    if when > _today():
        raise ValidationError({label: _("Datumet kan inte ligga i framtiden.")})
    if not project.start_date <= when <= project.end_date:
        raise ValidationError(
            {
                label: _("Datumet måste ligga inom insatsens period, %(start)s–%(end)s.")
                % {"start": project.start_date, "end": project.end_date}
            }
        )


def _clean(instance, *, imported: bool = False, **kwargs) -> None:
    """Model validation before a save. For an import, every related object was
    read from the database in this transaction and the schema's constraints
    and unique indexes hold the rest, so the per-row existence, unique and
    constraint queries are left to the database (a file of thousands of rows is one
    transaction; a refusal rolls it all back)."""
    if imported:
        relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
        kwargs["exclude"] = [*kwargs.get("exclude", ()), *relations]
        kwargs["validate_unique"] = False
        kwargs["validate_constraints"] = False
    instance.full_clean(**kwargs)


def _incomes(participation, phase: str, incomes: Iterable[Income], *, imported: bool = False):
    """The participation's försörjning before or after, checked, not saved."""
    rows, seen = [], set()
    for income in incomes:
        if income.source.pk in seen:
            raise ValidationError(
                _("%(source)s är angiven två gånger.") % {"source": income.source}
            )
        seen.add(income.source.pk)
        row = ParticipationIncome(
            participation=participation, phase=phase, source=income.source, extent=income.extent
        )
        _clean(row, imported=imported, exclude=["participation"])
        rows.append(row)
    return rows


def participant_for_number(*, number: str, name: str = "") -> Participant:
    """The person with this personnummer, found through the keyed hash, or a new one."""
    if not identity.enabled():
        raise ValidationError(_("Identifierade deltagare är inte påslaget i denna installation."))
    normalised = identity.normalise_number(number)
    digest = identity.number_hash(normalised)
    participant = Participant.objects.select_for_update().filter(number_hash=digest).first()
    if participant is None:
        participant = Participant.objects.create(
            code=_new_codes(1)[0],
            number_hash=digest,
            number_encrypted=identity.encrypt(normalised),
            name_encrypted=identity.encrypt(name.strip()) if name.strip() else "",
        )
    elif name.strip():
        participant.name_encrypted = identity.encrypt(name.strip())
        participant.save(update_fields=["name_encrypted"])
    return participant


def _new_codes(n: int) -> list[str]:
    """``n`` participant codes no one has (drawn at random, checked in one query)."""
    codes: set[str] = set()
    while len(codes) < n:
        drawn = {
            "D-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
            for _ in range(n - len(codes))
        }
        taken = set(Participant.objects.filter(code__in=drawn).values_list("code", flat=True))
        codes |= drawn - taken
    return list(codes)
