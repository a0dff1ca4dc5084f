"""Following a participation: status log, closing, reopening, consent withdrawn, reduction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from finsam.lib.services import service
from finsam.models import AuditAction
from finsam.services import log_event
from participants import access
from participants.models import (
    Consent,
    ExitReason,
    IncomePhase,
    Participant,
    Participation,
    ParticipationIncome,
    StatusEntry,
)
from participants.selectors import due_for_gallring
from participants.services.common import Income, _clean, _incomes, _today


def _require_open_full(participation) -> None:
    if participation.minimal:
        raise ValidationError(_("Ett anonymt deltagande har ingen statuslogg."))
    if participation.closed:
        raise ValidationError(_("Deltagandet är avslutat."))


@service(access.can_follow)
def status_add(
    *, actor, participation: Participation, kind, date: dt.date, note: str = ""
) -> StatusEntry:
    _require_open_full(participation)
    if date > _today():
        raise ValidationError({"date": _("Datumet kan inte ligga i framtiden.")})
    if date < participation.start_date:
        raise ValidationError({"date": _("Datumet ligger före deltagandets start.")})
    entry = StatusEntry(
        participation=participation, kind=kind, date=date, note=note.strip(), created_by=actor
    )
    entry.full_clean()
    entry.save()
    return entry


def closing_build(
    participation: Participation,
    *,
    end_date: dt.date,
    exit_reason,
    occupation_after=None,
    incomes_after: Iterable[Income] = (),
    imported: bool = False,
) -> list:
    """Every rule of closing a participation: sets its end on the object (saved
    or not) and returns its försörjning after, not saved."""
    if participation.closed:
        raise ValidationError(_("Deltagandet är redan avslutat."))
    if end_date > _today():
        raise ValidationError({"end_date": _("Slutdatum kan inte ligga i framtiden.")})
    participation.end_year = end_date.year
    participation.exit_reason = exit_reason
    if participation.minimal:
        if end_date.year < participation.start_year:
            raise ValidationError({"end_date": _("Slutdatum ligger före startåret.")})
        return []
    if end_date < participation.start_date:
        raise ValidationError({"end_date": _("Slutdatum ligger före startdatum.")})
    participation.end_date = end_date
    participation.occupation_after = occupation_after
    exclude = ["participant"] if participation.pk is None else []
    _clean(participation, imported=imported, exclude=exclude, validate_constraints=False)
    return _incomes(participation, IncomePhase.AFTER, incomes_after, imported=imported)


@service(access.can_follow)
def participation_close(
    *,
    actor,
    participation: Participation,
    end_date: dt.date,
    exit_reason,
    occupation_after=None,
    incomes_after: Iterable[Income] = (),
) -> Participation:
    incomes = closing_build(
        participation,
        end_date=end_date,
        exit_reason=exit_reason,
        occupation_after=occupation_after,
        incomes_after=incomes_after,
    )
    _clean(participation)
    participation.save()
    ParticipationIncome.objects.bulk_create(incomes)
    return participation


@service(access.can_reopen, message=_("Bara kansliet kan öppna ett avslutat deltagande."))
def participation_reopen(*, actor, participation: Participation, reason: str) -> Participation:
    """Only the kansli reopens a closed participation, and says why."""
    if not participation.closed:
        raise ValidationError(_("Deltagandet är inte avslutat."))
    if participation.reduced_on:
        raise ValidationError(
            _("Deltagandet är reducerat till kön och år och kan inte öppnas igen.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv varför deltagandet öppnas igen.")})
    participation.end_year = None
    participation.end_date = None
    participation.exit_reason = None
    participation.occupation_after = None
    participation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            participation.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Personen har redan ett annat pågående deltagande i insatsen.")
        ) from error
    participation.incomes.filter(phase=IncomePhase.AFTER).delete()
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=participation,
        message=_("Avslutat deltagande öppnat igen: %(reason)s") % {"reason": reason.strip()},
    )
    return participation


@service(access.can_reopen, message=_("Bara kansliet kan ta bort en felregistrering."))
def participation_delete_mistake(*, actor, participation: Participation, reason: str) -> None:
    """The kansli removes a participation closed as a felregistrering: its
    status log, försörjning and consent go with it, and the person too when
    nothing else refers to them. The audit log keeps who, when and why."""
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    if not participation.is_mistake:
        raise ValidationError(
            _("Bara ett deltagande som är avslutat som felregistrering kan tas bort.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv varför felregistreringen tas bort.")})
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=participation,
        message=_("Felregistrering borttagen ur %(project)s: %(reason)s")
        % {"project": participation.project.reference, "reason": reason.strip()[:300]},
    )
    person = participation.participant_id
    StatusEntry.objects.filter(participation=participation).delete()
    ParticipationIncome.objects.filter(participation=participation).delete()
    Consent.objects.filter(participation=participation).delete()
    participation.delete()
    if person is not None:
        Participant.objects.filter(pk=person).exclude(
            Exists(Participation.objects.filter(participant=OuterRef("pk")))
        ).delete()


def _reduce(participations, *, reason: str, on: dt.date) -> int:
    """Reduce participations to the anonymous minimum in a few statements:
    status log, försörjning and consent go; kön, years and avslutsorsak stay.
    People left without any participation are deleted, identity and all."""
    ids = list(participations.values_list("pk", flat=True))
    if not ids:
        return 0
    people = list(
        Participation.objects.filter(pk__in=ids, participant__isnull=False)
        .values_list("participant_id", flat=True)
        .distinct()
    )
    StatusEntry.objects.filter(participation_id__in=ids).delete()
    ParticipationIncome.objects.filter(participation_id__in=ids).delete()
    Consent.objects.filter(participation_id__in=ids).delete()
    Participation.objects.filter(pk__in=ids).update(
        participant=None,
        start_date=None,
        end_date=None,
        birth_year=None,
        kommun=None,
        referrer=None,
        occupation_before=None,
        education=None,
        jobless=None,
        occupation_after=None,
        reduced_on=on,
        reduced_reason=reason,
    )
    Participant.objects.filter(pk__in=people).exclude(
        Exists(Participation.objects.filter(participant=OuterRef("pk")))
    ).delete()
    return len(ids)


@service(access.can_follow)
def consent_withdraw(*, actor, participation: Participation, on: dt.date | None = None):
    """The person withdraws consent: the participation ends (if open) with
    avslutsorsak "återkallat samtycke" and is reduced to kön and years at once."""
    on = on or _today()
    if participation.minimal or not hasattr(participation, "consent"):
        raise ValidationError(_("Det finns inget samtycke att återkalla."))
    if on > _today() or on < participation.consent.given_on:
        raise ValidationError({"on": _("Datumet måste ligga mellan samtycket och i dag.")})
    if not participation.closed:
        participation.end_year = max(on.year, participation.start_year)
        participation.end_date = max(on, participation.start_date)
        participation.exit_reason = ExitReason.objects.get(code=ExitReason.WITHDRAWN)
        participation.save(update_fields=["end_year", "end_date", "exit_reason"])
    _reduce(
        Participation.objects.filter(pk=participation.pk),
        reason=_("Samtycket återkallat"),
        on=_today(),
    )
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=participation,
        message=_("Samtycket återkallat; deltagandet är reducerat till kön och år"),
    )
    participation.refresh_from_db()
    return participation


@service(None, context="gallring")
def participations_reduce_expired(*, actor=None, today: dt.date | None = None) -> int:
    """Reduce every participation past its retention period. Scheduled (cron)."""
    due, cutoff = due_for_gallring(today)
    count = _reduce(due, reason=_("Gallrad"), on=today or _today())
    if count:
        log_event(
            actor=actor,
            action=AuditAction.EVENT,
            message=_("Gallring: %(count)s deltaganden avslutade före %(cutoff)s reducerade")
            % {"count": count, "cutoff": cutoff},
        )
    return count
