"""Enrolment, one participation or an import of many, built and checked by the same rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from finsam.lib.services import service
from finsam.models import AuditAction
from finsam.services import log_event
from participants import access
from participants.models import (
    Consent,
    IncomePhase,
    Participant,
    Participation,
    ParticipationIncome,
)
from participants.services.common import (
    MAX_AGE,
    MIN_AGE,
    Income,
    _check_date_in_project,
    _clean,
    _incomes,
    _new_codes,
    _today,
    participant_for_number,
)
from participants.services.followup import closing_build


@dataclass
class Enrolment:
    """What one enrolment writes, built and checked before anything is saved
    (``_enrolments_save`` writes many at once: an import)."""

    participation: Participation
    new_participant: Participant | None = None
    incomes: list = field(default_factory=list)
    consent: Consent | None = None


def enrolment_build(
    *,
    actor,
    project,
    sex: str,
    start_date: dt.date,
    consent_given_on: dt.date | None = None,
    consent_written: bool = False,
    consent_scope: str = "",
    protected_identity: bool = False,
    participant: Participant | None = None,
    name: str = "",
    number: str = "",
    birth_year: int | None = None,
    kommun=None,
    referrer=None,
    occupation_before=None,
    education=None,
    jobless=None,
    incomes_before: Iterable[Income] = (),
    imported: bool = False,
) -> Enrolment:
    """Every rule of an enrolment, nothing saved (but an identified person,
    found or created by personnummer under a row lock). Without consent, or
    with skyddade personuppgifter, only kön and the year of start are kept."""
    if not imported:
        _check_date_in_project(project, start_date, "start_date")
    if consent_given_on is None or protected_identity:
        participation = Participation(
            project=project, anonymous=True, sex=sex, start_year=start_date.year, created_by=actor
        )
        _clean(participation, imported=imported)
        return Enrolment(participation=participation)

    if consent_given_on > _today():
        raise ValidationError({"consent_given_on": _("Samtycket kan inte vara daterat framåt.")})
    if birth_year is not None and not MIN_AGE <= start_date.year - birth_year <= MAX_AGE:
        raise ValidationError(
            {
                "birth_year": _("Deltagaren måste vara mellan %(min)s och %(max)s år vid start.")
                % {"min": MIN_AGE, "max": MAX_AGE}
            }
        )
    new_participant = None
    if number:
        participant = participant_for_number(number=number, name=name)
    elif participant is not None:
        # Coming back: only someone the actor already follows in one of their insatser.
        access.require(
            Participation.objects.followed_by(actor).filter(participant=participant).exists()
        )
    else:
        participant = new_participant = Participant()  # its code is drawn when saved
    participation = Participation(
        project=project,
        participant=participant,
        sex=sex,
        start_year=start_date.year,
        start_date=start_date,
        birth_year=birth_year,
        kommun=kommun,
        referrer=referrer,
        occupation_before=occupation_before,
        education=education,
        jobless=jobless,
        created_by=actor,
    )
    _clean(participation, imported=imported, exclude=["participant"], validate_constraints=False)
    consent = Consent(
        participation=participation,
        given_on=consent_given_on,
        written=consent_written,
        taken_by=actor,
    )
    if consent_scope.strip():
        consent.scope = consent_scope.strip()
    _clean(consent, imported=imported, exclude=["participation"])
    return Enrolment(
        participation=participation,
        new_participant=new_participant,
        incomes=_incomes(participation, IncomePhase.BEFORE, incomes_before, imported=imported),
        consent=consent,
    )


BATCH = 1000  # rows per INSERT: large enough to be fast, small enough to stay linear


def _enrolments_save(*, actor, enrolments: list[Enrolment]) -> list[Participation]:
    """Write built enrolments in a few multi-row inserts (the row triggers log
    each row). A person with two open participations in one insats is refused
    by the schema; the caller's transaction rolls everything back."""
    new_people = [e.new_participant for e in enrolments if e.new_participant is not None]
    for person, code in zip(new_people, _new_codes(len(new_people)), strict=True):
        person.code = code
    participations = [e.participation for e in enrolments]
    try:
        with transaction.atomic():
            Participant.objects.bulk_create(new_people, batch_size=BATCH)
            Participation.objects.bulk_create(participations, batch_size=BATCH)
    except IntegrityError as error:
        raise ValidationError(
            _("Personen har redan ett pågående deltagande i den här insatsen.")
        ) from error
    ParticipationIncome.objects.bulk_create(
        [i for e in enrolments for i in e.incomes], batch_size=BATCH
    )
    Consent.objects.bulk_create(
        [e.consent for e in enrolments if e.consent is not None], batch_size=BATCH
    )
    for enrolment in enrolments:
        person = enrolment.participation.participant
        if person is not None and person.identified:
            log_event(
                actor=actor,
                action=AuditAction.EVENT,
                obj=enrolment.participation,
                message=_("Identifierad deltagare inskriven"),
            )
    return participations


@service(None, context=lambda kw: kw["context"])
def participations_import(*, actor, rows, context: str) -> list[Participation]:
    """Read in many participations at once: ``rows`` are (insats, the fields
    of ``enrolment_build``, the fields of ``closing_build`` or None). Every row
    is built and checked by the same rules as one enrolment, then all are
    written in a few multi-row inserts; any refusal rolls back every row."""
    for project in {project for project, _fields, _closing in rows}:
        access.require(access.can_enrol(actor, project, imported=True))
    enrolments = []
    for project, fields, closing in rows:
        enrolment = enrolment_build(actor=actor, project=project, imported=True, **fields)
        if closing is not None:
            enrolment.incomes += closing_build(enrolment.participation, imported=True, **closing)
        enrolments.append(enrolment)
    return _enrolments_save(actor=actor, enrolments=enrolments)


@service(
    access.can_enrol,
    message=_(
        "Du kan bara skriva in deltagare i en pågående individinriktad insats där du arbetar."
    ),
    context=lambda kw: kw.get("context", ""),
)
def participation_enrol(*, actor, project, context: str = "", imported: bool = False, **fields):
    """Enrol a person in an insats (the fields are ``enrolment_build``'s)."""
    enrolment = enrolment_build(actor=actor, project=project, imported=imported, **fields)
    return _enrolments_save(actor=actor, enrolments=[enrolment])[0]
