"""Writes for the board: memberships, meetings, protocols, justering, anslag.

Every function is atomic, names its actor for the audit log and checks the
actor's right through ``board.access``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from board import access, content, notify, rules
from board.models import (
    APPLICATION_DECISIONS,
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceKind,
    BoardMembership,
    BoardRole,
    DecisionType,
    DocumentKind,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Minutes,
    MinutesDocument,
    MinutesStatus,
    Paragraph,
    ParagraphAttachment,
    ParagraphCounter,
    Posting,
    Signature,
    Signer,
    SignerRole,
)
from board.selectors import signing_state
from finsam.audit import set_actor
from finsam.auth import verify_token
from finsam.lib import counters
from finsam.lib.services import service
from finsam.models import AuditAction, Federation
from finsam.services import log_event
from projects import services as project_services
from projects.models import Application, ApplicationStatus, Decision
from reports import selectors as report_selectors
from reports import services as report_services
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
    ready = Application.objects.filter(status=ApplicationStatus.READY).select_related("project")
    items += [
        (AgendaKind.APPLICATION, f"{a.project.name}: {a.get_kind_display().lower()}", a)
        for a in ready.order_by("prepared_at", "id")
    ]
    items += [
        (AgendaKind.REPORT, report_title(r), r) for r in report_selectors.approved_awaiting_board()
    ]
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


@service(access.manages_meetings)
def meeting_update(*, actor, meeting: Meeting) -> Meeting:
    meeting.full_clean()
    meeting.save()
    return meeting


@service(access.manages_meetings)
def agenda_item_save(*, actor, item: AgendaItem) -> AgendaItem:
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
    item.delete()


@service(access.manages_meetings)
def meeting_document_add(*, actor, document: MeetingDocument) -> MeetingDocument:
    document.uploaded_by = actor
    document.full_clean()
    document.save()
    return document


@service(access.manages_meetings)
def meeting_send_notice(*, actor, meeting: Meeting) -> int:
    """E-mail the kallelse, with an .ics invitation, to every ledamot and
    ersättare whose term covers the meeting. Returns how many were sent."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED or meeting.date < timezone.localdate():
        raise ValidationError(_("Kallelse kan bara skickas till ett kommande sammanträde."))
    recipients = [
        m.user
        for m in BoardMembership.objects.on(meeting.date).select_related("user")
        if m.user.email and m.user.is_active
    ]
    if not recipients:
        raise ValidationError(_("Det finns inga ledamöter eller ersättare med e-post att kalla."))
    meeting.status = MeetingStatus.CALLED
    meeting.notice_sent_at = timezone.now()
    meeting.save(update_fields=["status", "notice_sent_at"])
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=meeting,
        message=_("Kallelse skickad till %(count)s personer.") % {"count": len(recipients)},
    )
    transaction.on_commit(lambda: notify.send_notice(meeting, recipients))
    return len(recipients)


# --- Protocol -----------------------------------------------------------------


def _editable(minutes: Minutes) -> Minutes:
    """The protocol, locked for this transaction, if the secretary may still write in it."""
    locked = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if locked.status != MinutesStatus.DRAFT:
        raise ValidationError(
            _("Protokollet är justerat och kan inte ändras.")
            if locked.is_locked
            else _("Protokollet är skickat för justering. Ta tillbaka det för att ändra.")
        )
    return locked


@service(access.manages_meetings)
def minutes_create(*, actor, meeting: Meeting) -> Minutes:
    """Start the protocol: the board as present (to be corrected), and one
    § per punkt on the dagordning, numbered on from the year's last §."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if hasattr(meeting, "minutes"):
        raise ValidationError(_("Sammanträdet har redan ett protokoll."))
    if meeting.date > timezone.localdate():
        raise ValidationError(_("Protokollet kan skrivas först när sammanträdet har hållits."))
    minutes = Minutes.objects.create(meeting=meeting, secretary=actor)
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])

    seats = BoardMembership.objects.on(meeting.date).select_related("user", "member")
    rows = []
    for order, seat in enumerate(seats.order_by("member__kind", "member__name", "deputy_order")):
        role = seat.get_role_display()
        rows.append(
            Attendance(
                minutes=minutes,
                kind=AttendanceKind.VOTING if seat.is_voting else AttendanceKind.DEPUTY,
                user=seat.user,
                name=seat.user.full_name,
                organisation=seat.member.name,
                role=role if seat.role in (BoardRole.CHAIR, BoardRole.VICE_CHAIR) else "",
                order=order + 1 if seat.is_voting else order + 100,
            )
        )
    rows.append(
        Attendance(
            minutes=minutes,
            kind=AttendanceKind.OTHER,
            user=actor,
            name=actor.full_name,
            role=actor.title or _("Sekreterare"),
            order=200,
        )
    )
    Attendance.objects.bulk_create(rows)
    chair = seats.filter(role=BoardRole.CHAIR).first()
    if chair:
        Signer.objects.create(
            minutes=minutes, user=chair.user, role=SignerRole.CHAIR, name=chair.user.full_name
        )

    standard_texts = {str(t): text for t, text in STANDARD_AGENDA_HEAD}
    standard_texts |= {str(t): text for _k, t, text in STANDARD_AGENDA_TAIL}
    agenda = meeting.agenda.select_related("application", "report")
    for item in agenda.order_by("order", "id"):
        paragraph = Paragraph(
            minutes=minutes,
            title=item.title,
            presenter=item.presenter,
            discussion=item.description,
            application=item.application,
            report=item.report,
            decision_text=REPORT_DECISION_TEXT
            if item.report_id
            else standard_texts.get(item.title, ""),
        )
        if item.application_id and item.application.status != ApplicationStatus.READY:
            paragraph.application = None
        if item.report_id and item.report.status != ReportStatus.APPROVED:
            paragraph.report = None
        _paragraph_insert(minutes, paragraph)
    return minutes


def _paragraph_insert(minutes: Minutes, paragraph: Paragraph) -> Paragraph:
    year = minutes.meeting.date.year
    number = counters.next_number(ParagraphCounter, year)
    later = (
        Paragraph.objects.filter(year=year, minutes__meeting__date__gt=minutes.meeting.date)
        .select_related("minutes__meeting")
        .first()
    )
    if later is not None:
        raise ValidationError(
            _(
                "Sammanträdet %(date)s har redan paragrafer. Paragraferna löper i följd "
                "genom året, så nya paragrafer kan bara läggas till i årets senaste protokoll."
            )
            % {"date": later.minutes.meeting.date.isoformat()}
        )
    paragraph.minutes = minutes
    paragraph.year = year
    paragraph.number = number
    paragraph.full_clean(exclude=["search"])
    paragraph.save()
    return paragraph


@service(access.manages_meetings)
def paragraph_add(*, actor, minutes: Minutes, paragraph: Paragraph) -> Paragraph:
    locked = _editable(minutes)
    if paragraph.application_id and paragraph.application.status != ApplicationStatus.READY:
        raise ValidationError({"application": _("Ansökan är inte redo för beslut.")})
    _check_report_for_board(paragraph)
    if paragraph.report_id and not paragraph.decision_text:
        paragraph.decision_text = REPORT_DECISION_TEXT
    return _paragraph_insert(locked, paragraph)


def _check_report_for_board(item) -> None:
    """A report comes before the board once the kansli has approved it."""
    if item.report_id and item.report.status != ReportStatus.APPROVED:
        raise ValidationError(
            {"report": _("Rapporten är inte godkänd av kansliet, eller redan behandlad.")}
        )


@service(access.manages_meetings)
def paragraph_update(*, actor, paragraph: Paragraph, granted: dict | None = None) -> Paragraph:
    """Save the §; a decision on its application decides the application
    through the projects service, in this same transaction."""
    minutes = _editable(paragraph.minutes)
    before = Paragraph.objects.get(pk=paragraph.pk)
    decided = before.decided_applications.first()
    if decided is not None and (
        paragraph.decision_type != before.decision_type
        or paragraph.application_id != before.application_id
    ):
        raise ValidationError(
            {
                "decision_type": _(
                    "Beslutet om ansökan är redan registrerat (%(status)s). Ett ändrat "
                    "beslut tas som ett nytt ärende i ett senare sammanträde."
                )
                % {"status": decided.get_status_display().lower()}
            }
        )
    if paragraph.decision_type in APPLICATION_DECISIONS and not paragraph.application_id:
        raise ValidationError(
            {"decision_type": _("Beslutet gäller en ansökan. Välj ansökan, eller en annan typ.")}
        )
    filed = before.filed_reports.first()
    if filed is not None and (
        paragraph.decision_type != before.decision_type or paragraph.report_id != before.report_id
    ):
        raise ValidationError(
            {
                "decision_type": _(
                    "Rapporten är redan lagd till handlingarna i den här paragrafen. Ett ändrat "
                    "beslut tas som ett nytt ärende i ett senare sammanträde."
                )
            }
        )
    paragraph.full_clean(exclude=["search"])
    paragraph.save()
    if (
        decided is None
        and paragraph.application_id
        and paragraph.decision_type in APPLICATION_DECISIONS
    ):
        _decide_application(actor, minutes, paragraph, granted)
    if filed is None and paragraph.report_id and paragraph.decision_type == DecisionType.FILE:
        report_services.report_file(actor=actor, report=paragraph.report, paragraph=paragraph)
    return paragraph


_DECISIONS = {
    DecisionType.GRANT: Decision.GRANTED,
    DecisionType.GRANT_PARTLY: Decision.PARTLY_GRANTED,
    DecisionType.REJECT: Decision.REJECTED,
    DecisionType.REFER_BACK: Decision.REFERRED_BACK,
}


def _decide_application(actor, minutes, paragraph, granted) -> None:
    try:
        project_services.application_decide(
            actor=actor,
            application=paragraph.application,
            decision=_DECISIONS[paragraph.decision_type],
            decided_on=minutes.meeting.date,
            granted={int(y): Decimal(v) for y, v in (granted or {}).items()},
            note=paragraph.decision_text,
            reference=paragraph.reference,
            paragraph=paragraph,
        )
    except ValidationError as error:
        # The form shows the §'s fields; the service names the application's.
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        raise ValidationError(
            {
                "granted" if key == "granted" else "decision_type": value
                for key, value in messages.items()
            }
        ) from error


@service(access.manages_meetings)
def paragraph_delete(*, actor, paragraph: Paragraph) -> None:
    """Only the year's last § may go, so the numbers stay without gaps."""
    _editable(paragraph.minutes)
    if paragraph.decided_applications.exists():
        raise ValidationError(_("Paragrafen har beslutat en ansökan och kan inte tas bort."))
    if paragraph.filed_reports.exists():
        raise ValidationError(
            _("Paragrafen har lagt en rapport till handlingarna och kan inte tas bort.")
        )
    if not counters.give_back(ParagraphCounter, paragraph.year, paragraph.number):
        raise ValidationError(
            _(
                "Bara årets sista paragraf kan tas bort, så att numren löper utan "
                "luckor. Ändra rubriken i stället, till exempel till ”Utgår”."
            )
        )
    paragraph.delete()


@service(access.manages_meetings)
def paragraph_attach(*, actor, paragraph: Paragraph, document: MeetingDocument) -> None:
    _editable(paragraph.minutes)
    if document.meeting_id != paragraph.minutes.meeting_id:
        raise ValidationError(_("Handlingen hör till ett annat sammanträde."))
    ParagraphAttachment.objects.get_or_create(paragraph=paragraph, document=document)


@service(access.manages_meetings)
def minutes_update(*, actor, minutes: Minutes) -> Minutes:
    _editable(minutes)
    minutes.full_clean()
    minutes.save(update_fields=["justering_place", "secretary"])
    return minutes


@service(access.manages_meetings)
def attendance_save(*, actor, attendance: Attendance) -> Attendance:
    _editable(attendance.minutes)
    if attendance.user_id and not attendance.name:
        attendance.name = attendance.user.full_name
    if attendance.kind != AttendanceKind.SERVING_DEPUTY:
        attendance.replaces = ""
    if attendance.order is None:
        attendance.order = 0
    attendance.full_clean()
    attendance.save()
    return attendance


@service(access.manages_meetings)
def attendance_delete(*, actor, attendance: Attendance) -> None:
    _editable(attendance.minutes)
    attendance.delete()


@service(access.manages_meetings)
def signers_set(*, actor, minutes: Minutes, chair, verifiers) -> None:
    """The ordförande and the justerare chosen at the meeting."""
    minutes = _editable(minutes)
    verifiers = [u for u in verifiers if u is not None and u != chair]
    if chair is None:
        raise ValidationError({"chair": _("Välj mötets ordförande.")})
    if not verifiers:
        raise ValidationError({"verifiers": _("Välj minst en justerare.")})
    board = set(BoardMembership.objects.on(minutes.meeting.date).values_list("user_id", flat=True))
    outside = [u.full_name for u in [chair, *verifiers] if u.pk not in board]
    if outside:
        raise ValidationError(
            _("%(names)s sitter inte i styrelsen vid sammanträdet.") % {"names": ", ".join(outside)}
        )
    minutes.signers.all().delete()
    Signer.objects.create(minutes=minutes, user=chair, role=SignerRole.CHAIR, name=chair.full_name)
    for user in verifiers:
        Signer.objects.create(
            minutes=minutes, user=user, role=SignerRole.VERIFIER, name=user.full_name
        )


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
        if p.application_id and p.decision_type not in (*APPLICATION_DECISIONS, "bordlagga"):
            problems.append(
                _("§ %(number)s gäller en ansökan men har inget beslut om den.")
                % {"number": p.number}
            )
        if p.report_id and not p.decision_type:
            problems.append(
                _("§ %(number)s gäller en rapport men har inget beslut om den.")
                % {"number": p.number}
            )
    if problems:
        raise ValidationError(problems)
    minutes.status = MinutesStatus.FOR_JUSTERING
    minutes.sent_for_justering_at = timezone.now()
    minutes.correction_request = ""
    minutes.save(update_fields=["status", "sent_for_justering_at", "correction_request"])
    signers = list(minutes.signers.select_related("user"))
    transaction.on_commit(lambda: notify.send_for_justering(minutes, signers))
    return minutes


@service(access.manages_meetings)
def minutes_take_back(*, actor, minutes: Minutes) -> Minutes:
    """The secretary takes the protocol back to correct it before it is justerat."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != MinutesStatus.FOR_JUSTERING:
        raise ValidationError(_("Protokollet är inte ute för justering."))
    minutes.status = MinutesStatus.DRAFT
    minutes.save(update_fields=["status"])
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
    minutes.save(update_fields=["status", "correction_request"])
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=minutes,
        message=_("Begärde rättelse: %(comment)s") % {"comment": comment.strip()[:400]},
    )
    transaction.on_commit(lambda: notify.send_correction_request(minutes))
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
    errors = {}
    if not actor.check_password(password or ""):
        errors["password"] = _("Lösenordet stämmer inte.")
    if verify_token(actor, token) is None:
        errors["token"] = _("Engångskoden stämmer inte eller har redan använts.")
    if errors:
        raise ValidationError(errors)
    current = content.content_hash(minutes)
    signature, _created = Signature.objects.get_or_create(
        signer=signer,
        content_hash=current,
        defaults={"minutes": minutes, "signed_at": timezone.now()},
    )
    if all(valid for _s, _sig, valid in signing_state(minutes)):
        _justera(actor, minutes, current)
    return signature


def _justera(actor, minutes: Minutes, current_hash: str, now=None) -> None:
    """Lock the protocol, post its anslag and keep its PDF. ``now`` is for the
    demo data, which justerar last year's protocols on their own dates."""
    from board import pdf  # WeasyPrint loads only when a protocol is justerat

    now = now or timezone.now()
    today = timezone.localdate(now)
    federation = Federation.objects.get()
    numbers = list(minutes.paragraphs.order_by("number").values_list("number", flat=True))
    posting = Posting(
        minutes=minutes,
        organ=_("Styrelsen, %(name)s") % {"name": federation.name},
        meeting_date=minutes.meeting.date,
        paragraphs=pdf.number_range(numbers),
        posted_on=today,
        appeal_last_day=rules.appeal_last_day(today),
        taken_down_on=rules.posting_taken_down_on(today),
        storage_place=federation.minutes_storage_place,
    )
    minutes.status = MinutesStatus.JUSTERAT
    minutes.justerat_at = now
    minutes.content_hash = current_hash
    documents = [(DocumentKind.OFFICIAL, pdf.minutes_pdf(minutes, posting=posting))]
    if minutes.paragraphs.filter(confidential=True).exists():
        documents.append(
            (DocumentKind.PUBLIC, pdf.minutes_pdf(minutes, posting=posting, public=True))
        )
    minutes.save(update_fields=["status", "justerat_at", "content_hash"])
    posting.full_clean()
    posting.save()
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
                set_actor(None, "manage.py paminn_justering")
                Signer.objects.filter(pk=signer.pk).update(reminded_at=now)
            notify.send_reminder(minutes, signer, deadline)
            sent += 1
    return sent
