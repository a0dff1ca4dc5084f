"""Writes for the board's seats, its meetings, their dagordning and handlingar."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from board import access, notify
from board.models import (
    AgendaItem,
    AgendaKind,
    BoardMembership,
    BoardRole,
    Meeting,
    MeetingDocument,
    MeetingStatus,
)
from board.models.meetings import OPEN_STATUSES
from finsam.lib.services import service
from finsam.models import AuditAction
from finsam.services import log_event
from projects.models import Application, ApplicationStatus
from reports import selectors as report_selectors
from reports.models import Report, ReportStatus

# The standard dagordning of a förbund's board meeting; beslutsärenden come in its middle.


STANDARD_AGENDA_HEAD = [
    (_("Sammanträdet öppnas"), ""),
    (_("Val av justerare och justeringsdag"), "Justering sker med digital justering."),
    (_("Fastställande av dagordning"), "Dagordningen fastställs."),
    (_("Föregående protokoll"), "Protokollet läggs till handlingarna."),
]
REPORT_DECISION_TEXT = "Styrelsen tackar för rapporten och lägger den till handlingarna."
STANDARD_AGENDA_TAIL = [
    (AgendaKind.REPORT, _("Rapporter"), "Informationen läggs till handlingarna."),
    (AgendaKind.INFORMATION, _("Informationsärenden"), "Informationen läggs till handlingarna."),
    (AgendaKind.INFORMATION, _("Ekonomisk rapport"), "Rapporten läggs till handlingarna."),
    (AgendaKind.STANDARD, _("Övrigt"), ""),
    (AgendaKind.STANDARD, _("Sammanträdet avslutas"), ""),
]


# --- Board memberships ---------------------------------------------------------


@service(access.manages_meetings)
def membership_save(*, actor, membership: BoardMembership) -> BoardMembership:
    if membership.role != BoardRole.DEPUTY:
        membership.deputy_order = None
    membership.full_clean()
    membership.save()
    return membership


# --- Meetings, dagordning, handlingar -------------------------------------------


@service(access.manages_meetings)
def meeting_create(*, actor, meeting: Meeting) -> Meeting:
    """A meeting with the standard dagordning, and every application that is
    redo för beslut as a beslutsärende."""
    meeting.full_clean()
    meeting.save()
    items = [(AgendaKind.STANDARD, title, None) for title, _text in STANDARD_AGENDA_HEAD]
    # What is not on the dagordning of another meeting to come already.
    elsewhere = {"agenda_items__meeting__status__in": OPEN_STATUSES}
    ready = Application.objects.filter(status=ApplicationStatus.READY).select_related("project")
    items += [
        (AgendaKind.APPLICATION, f"{a.project.name}: {a.get_kind_display().lower()}", a)
        for a in ready.exclude(**elsewhere).order_by("prepared_at", "id")
    ]
    reports = report_selectors.approved_awaiting_board().exclude(**elsewhere)
    items += [(AgendaKind.REPORT, report_title(r), r) for r in reports]
    items += [(kind, title, None) for kind, title, _text in STANDARD_AGENDA_TAIL]
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            order=(n + 1) * 10,
            kind=kind,
            title=title,
            application=subject if isinstance(subject, Application) else None,
            report=subject if isinstance(subject, Report) else None,
        )
        for n, (kind, title, subject) in enumerate(items)
    )
    return meeting


def report_title(report: Report) -> str:
    """ "Mentorsnätverket: slutrapport": the insats's name, then the report's kind."""
    return f"{report.project.name}: {report.get_kind_display().lower()}"


def _require_open(meeting: Meeting) -> None:
    """A justerat protocol's meeting, its dagordning and handlingar are
    locked (the database refuses too; this says it first, in the form)."""
    if Meeting.objects.get(pk=meeting.pk).is_locked:  # as stored, not as the form has it
        raise ValidationError(
            _(
                "Protokollet är justerat: sammanträdet, dess dagordning och handlingar "
                "kan inte längre ändras."
            )
        )


def next_open_meeting(*, besides=None) -> Meeting | None:
    """The next meeting whose kallelse has not gone out: where a report the
    kansli approves, or a punkt of a cancelled meeting, lands."""
    meetings = Meeting.objects.filter(
        status=MeetingStatus.PLANNED, date__gte=timezone.localdate(), minutes__isnull=True
    )
    if besides is not None:
        meetings = meetings.exclude(pk=besides.pk)
    return meetings.order_by("date", "starts_at").first()


def _subject_order(meeting: Meeting) -> int:
    """Where a beslutsärende or a report goes on a dagordning: after the last
    of them, or after the standard opening punkter."""
    agenda = list(meeting.agenda.order_by("order", "id"))
    subjects = [i.order for i in agenda if i.application_id or i.report_id]
    if subjects:
        return max(subjects) + 1
    head = agenda[: len(STANDARD_AGENDA_HEAD)]
    return (head[-1].order if head else 0) + 1


def report_to_next_agenda(report: Report) -> Meeting | None:
    """An approved report lands on the dagordning of the next meeting not yet
    called (with none planned, it comes with the next meeting created)."""
    meeting = next_open_meeting()
    if meeting is not None and not meeting.agenda.filter(report=report).exists():
        AgendaItem.objects.create(
            meeting=meeting,
            order=_subject_order(meeting),
            kind=AgendaKind.REPORT,
            title=report_title(report),
            report=report,
        )
    return meeting


@service(access.manages_meetings)
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting | None:
    """Ställ in a meeting to come. Everyone the kallelse went to is told, with
    a calendar cancellation; its ärenden (applications, reports) and their
    handlingar move to the next meeting not yet called. Returns that meeting."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in OPEN_STATUSES:
        raise ValidationError(_("Bara ett kommande sammanträde kan ställas in."))
    if hasattr(meeting, "minutes"):
        raise ValidationError(_("Sammanträdet har ett protokoll och kan inte ställas in."))
    called = meeting.status == MeetingStatus.CALLED
    if called and not reason.strip():
        raise ValidationError(
            {"reason": _("Skriv varför sammanträdet ställs in: det står i meddelandet.")}
        )
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])
    moved_to = next_open_meeting(besides=meeting)
    if moved_to is not None:
        for item in meeting.agenda.exclude(application=None, report=None):
            item.meeting, item.order = moved_to, _subject_order(moved_to)
            item.save(update_fields=["meeting", "order"])
            item.documents.update(meeting=moved_to)  # a handling moves with its punkt
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=meeting,
        message=_("Sammanträdet inställt. %(reason)s") % {"reason": reason.strip()[:400]},
    )
    if called:
        notify.send_cancellation(meeting, reason.strip())
    return moved_to


@service(access.manages_meetings)
def meeting_delete(*, actor, meeting: Meeting) -> None:
    """Remove a meeting created by mistake: only before its kallelse."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.notice_sent_at or meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(
            _("Kallelsen är skickad: ställ in sammanträdet i stället, så får de kallade veta.")
        )
    if hasattr(meeting, "minutes"):
        raise ValidationError(_("Sammanträdet har ett protokoll och kan inte tas bort."))
    for document in meeting.documents.all():
        document.file.delete(save=False)
    meeting.delete()


@service(access.manages_meetings)
def meeting_update(*, actor, meeting: Meeting) -> Meeting:
    _require_open(meeting)
    meeting.full_clean()
    meeting.save()
    return meeting


@service(access.manages_meetings)
def agenda_item_save(*, actor, item: AgendaItem) -> AgendaItem:
    _require_open(item.meeting)
    if item.order is None:
        last = item.meeting.agenda.aggregate(last=Max("order"))["last"] or 0
        item.order = last + 10
    if item.application_id and item.application.status != ApplicationStatus.READY:
        raise ValidationError({"application": _("Ansökan är inte redo för beslut.")})
    _check_report_for_board(item)
    item.full_clean()
    item.save()
    return item


@service(access.manages_meetings)
def agenda_item_delete(*, actor, item: AgendaItem) -> None:
    """A punkt goes, and its handlingar with it (nothing is left behind)."""
    _require_open(item.meeting)
    for document in item.documents.all():
        document.file.delete(save=False)
        document.delete()
    item.delete()


@service(access.manages_meetings)
def meeting_document_delete(*, actor, document: MeetingDocument) -> None:
    _require_open(document.meeting)
    document.file.delete(save=False)
    document.delete()


@service(access.manages_meetings)
def meeting_document_add(*, actor, document: MeetingDocument) -> MeetingDocument:
    _require_open(document.meeting)
    document.uploaded_by = actor
    document.full_clean()
    document.save()
    return document


NOTICE_AGAIN_AFTER = dt.timedelta(minutes=1)


@service(access.manages_meetings)
def meeting_send_notice(*, actor, meeting: Meeting) -> int:
    """E-mail the kallelse, with an .ics invitation, to every ledamot and
    ersättare whose term covers the meeting. Returns how many were sent."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.can_be_called(timezone.localdate()):
        raise ValidationError(_("Kallelse kan bara skickas till ett kommande sammanträde."))
    recipients = [
        m.user
        for m in BoardMembership.objects.on(meeting.date).select_related("user")
        if m.user.email and m.user.is_active
    ]
    if not recipients:
        raise ValidationError(_("Det finns inga ledamöter eller ersättare med e-post att kalla."))
    if meeting.notice_sent_at and timezone.now() - meeting.notice_sent_at < NOTICE_AGAIN_AFTER:
        # A second click, or the same kallelse from two tabs: it has just gone.
        raise ValidationError(_("Kallelsen skickades nyss. Vänta en minut innan du skickar igen."))
    meeting.status = MeetingStatus.CALLED
    meeting.notice_sent_at = timezone.now()
    meeting.save(update_fields=["status", "notice_sent_at"])
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=meeting,
        message=_("Kallelse skickad till %(count)s personer.") % {"count": len(recipients)},
    )
    notify.send_notice(meeting, recipients)
    return len(recipients)


def _check_report_for_board(item) -> None:
    """A report comes before the board once the kansli has approved it."""
    if item.report_id and item.report.status != ReportStatus.APPROVED:
        raise ValidationError(
            {"report": _("Rapporten är inte godkänd av kansliet, eller redan behandlad.")}
        )


@service(access.manages_meetings)
def notice_resend(*, actor, meeting: Meeting, mail_id: int):
    """Queue a kallelse mail that failed once more, to its one recipient."""
    from finsam import mail as outbox
    from finsam.models import Mail, MailStatus

    failed = Mail.objects.filter(
        pk=mail_id, topic=notify.notice_topic(meeting), status=MailStatus.FAILED
    ).first()
    if failed is None:
        raise ValidationError(_("Det finns inget misslyckat utskick att skicka igen."))
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=meeting,
        message=_("Kallelsen skickas igen till %(to)s.") % {"to": failed.to},
    )
    return outbox.resend(failed)
