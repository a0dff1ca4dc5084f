"""Writes to participant data. Every function is atomic, checks access and is audited."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.lib.services import service
from finsam.models import AuditAction
from finsam.services import log_event
from participants import access, identity
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


@service(None)
def number_search_logged(*, actor, hits: int) -> None:
    """A search by personnummer is a look at identity: logged, without the number."""
    log_event(
        actor=actor,
        action=AuditAction.VIEW,
        message=_("Sökte på personnummer: %(n)s träffar") % {"n": hits},
    )


def identity_of(*, actor, participation: Participation) -> dict | None:
    """Name and personnummer for the insats's own staff; each look is logged."""
    participant = participation.participant
    if participant is None or not participant.identified:
        return None
    access.require(access.sees_identity(actor, participation))
    with transaction.atomic():
        log_event(
            actor=actor,
            action=AuditAction.VIEW,
            obj=participation,
            message=_("Visade identitet för %(code)s") % {"code": participant.code},
        )
    number = identity.decrypt(participant.number_encrypted)
    return {
        "name": identity.decrypt(participant.name_encrypted),
        "number": identity.display_number(number) if number.isdigit() else number,
        "coordination": number.isdigit() and identity.is_coordination_number(number),
    }


def register_extract(*, actor, participation: Participation) -> dict:
    """Registerutdrag: everything held about the person, in the insatser where
    the actor may see who they are. Audited as an export."""
    access.require(access.sees_identity(actor, participation))
    participant = participation.participant
    if participant is None or not participant.identified:
        raise ValidationError(_("Registerutdrag finns bara för identifierade deltagare."))
    shown = [
        p
        for p in participant.participations.select_related(
            "project",
            "kommun",
            "referrer",
            "occupation_before",
            "occupation_after",
            "education",
            "jobless",
            "exit_reason",
            "consent__taken_by",
        ).prefetch_related("incomes__source", "statuses__kind")
        if access.sees_identity(actor, p)
    ]
    number = identity.decrypt(participant.number_encrypted)

    def label(value):
        return str(value) if value is not None else None

    extract = {
        "utdrag": _("Registerutdrag enligt artikel 15 i dataskyddsförordningen"),
        "skapat": timezone.localtime().isoformat(timespec="seconds"),
        "deltagarkod": participant.code,
        "namn": identity.decrypt(participant.name_encrypted),
        "personnummer": identity.display_number(number) if number.isdigit() else number,
        "deltaganden": [
            {
                "insats": f"{p.project.reference} {p.project.name}",
                "startdatum": p.start_date.isoformat() if p.start_date else None,
                "slutdatum": p.end_date.isoformat() if p.end_date else None,
                "kön": p.get_sex_display(),
                "födelseår": p.birth_year,
                "kommun": label(p.kommun),
                "remitterande part": label(p.referrer),
                "sysselsättning före": label(p.occupation_before),
                "utbildningsnivå": label(p.education),
                "tid utan arbete": label(p.jobless),
                "försörjning": [
                    {
                        "när": i.get_phase_display(),
                        "försörjning": str(i.source),
                        "omfattning": i.extent,
                    }
                    for i in p.incomes.all()
                ],
                "avslutsorsak": label(p.exit_reason),
                "sysselsättning efter": label(p.occupation_after),
                "samtycke": {
                    "datum": p.consent.given_on.isoformat(),
                    "skriftligt": p.consent.written,
                    "inhämtat av": str(p.consent.taken_by),
                    "omfattar": p.consent.scope,
                }
                if hasattr(p, "consent")
                else None,
                "statuslogg": [
                    {"datum": s.date.isoformat(), "status": str(s.kind), "anteckning": s.note}
                    for s in p.statuses.all()
                ],
            }
            for p in shown
        ],
    }
    with transaction.atomic():
        log_event(
            actor=actor,
            action=AuditAction.EXPORT,
            obj=participation,
            message=_("Registerutdrag för %(code)s") % {"code": participant.code},
        )
    return extract
