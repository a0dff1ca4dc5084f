"""Justering, with sending out, taking back, correction, signing, the anslag and reminders."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board import access, content, notify, procedure, rules
from board.models import (
    APPLICATION_DECISIONS,
    DecisionType,
    DocumentKind,
    Minutes,
    MinutesDocument,
    MinutesStatus,
    Posting,
    Signature,
    Signer,
    SignerRole,
)
from board.selectors import signing_state
from board.services.protocol import _editable
from finsam.audit import set_actor
from finsam.auth import check_signature_credentials
from finsam.lib.services import service
from finsam.models import AuditAction, Federation
from finsam.services import log_event

# The standard dagordning of a förbund's board meeting; beslutsärenden come in its middle.


# --- Justering ----------------------------------------------------------------


@service(access.manages_meetings)
def minutes_send_for_justering(*, actor, minutes: Minutes) -> Minutes:
    minutes = _editable(minutes)
    problems = []
    if not minutes.signers.filter(role=SignerRole.CHAIR).exists():
        problems.append(_("Välj mötets ordförande."))
    if not minutes.signers.filter(role=SignerRole.VERIFIER).exists():
        problems.append(_("Välj minst en justerare."))
    paragraphs = list(minutes.paragraphs.order_by("number"))
    if not paragraphs:
        problems.append(_("Protokollet har inga paragrafer."))
    for p in paragraphs:
        if p.application_id and p.decision_type not in (*APPLICATION_DECISIONS, DecisionType.TABLE):
            problems.append(
                _("§ %(number)s gäller en ansökan men har inget beslut om den.")
                % {"number": p.number}
            )
        if p.report_id and not p.decision_type:
            problems.append(
                _("§ %(number)s gäller en rapport men har inget beslut om den.")
                % {"number": p.number}
            )
    problems += [
        procedure.quorum_problem(handled)
        for handled in procedure.by_paragraph(minutes, paragraphs).values()
        if not handled.quorum.reached
    ]
    if (
        Federation.objects.get().secretary_signs
        and not minutes.signers.filter(role=SignerRole.SECRETARY).exists()
    ):
        problems.append(_("Förbundet vill att sekreteraren skriver under: spara justerarna igen."))
    if problems:
        raise ValidationError(problems)
    minutes.status = MinutesStatus.FOR_JUSTERING
    minutes.sent_for_justering_at = timezone.now()
    minutes.correction_request = ""
    # The content as sent: it cannot change while out for justering, so the
    # signatures are checked against this (and the justering against a new count).
    minutes.content_hash = content.content_hash(minutes)
    minutes.save(
        update_fields=["status", "sent_for_justering_at", "correction_request", "content_hash"]
    )
    signers = list(minutes.signers.select_related("user"))
    notify.send_for_justering(minutes, signers)
    return minutes


@service(access.manages_meetings)
def minutes_take_back(*, actor, minutes: Minutes) -> Minutes:
    """The secretary takes the protocol back to correct it before it is justerat."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != MinutesStatus.FOR_JUSTERING:
        raise ValidationError(_("Protokollet är inte ute för justering."))
    minutes.status = MinutesStatus.DRAFT
    minutes.content_hash = ""
    minutes.save(update_fields=["status", "content_hash"])
    return minutes


@service(None)
def minutes_request_correction(*, actor, minutes: Minutes, comment: str) -> Minutes:
    """A signer asks for a correction: back to the secretary, with the comment."""
    if not access.is_signer(actor, minutes):  # before the lock: a refusal never waits
        raise PermissionDenied
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if minutes.status != MinutesStatus.FOR_JUSTERING:
        raise ValidationError(_("Protokollet är inte ute för justering."))
    if not comment.strip():
        raise ValidationError({"comment": _("Skriv vad som behöver rättas.")})
    minutes.status = MinutesStatus.DRAFT
    minutes.correction_request = _("%(name)s: %(comment)s") % {
        "name": actor.full_name,
        "comment": comment.strip(),
    }
    minutes.content_hash = ""
    minutes.save(update_fields=["status", "correction_request", "content_hash"])
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=minutes,
        message=_("Begärde rättelse: %(comment)s") % {"comment": comment.strip()[:400]},
    )
    notify.send_correction_request(minutes)
    return minutes


@service(None)
def minutes_sign(*, actor, minutes: Minutes, password: str, token: str) -> Signature:
    """Sign with password and second factor. The last valid signature justerar
    the protocol: it is locked, its anslag posted and its PDF kept."""
    # Concurrent signers queue on the protocol's row, so the last of them
    # sees every other signature and locks it exactly once.
    if not minutes.signers.filter(user=actor).exists():  # before the lock, as above
        raise PermissionDenied
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    signer = minutes.signers.filter(user=actor).first()
    if signer is None:
        raise PermissionDenied
    if minutes.status != MinutesStatus.FOR_JUSTERING:
        raise ValidationError(
            _("Protokollet är redan justerat.")
            if minutes.is_locked
            else _("Protokollet är inte ute för justering.")
        )
    check_signature_credentials(actor, password, token)
    current = content.content_hash(minutes)
    signature, _created = Signature.objects.get_or_create(
        signer=signer,
        content_hash=current,
        defaults={"minutes": minutes, "signed_at": timezone.now()},
    )
    if all(valid for _s, _sig, valid in signing_state(minutes, current)):
        _justera(actor, minutes, current)
    return signature


def new_posting(*, organ: str = "", on: dt.date, date: dt.date, paragraphs: str, **what) -> Posting:
    """An anslag put up ``on`` a day, with its appeal dates from law (not yet
    saved). ``what`` is the minutes, the paragraph or the delegation."""
    federation = Federation.objects.get()
    return Posting(
        organ=organ or _("Styrelsen, %(name)s") % {"name": federation.name},
        meeting_date=date,
        paragraphs=paragraphs,
        posted_on=on,
        appeal_last_day=rules.appeal_last_day(on),
        taken_down_on=rules.posting_taken_down_on(on),
        storage_place=federation.minutes_storage_place,
        **what,
    )


def post(posting: Posting) -> Posting:
    """Put the anslag up and tell those who follow the anslagstavla."""
    posting.full_clean()
    posting.save()
    notify.send_posting_to_subscribers(posting)
    return posting


def _justera(actor, minutes: Minutes, current_hash: str) -> None:
    """Lock the protocol, post its anslag and keep its PDF."""
    from board import pdf  # WeasyPrint loads only when a protocol is justerat

    now = timezone.now()
    today = timezone.localdate(now)
    # §§ justerade omedelbart have had their own anslag and appeal time.
    numbers = list(
        minutes.paragraphs.filter(justerat_at__isnull=True)
        .order_by("number")
        .values_list("number", flat=True)
    ) or list(minutes.paragraphs.order_by("number").values_list("number", flat=True))
    posting = new_posting(
        on=today,
        date=minutes.meeting.date,
        paragraphs=pdf.number_range(numbers),
        minutes=minutes,
    )
    minutes.frozen = pdf.freeze(minutes)
    minutes.status = MinutesStatus.JUSTERAT
    minutes.justerat_at = now
    minutes.content_hash = current_hash
    documents = [(DocumentKind.OFFICIAL, pdf.minutes_pdf(minutes, posting=posting))]
    if minutes.paragraphs.filter(confidential=True).exists():
        documents.append(
            (DocumentKind.PUBLIC, pdf.minutes_pdf(minutes, posting=posting, public=True))
        )
    minutes.save(update_fields=["status", "justerat_at", "content_hash", "frozen"])
    post(posting)
    for kind, data in documents:
        MinutesDocument.objects.create(
            minutes=minutes, kind=kind, content=data, sha256=hashlib.sha256(data).hexdigest()
        )
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=minutes,
        message=_("Protokollet justerat; anslaget sattes upp %(date)s.")
        % {"date": today.isoformat()},
    )


def justering_remind(*, now: dt.datetime | None = None) -> int:
    """E-mail each signer who has not signed a protocol that is out for
    justering, from a few days before the deadline and at most once a day.
    Returns the number of reminders sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    waiting = Minutes.objects.filter(status=MinutesStatus.FOR_JUSTERING).select_related("meeting")
    for minutes in waiting:
        deadline = rules.justering_deadline(minutes.meeting.date)
        if (deadline - today).days > settings.BOARD_REMINDER_DAYS_BEFORE:
            continue
        for signer, _signature, valid in signing_state(minutes):
            if valid or (signer.reminded_at and timezone.localdate(signer.reminded_at) == today):
                continue
            with transaction.atomic():
                set_actor(None, "påminnelse om justering")
                Signer.objects.filter(pk=signer.pk).update(reminded_at=now)
                notify.send_reminder(minutes, signer, deadline)
            sent += 1
    return sent
