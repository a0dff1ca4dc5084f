"""Writes for a protocol, its attendance, signers and §§."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from board import access
from board.models import (
    APPLICATION_DECISIONS,
    PARAGRAPH_LOCKED_MESSAGE,
    Attendance,
    AttendanceKind,
    BoardMembership,
    BoardRole,
    DecisionType,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Paragraph,
    ParagraphAttachment,
    ParagraphCounter,
    Signer,
    SignerRole,
)
from board.services.meetings import (
    REPORT_DECISION_TEXT,
    STANDARD_AGENDA_HEAD,
    STANDARD_AGENDA_TAIL,
    _check_report_for_board,
)
from finsam.lib import counters
from finsam.lib.services import service
from finsam.models import Federation
from projects import services as project_services
from projects.models import ApplicationStatus, Decision
from reports import services as report_services
from reports.models import ReportStatus

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


def _header_open(minutes: Minutes) -> Minutes:
    """The protocol, if its närvaro and signers may still change: not once a
    § is justerat omedelbart, for they are part of what was signed."""
    minutes = _editable(minutes)
    justerad = minutes.paragraphs.filter(justerat_at__isnull=False).first()
    if justerad is not None:
        raise ValidationError(
            _(
                "§ %(n)s är justerad omedelbart, med närvaron och justerarna som de var. "
                "De kan inte ändras längre."
            )
            % {"n": justerad.number}
        )
    return minutes


def _paragraph_open(paragraph: Paragraph) -> Paragraph:
    """The §, if it may still change: its protocol a draft and the § not justerad on its own."""
    _editable(paragraph.minutes)
    if Paragraph.objects.filter(pk=paragraph.pk, justerat_at__isnull=False).exists():
        raise ValidationError(PARAGRAPH_LOCKED_MESSAGE)
    return paragraph


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
    if Federation.objects.get().secretary_signs and (chair is None or chair.user != actor):
        Signer.objects.create(
            minutes=minutes, user=actor, role=SignerRole.SECRETARY, name=actor.full_name
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
    added = _paragraph_insert(locked, paragraph)
    closing = (
        locked.paragraphs.filter(title=str(CLOSING_TITLE), number__lt=added.number)
        .order_by("-number")
        .first()
    )
    if closing is not None:  # a § added late goes before "Sammanträdet avslutas"
        _move(added, closing.number)
    return added


# The § that ends every protocol; a § added later is put before it.
CLOSING_TITLE = STANDARD_AGENDA_TAIL[-1][1]
# Above every real § number: where a § waits while the others make room.
_ASIDE = 10_000_000


def _move(paragraph: Paragraph, number: int) -> None:
    """Give ``paragraph`` the ``number`` of another § of its protocol and move
    the §§ between them one step, so the numbers stay the same set: gapless
    and continuous through the year. The unique number per year is checked
    row by row, so every § goes aside first and comes back in its place."""
    current = paragraph.number
    if number == current:
        return
    low, high = min(number, current), max(number, current)
    between = Paragraph.objects.filter(
        minutes=paragraph.minutes, number__gte=low, number__lte=high
    ).exclude(pk=paragraph.pk)
    if between.count() != high - low:
        raise ValidationError(_("Paragrafen kan bara flyttas inom sitt eget protokoll."))
    if between.filter(justerat_at__isnull=False).exists() or paragraph.justerat_at:
        raise ValidationError(
            _("En omedelbart justerad paragraf behåller sitt nummer: flytta inte förbi den.")
        )
    step = 1 if number < current else -1
    Paragraph.objects.filter(pk=paragraph.pk).update(number=F("number") + 2 * _ASIDE)
    between.update(number=F("number") + _ASIDE + step)
    Paragraph.objects.filter(
        minutes=paragraph.minutes, number__gt=_ASIDE, number__lt=2 * _ASIDE
    ).update(number=F("number") - _ASIDE)
    Paragraph.objects.filter(pk=paragraph.pk).update(number=number)
    paragraph.number = number
    # A decision already registered names its § by number.
    for moved in Paragraph.objects.filter(
        minutes=paragraph.minutes, number__gte=low, number__lte=high
    ).select_related("minutes__meeting"):
        moved.decided_applications.update(decision_reference=moved.reference)


@service(access.manages_meetings)
def paragraph_move(*, actor, paragraph: Paragraph, step: int) -> Paragraph:
    """Move a § of a draft one place up (``step=-1``) or down (``step=1``)."""
    _paragraph_open(paragraph)
    paragraph = Paragraph.objects.select_related("minutes__meeting").get(pk=paragraph.pk)
    target = paragraph.number + (1 if step > 0 else -1)
    if not paragraph.minutes.paragraphs.filter(number=target).exists():
        raise ValidationError(_("Paragrafen står redan först eller sist i protokollet."))
    _move(paragraph, target)
    return paragraph


@service(access.manages_meetings)
def paragraph_update(*, actor, paragraph: Paragraph, granted: dict | None = None) -> Paragraph:
    """Save the §; a decision on its application decides the application
    through the projects service, in this same transaction."""
    minutes = _editable(paragraph.minutes)
    _paragraph_open(paragraph)
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


def _decide_application(actor, minutes, paragraph, granted) -> None:
    try:
        project_services.application_decide(
            actor=actor,
            application=paragraph.application,
            decision=Decision(paragraph.decision_type),
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
    _paragraph_open(paragraph)
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
    _paragraph_open(paragraph)
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
    _header_open(attendance.minutes)
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
    _header_open(attendance.minutes)
    attendance.delete()


@service(access.manages_meetings)
def signers_set(*, actor, minutes: Minutes, chair, verifiers) -> None:
    """The ordförande and the justerare chosen at the meeting, and the
    secretary where the förbund has the secretary sign too."""
    verifiers = [u for u in verifiers if u is not None and u != chair]
    chosen = {(SignerRole.CHAIR, getattr(chair, "pk", None))} | {
        (SignerRole.VERIFIER, u.pk) for u in verifiers
    }
    now = {(s.role, s.user_id) for s in minutes.signers.exclude(role=SignerRole.SECRETARY)}
    secretary_missing = (
        Federation.objects.get().secretary_signs
        and not minutes.signers.filter(role=SignerRole.SECRETARY).exists()
    )
    if chosen == now and not secretary_missing:  # the same signers again: nothing changes
        _editable(minutes)
        return
    minutes = _header_open(minutes)
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
    secretary = minutes.secretary
    if Federation.objects.get().secretary_signs and secretary not in (chair, *verifiers):
        Signer.objects.create(
            minutes=minutes, user=secretary, role=SignerRole.SECRETARY, name=secretary.full_name
        )


def _sees_minutes(actor, minutes) -> bool:
    from board.selectors import minutes_visible_to

    return minutes_visible_to(actor).filter(pk=minutes.pk).exists()


@service(_sees_minutes)
def minutes_pdf_order(*, actor, minutes: Minutes):
    """Order the protocol as it reads now as a PDF (a worker makes it). A
    justerat protocol needs no order: its PDF was kept at justering."""
    from reports.rendering import rendering_order

    if minutes.is_locked:
        raise ValidationError(_("Protokollet är justerat: dess PDF finns redan."))
    date = minutes.meeting.date
    return rendering_order(
        actor=actor,
        what=_("Protokoll, styrelsemöte %(date)s (utkast, PDF)") % {"date": date},
        filename=f"protokoll-{date}-utkast.pdf",
        html="board.pdf.minutes_pdf_html",
        params={"minutes": minutes.pk},
        origin=(
            minutes.get_absolute_url(),
            _("Protokoll %(date)s") % {"date": date},
        ),
        obj=minutes,
    )
