"""What a protocol says, as data: its canonical form and hash.

A signature is a SHA-256 over the canonical content: the header, attendance,
signers and every § with its decision and attachments, serialised as JSON
with sorted keys. Anything a reader of the protocol would see is in it; the
signatures themselves and the later anslag are not.
"""

from __future__ import annotations

import hashlib
import json

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects

from board import procedure, sentences
from board.models import (
    Attendance,
    DelegationDecision,
    Minutes,
    Motion,
    Paragraph,
    ParagraphAttachment,
    Reservation,
    Signer,
)
from finsam.lib.per_request import prefetched


def read(minutes: Minutes) -> Minutes:
    """The minutes with their attendance and signers read once, for a page or
    document that asks for them in several places (``minutes.attendance.all()``,
    ``signers_of``)."""
    prefetch_related_objects(
        [minutes],
        Prefetch("attendance", queryset=Attendance.objects.order_by("order", "id")),
        Prefetch("signers", queryset=Signer.objects.order_by("role", "name", "id")),
    )
    return minutes


def signers_of(minutes: Minutes) -> list[Signer]:
    """The signers in the order the content names them."""
    if prefetched(minutes, "signers"):
        return list(minutes.signers.all())
    return list(minutes.signers.order_by("role", "name", "id"))


def paragraphs_of(minutes: Minutes, pk: int | None = None) -> list[Paragraph]:
    """The protocol's §§ (or its § ``pk``) in order, each with its bilagor and
    the delegationsbeslut it reports, and flagged with what else it holds
    (``has_motions``, ``has_reservations``), so that nothing is read for a
    kind of row no § has."""
    query = (
        Paragraph.objects.filter(minutes=minutes)
        .select_related("application__project")
        .annotate(
            has_attachments=Exists(ParagraphAttachment.objects.filter(paragraph=OuterRef("pk"))),
            has_delegations=Exists(DelegationDecision.objects.filter(reported_in=OuterRef("pk"))),
            has_motions=Exists(Motion.objects.filter(paragraph=OuterRef("pk"))),
            has_reservations=Exists(Reservation.objects.filter(paragraph=OuterRef("pk"))),
        )
        .order_by("number")
    )
    paragraphs = list(query if pk is None else query.filter(pk=pk))
    _prefetch_where(
        paragraphs,
        "has_attachments",
        Prefetch("attachments", queryset=ParagraphAttachment.objects.select_related("document")),
    )
    _prefetch_where(
        paragraphs,
        "has_delegations",
        Prefetch(
            "reported_delegations",
            queryset=DelegationDecision.objects.order_by("decided_on", "year", "number"),
        ),
    )
    return paragraphs


def _prefetch_where(paragraphs, flag: str, lookup: Prefetch) -> None:
    """Prefetch ``lookup`` for the §§ flagged with ``flag``; the others get an
    empty result without a query (Django's prefetch cache, set as it would)."""
    wanted = [p for p in paragraphs if getattr(p, flag)]
    if wanted:
        prefetch_related_objects(wanted, lookup)
    name = lookup.to_attr or lookup.prefetch_through
    for p in paragraphs:
        if not getattr(p, flag):
            empty = getattr(p, name).none()
            empty._result_cache, empty._prefetch_done = [], True  # read: nothing to compile
            p.__dict__.setdefault("_prefetched_objects_cache", {})[name] = empty


def canonical(minutes: Minutes, paragraphs=None, handled=None) -> dict:
    """The content; ``paragraphs`` (from ``paragraphs_of``) and their
    ``handled`` when the caller has read them already."""
    meeting = minutes.meeting
    if paragraphs is None:
        paragraphs = paragraphs_of(minutes)
        handled = procedure.by_paragraph(minutes, paragraphs)
    partly = bool(handled.partial)
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
            [a.kind, a.name, a.organisation, a.role, a.replaces] for a in minutes.attendance.all()
        ],
        "justerare": [[s.role, s.name] for s in signers_of(minutes)],
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
        data["yrkanden"] = [sentences.motion_sentence(m) for m in handled.motions]
    if handled.steps:
        data["propositioner"] = [
            {
                "text": sentences.step_sentences(step),
                "röster": [[b.attendance.name, b.choice] for b in step.ballots],
                "resultat": sentences.result_sentence(step) if step.vote else "",
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


def content_hash(minutes: Minutes, paragraphs=None, handled=None) -> str:
    return hash_of(canonical(minutes, paragraphs, handled))


def paragraph_hash(paragraph: Paragraph) -> str:
    """What the signers of a § justerad omedelbart sign: the meeting, who
    took part in that §, and the § itself."""
    minutes = paragraph.minutes
    meeting = minutes.meeting
    handled = procedure.by_paragraph(minutes)[paragraph.pk]
    (p,) = paragraphs_of(minutes, paragraph.pk)
    return hash_of(
        {
            "sammanträde": [meeting.date.isoformat(), meeting.place],
            "paragraf": paragraph_canonical(p, handled, with_presence=True),
        }
    )
