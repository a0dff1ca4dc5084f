"""What a protocol says, as data: its canonical form and hash, and its quorum.

A signature is a SHA-256 over the canonical content: the header, attendance,
signers and every § with its decision and attachments, serialised as JSON
with sorted keys. Anything a reader of the protocol would see is in it; the
signatures themselves and the later anslag are not.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from board.models import (
    DECIDING_KINDS,
    BoardMembership,
    Minutes,
    Paragraph,
)


def paragraphs_of(minutes: Minutes):
    return (
        Paragraph.objects.filter(minutes=minutes)
        .select_related("application__project")
        .prefetch_related("attachments__document")
        .order_by("number")
    )


def canonical(minutes: Minutes) -> dict:
    meeting = minutes.meeting
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
            {
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
            for p in paragraphs_of(minutes)
        ],
    }


def content_hash(minutes: Minutes) -> str:
    text = json.dumps(canonical(minutes), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Quorum:
    deciding: int  # ledamöter and tjänstgörande ersättare present
    seats: int  # ledamöter (ordinary seats) on the meeting day

    @property
    def reached(self) -> bool:
        """More than half of the ledamöter present (ersättare in their place count)."""
        return self.seats > 0 and self.deciding * 2 > self.seats

    @property
    def needed(self) -> int:
        return self.seats // 2 + 1


def quorum(minutes: Minutes) -> Quorum:
    return Quorum(
        deciding=minutes.attendance.filter(kind__in=DECIDING_KINDS).count(),
        seats=BoardMembership.objects.on(minutes.meeting.date).voting().count(),
    )
