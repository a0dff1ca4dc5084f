"""Protocols, protokollsutdrag and applications as PDF (WeasyPrint)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from board import content
from board.models import AttendanceKind, Meeting, MeetingStatus, Minutes, Paragraph
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


def meeting_ordinal(meeting: Meeting) -> int:
    """The meeting's number in its year: "Protokoll för sammanträde (3)"."""
    return (
        Meeting.objects.filter(date__year=meeting.date.year, date__lte=meeting.date)
        .exclude(status=MeetingStatus.CANCELLED)
        .count()
    )


def minutes_context(minutes: Minutes, *, posting=None, public: bool = False) -> dict:
    from board.selectors import signing_state

    attendance = list(minutes.attendance.order_by("order", "id"))
    paragraphs = list(content.paragraphs_of(minutes))
    numbers = [p.number for p in paragraphs]
    posting = posting if posting is not None else getattr(minutes, "posting", None)
    return {
        "federation": Federation.objects.get(),
        "minutes": minutes,
        "meeting": minutes.meeting,
        "ordinal": meeting_ordinal(minutes.meeting),
        "voting": [a for a in attendance if a.kind == AttendanceKind.VOTING],
        "serving": [a for a in attendance if a.kind == AttendanceKind.SERVING_DEPUTY],
        "deputies": [a for a in attendance if a.kind == AttendanceKind.DEPUTY],
        "others": [a for a in attendance if a.kind == AttendanceKind.OTHER],
        "paragraphs": paragraphs,
        "paragraph_range": number_range(numbers),
        "signing": signing_state(minutes),
        "content_hash": minutes.content_hash or content.content_hash(minutes),
        "posting": posting,
        "public": public,
        "quorum": content.quorum(minutes),
    }


def minutes_pdf(minutes: Minutes, *, posting=None, public: bool = False) -> bytes:
    return render("pdf/minutes.html", minutes_context(minutes, posting=posting, public=public))


def minutes_pdf_html(rendering) -> str:
    """The protocol of an order (reports.rendering) as the HTML of its PDF."""
    minutes = Minutes.objects.select_related("meeting").get(pk=rendering.params["minutes"])
    return render_to_string("pdf/minutes.html", minutes_context(minutes))


def extract_pdf(paragraph: Paragraph, *, certified_by) -> bytes:
    """A protokollsutdrag of one § with the utdragsbestyrkande."""
    minutes = paragraph.minutes
    context = minutes_context(minutes)
    context |= {
        "paragraph": paragraph,
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
            "federation": Federation.objects.get(),
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
