"""Protocols, protokollsutdrag and applications as PDF (WeasyPrint)."""

from __future__ import annotations

import copy

from django.db.models import F, Func, Subquery
from django.db.models.functions import ExtractYear
from django.template.loader import render_to_string
from django.utils import timezone

from board import content, procedure, sentences
from board.models import (
    AttendanceKind,
    Meeting,
    MeetingStatus,
    Minutes,
    Paragraph,
    SignerRole,
)
from finsam.lib.pdf import render
from finsam.models import Federation


def number_range(numbers: list[int]) -> str:
    """ "§ 26–35" for a run, "§ 3, 5, 7–9" otherwise."""
    if not numbers:
        return ""
    parts, start, previous = [], numbers[0], numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == previous + 1:
            previous = n
            continue
        parts.append(str(start) if start == previous else f"{start}–{previous}")
        if n is not None:
            start = previous = n
    return "§ " + ", ".join(parts)


def _meetings_up_to(day, year):
    return Meeting.objects.filter(date__year=year, date__lte=day).exclude(
        status=MeetingStatus.CANCELLED
    )


def meeting_ordinal(meeting: Meeting, minutes: Minutes | None = None) -> int:
    """The meeting's number in its year: "Protokoll för sammanträde (3)";
    for a justerat protocol the number it was justerat with (``frozen``),
    else annotated on ``minutes`` by ``selectors.minutes_visible_to``, or
    counted."""
    if minutes is not None and "ordinal" in minutes.frozen:
        return minutes.frozen["ordinal"]
    annotated = getattr(minutes, "meeting_ordinal", None)
    if annotated is not None:
        return annotated
    return _meetings_up_to(meeting.date, meeting.date.year).count()


def ordinal_on(day) -> Subquery:
    """``meeting_ordinal`` as a subquery, for ``day`` an expression (OuterRef)."""
    return Subquery(
        _meetings_up_to(day, ExtractYear(day))
        .order_by()
        .annotate(n=Func(F("id"), function="COUNT"))
        .values("n")
    )


def freeze(minutes: Minutes) -> dict:
    """What the protocol prints that other tables decide, as it is now: kept
    on the protocol at justering (``Minutes.frozen``)."""
    federation = Federation.objects.current()
    return {
        "ordinal": meeting_ordinal(minutes.meeting),
        "seats": procedure.seats(minutes),
        "federation": federation.name,
        "notice_board_place": federation.notice_board_place,
    }


def federation_of(minutes: Minutes) -> Federation:
    """The förbund as the protocol prints it: as it was at justering."""
    federation = copy.copy(Federation.objects.current())
    if minutes.frozen:
        federation.name = minutes.frozen.get("federation", federation.name)
        federation.notice_board_place = minutes.frozen.get(
            "notice_board_place", federation.notice_board_place
        )
    return federation


def minutes_context(minutes: Minutes, *, posting=None, public: bool = False) -> dict:
    from board.selectors import signing_state

    content.read(minutes)
    attendance = list(minutes.attendance.all())
    paragraphs = content.paragraphs_of(minutes)
    handled = procedure.by_paragraph(minutes, paragraphs)
    current = minutes.content_hash or content.content_hash(minutes, paragraphs, handled)
    bilaga = 0
    for p in paragraphs:
        # What the § prints of how it was handled; written reservations are bilagor.
        p.handled = handled[p.pk]
        p.presence_lines = sentences.presence_sentences(p.handled)
        p.motion_lines = [sentences.motion_sentence(m) for m in p.handled.motions]
        for step in p.handled.steps:
            step.lines = sentences.step_sentences(step)
            step.result = sentences.result_sentence(step) if step.vote else ""
        p.reservation_lines = []
        for r in p.handled.reservations:
            if r.written:
                bilaga += 1
            p.reservation_lines.append(
                (sentences.reservation_sentence(r, bilaga if r.written else None), r)
            )
    numbers = [p.number for p in paragraphs]
    posting = posting if posting is not None else getattr(minutes, "posting", None)
    first = next(iter(handled.values()), None)
    signing = signing_state(minutes, current)
    return {
        "federation": federation_of(minutes),
        "minutes": minutes,
        "meeting": minutes.meeting,
        "ordinal": meeting_ordinal(minutes.meeting, minutes),
        "voting": [a for a in attendance if a.kind == AttendanceKind.VOTING],
        "serving": [a for a in attendance if a.kind == AttendanceKind.SERVING_DEPUTY],
        "deputies": [a for a in attendance if a.kind == AttendanceKind.DEPUTY],
        "others": [a for a in attendance if a.kind == AttendanceKind.OTHER],
        "paragraphs": paragraphs,
        "paragraph_range": number_range(numbers),
        "signing": signing,
        "content_hash": current,
        "posting": posting,
        "public": public,
        "quorum": first.quorum if first else procedure.quorum(minutes),
        "partly": _partly_present(paragraphs),
        "handled": handled,
        "secretary_signs": any(s.role == SignerRole.SECRETARY for s, _sig, _v in signing),
        "offset": 0 if any(s.role == SignerRole.SECRETARY for s, _sig, _v in signing) else 1,
        "written_reservations": [
            (p, r) for p in paragraphs for r in p.handled.reservations if r.written
        ],
        # A rättelse is made to a justerat protocol only.
        "corrections": list(
            minutes.corrections.filter(justerat_at__isnull=False).select_related("paragraph")
        )
        if minutes.is_locked
        else [],
    }


def _partly_present(paragraphs) -> dict[int, str]:
    """For the header, after someone's name: "§ 28–35" when present for only
    part of the meeting, "tjänstgörande § 28" for an ersättare who served in
    some §§."""
    present, serving, recused = {}, {}, {}
    for p in paragraphs:
        # Jäv is not absence from the meeting: it is said in the § and here.
        for a in [*p.handled.present, *p.handled.recused]:
            present.setdefault(a.pk, []).append(p.number)
        for a in p.handled.recused:
            recused.setdefault(a.pk, []).append(p.number)
        for deputy, _member in p.handled.stands_in_pairs():
            serving.setdefault(deputy.pk, []).append(p.number)
    everyone = len(paragraphs)
    notes = {}
    for pk in present.keys() | serving.keys():
        parts = []
        if len(present.get(pk, [])) < everyone:
            parts.append(number_range(present.get(pk, [])) or "frånvarande")
        if pk in recused:
            parts.append("jäv " + number_range(recused[pk]))
        if pk in serving:
            parts.append("tjänstgörande " + number_range(serving[pk]))
        if parts:
            notes[pk] = ", ".join(parts)
    return notes


def minutes_pdf(minutes: Minutes, *, posting=None, public: bool = False) -> bytes:
    return render("pdf/minutes.html", minutes_context(minutes, posting=posting, public=public))


def minutes_pdf_html(rendering) -> str:
    """The protocol of an order (reports.rendering) as the HTML of its PDF."""
    minutes = Minutes.objects.select_related("meeting").get(pk=rendering.params["minutes"])
    return render_to_string("pdf/minutes.html", minutes_context(minutes))


def extract_pdf(paragraph: Paragraph, *, certified_by=None, posting=None) -> bytes:
    """A protokollsutdrag of one § with the utdragsbestyrkande; of a §
    justerad omedelbart, with its own justering and anslag."""
    from board.services.own_justering import paragraph_signing_state

    minutes = paragraph.minutes
    context = minutes_context(minutes)
    paragraph = next(p for p in context["paragraphs"] if p.pk == paragraph.pk)
    context |= {
        "paragraph": paragraph,
        "paragraph_posting": posting or getattr(paragraph, "posting", None),
        "paragraph_signing": paragraph_signing_state(paragraph) if paragraph.immediate else [],
        "certified_by": certified_by,
        "certified_on": timezone.localdate(),
    }
    return render("pdf/extract.html", context)


def application_pdf(application) -> bytes:
    from projects.selectors import application_missing, requested_per_year

    requested = requested_per_year(application)
    return render(
        "pdf/application.html",
        {
            "federation": Federation.objects.current(),
            "application": application,
            "project": application.project,
            # What the application page shows (projects/_application_text.html).
            "goals": application.goals.all(),
            "phases": application.phases.all(),
            "budget_lines": application.budget_lines.select_related("category"),
            "cofinancing": application.cofinancing.select_related("member"),
            "attachments": application.attachments.all(),
            "requested": requested,
            "requested_total": sum(requested.values()),
            "missing": application_missing(application),
        },
    )
