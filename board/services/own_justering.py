"""Documents justerade on their own: a § justerad omedelbart at the meeting,
with its own anslag and protokollsutdrag, and a rättelse of a justerat
protocol.

The protocol's signers sign each with password and one-time code, over the
hash of that document alone; the last valid signature locks it.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from board import access, content, procedure
from board.models import (
    PARAGRAPH_LOCKED_MESSAGE,
    Correction,
    CorrectionSignature,
    DocumentKind,
    Minutes,
    MinutesDocument,
    MinutesStatus,
    Paragraph,
    Signature,
    SignerRole,
)
from board.services.justering import new_posting, post
from finsam.auth import check_signature_credentials
from finsam.lib.services import service
from finsam.models import AuditAction
from finsam.services import log_event

# --- Omedelbar justering of a § -----------------------------------------------------


def paragraph_signing_state(paragraph: Paragraph):
    """Each signer of the protocol with their latest signature of this § and
    whether it still holds (the § has not changed since)."""
    current = paragraph.justering_hash or content.paragraph_hash(paragraph)
    signatures = Signature.objects.filter(paragraph=paragraph)
    return procedure.signing_rows(paragraph.minutes, signatures, current)


def immediate_problems(paragraph: Paragraph) -> list[str]:
    """Why the § cannot be justerad omedelbart now (empty if it can)."""
    problems = []
    minutes = paragraph.minutes
    if not paragraph.immediate:
        problems.append(_("Paragrafen är inte markerad för omedelbar justering."))
    if minutes.is_locked or paragraph.justerat_at:
        problems.append(PARAGRAPH_LOCKED_MESSAGE)
    roles = {s.role for s in minutes.signers.all()}
    if SignerRole.CHAIR not in roles or SignerRole.VERIFIER not in roles:
        problems.append(_("Välj mötets ordförande och justerare först."))
    if not paragraph.decision_text and not paragraph.propositions.exists():
        problems.append(_("Paragrafen har inget beslut att justera."))
    handled = procedure.by_paragraph(minutes)[paragraph.pk]
    problem = procedure.quorum_problem(handled)
    if problem:
        problems.append(problem)
    return problems


@service(None)
def paragraph_sign(*, actor, paragraph: Paragraph, password: str, token: str) -> Signature:
    """Sign a § justerad omedelbart. The last valid signature justerar it:
    the § is locked, its anslag posted and its protokollsutdrag kept."""
    if not access.is_signer(actor, paragraph.minutes):  # before the lock: a refusal never waits
        raise PermissionDenied
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting").get(pk=paragraph.minutes_id)
    )
    paragraph = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
    paragraph.minutes = minutes
    problems = immediate_problems(paragraph)
    if problems:
        raise ValidationError(problems)
    check_signature_credentials(actor, password, token)
    signer = minutes.signers.get(user=actor)
    current = content.paragraph_hash(paragraph)
    signature, _created = Signature.objects.get_or_create(
        signer=signer,
        content_hash=current,
        defaults={"minutes": minutes, "paragraph": paragraph, "signed_at": timezone.now()},
    )
    if all(valid for _s, _sig, valid in paragraph_signing_state(paragraph)):
        _justera_paragraph(actor, paragraph, current)
    return signature


def _justera_paragraph(actor, paragraph: Paragraph, current_hash: str) -> None:
    from board import pdf

    now = timezone.now()
    today = timezone.localdate(now)
    Paragraph.objects.filter(pk=paragraph.pk).update(justerat_at=now, justering_hash=current_hash)
    paragraph.justerat_at, paragraph.justering_hash = now, current_hash
    posting = new_posting(
        on=today,
        date=paragraph.minutes.meeting.date,
        paragraphs=f"§ {paragraph.number}",
        paragraph=paragraph,
    )
    data = pdf.extract_pdf(paragraph, posting=posting)
    post(posting)
    MinutesDocument.objects.create(
        minutes=paragraph.minutes,
        paragraph=paragraph,
        kind=DocumentKind.EXTRACT,
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=paragraph.minutes,
        message=_("§ %(n)s justerad omedelbart; anslaget sattes upp %(date)s.")
        % {"n": paragraph.number, "date": today.isoformat()},
    )


# --- Rättelse -----------------------------------------------------------------------


@service(access.manages_meetings)
def correction_create(*, actor, paragraph: Paragraph, text: str) -> Correction:
    """A rättelse of a § in a justerat protocol, to be justerad by its signers."""
    minutes = Minutes.objects.get(pk=paragraph.minutes_id)
    paragraph = Paragraph.objects.get(pk=paragraph.pk)
    if minutes.status != MinutesStatus.JUSTERAT and paragraph.justerat_at is None:
        raise ValidationError(_("Protokollet är inte justerat: rätta paragrafen direkt i stället."))
    correction = Correction(
        minutes=minutes, paragraph=paragraph, text=text.strip(), created_by=actor
    )
    correction.full_clean()
    correction.save()
    return correction


def correction_hash(correction: Correction) -> str:
    return content.hash_of(
        {
            "protokoll": correction.minutes.content_hash,
            "paragraf": correction.paragraph.reference,
            "rättelse": correction.text,
        }
    )


def correction_signing_state(correction: Correction):
    current = correction.content_hash or correction_hash(correction)
    return procedure.signing_rows(correction.minutes, correction.signatures.all(), current)


@service(None)
def correction_sign(*, actor, correction: Correction, password: str, token: str):
    if not access.is_signer(actor, correction.minutes):
        raise PermissionDenied
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.justerat_at is not None:
        raise ValidationError(_("Rättelsen är redan justerad."))
    check_signature_credentials(actor, password, token)
    signer = correction.minutes.signers.get(user=actor)
    current = correction_hash(correction)
    signature, _created = CorrectionSignature.objects.get_or_create(
        correction=correction,
        signer=signer,
        content_hash=current,
        defaults={"signed_at": timezone.now()},
    )
    if all(valid for _s, _sig, valid in correction_signing_state(correction)):
        correction.justerat_at = timezone.now()
        correction.content_hash = current
        correction.save(update_fields=["justerat_at", "content_hash"])
        log_event(
            actor=actor,
            action=AuditAction.EVENT,
            obj=correction.minutes,
            message=_("Rättelse av %(ref)s justerad.") % {"ref": correction.paragraph.reference},
        )
    return signature


@service(access.manages_meetings)
def correction_delete(*, actor, correction: Correction) -> None:
    """A rättelse not yet justerad can be withdrawn (a justerad one never)."""
    if correction.justerat_at is not None:
        raise ValidationError(_("Rättelsen är justerad och kan inte tas bort."))
    correction.signatures.all().delete()
    correction.delete()
