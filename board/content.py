"""What a protocol says, as data: its canonical form and hash.

A signature is a SHA-256 over the canonical content: the header, attendance,
signers and every § with its decision and attachments, serialised as JSON
with sorted keys. Anything a reader of the protocol would see is in it; the
signatures themselves and the later anslag are not.
"""

from __future__ import annotations

import hashlib
import json

from django.db.models import Prefetch

from board import procedure
from board.models import DelegationDecision, Minutes, Paragraph, PartialPresence


def paragraphs_of(minutes: Minutes):
    return (
        Paragraph.objects.filter(minutes=minutes)
        .select_related("application__project")
        .prefetch_related(
            "attachments__document",
            Prefetch(
                "reported_delegations",
                queryset=DelegationDecision.objects.order_by("decided_on", "year", "number"),
            ),
        )
        .order_by("number")
    )


def canonical(minutes: Minutes) -> dict:
    meeting = minutes.meeting
    paragraphs = list(paragraphs_of(minutes))
    handled = procedure.by_paragraph(minutes, paragraphs)
    partly = PartialPresence.objects.filter(attendance__minutes=minutes).exists()
    return {
        "sammanträde": {
            "datum": meeting.date.isoformat(),
            "börjar": meeting.starts_at.strftime("%H:%M"),
            "slutar": meeting.ends_at.strftime("%H:%M") if meeting.ends_at else "",
            "plats": meeting.place,
            "distans": meeting.remote,
        },
        "sekreterare": str(minutes.secretary),
        "justering": minutes.justering_place,
        "närvaro": [
            [a.kind, a.name, a.organisation, a.role, a.replaces]
            for a in minutes.attendance.order_by("order", "id")
        ],
        "justerare": [[s.role, s.name] for s in minutes.signers.order_by("role", "name", "id")],
        "paragrafer": [
            paragraph_canonical(p, handled[p.pk], with_presence=partly) for p in paragraphs
        ],
    }


def paragraph_canonical(p: Paragraph, handled, *, with_presence: bool) -> dict:
    """A §'s part of the content. Keys for what earlier protocols could not
    hold are there only when used, so the hash of a protocol justerat before
    them is still what it was."""
    data = {
        "nummer": p.number,
        "år": p.year,
        "rubrik": p.title,
        "föredragande": p.presenter,
        "ärende": p.discussion,
        "beslutstyp": p.decision_type,
        "beslut": p.decision_text,
        "jäv": p.recusal,
        "reservation": p.reservation,
        "omedelbart_justerad": p.immediate,
        "sekretess": p.confidential,
        "ansökan": p.application.project.reference if p.application_id else "",
        "bilagor": [a.document.name for a in p.attachments.all()],
    }
    if with_presence:
        data["tjänstgörande"] = [a.name for a in handled.serving]
        data["jäviga"] = [a.name for a in handled.recused]
        data["tjänstgör_för"] = sorted([a.name, r.name] for a, r in handled.stands_in_pairs())
    if handled.motions:
        data["yrkanden"] = [procedure.motion_sentence(m) for m in handled.motions]
    if handled.steps:
        data["propositioner"] = [
            {
                "text": procedure.step_sentences(step),
                "röster": [[b.attendance.name, b.choice] for b in step.ballots],
                "resultat": procedure.result_sentence(step) if step.vote else "",
            }
            for step in handled.steps
        ]
    if handled.reservations:
        data["reservationer"] = [[r.attendance.name, r.written] for r in handled.reservations]
    delegations = list(p.reported_delegations.all())
    if delegations:
        data["delegationsbeslut"] = [
            [d.reference, d.decided_on.isoformat(), d.decided_by_name, d.matter]
            for d in delegations
        ]
    return data


def hash_of(data) -> str:
    """SHA-256 over data as canonical JSON."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(minutes: Minutes) -> str:
    return hash_of(canonical(minutes))


def paragraph_hash(paragraph: Paragraph) -> str:
    """What the signers of a § justerad omedelbart sign: the meeting, who
    took part in that §, and the § itself."""
    minutes = paragraph.minutes
    meeting = minutes.meeting
    handled = procedure.by_paragraph(minutes)[paragraph.pk]
    p = paragraphs_of(minutes).get(pk=paragraph.pk)
    return hash_of(
        {
            "sammanträde": [meeting.date.isoformat(), meeting.place],
            "paragraf": paragraph_canonical(p, handled, with_presence=True),
        }
    )
