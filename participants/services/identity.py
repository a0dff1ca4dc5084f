"""Looks at who a participant is, each one logged."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.lib.services import service
from finsam.models import AuditAction
from finsam.services import log_event
from participants import access, identity
from participants.models import (
    Participation,
)


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
