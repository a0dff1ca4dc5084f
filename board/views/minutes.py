"""Protocols: writing them, justering, PDF and protokollsutdrag."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board import access, content, pdf, rules, selectors, services
from board.forms import (
    AttachForm,
    AttendanceForm,
    CorrectionForm,
    MinutesForm,
    NewParagraphForm,
    ParagraphForm,
    SignersForm,
    SignForm,
)
from board.models import (
    APPLICATION_DECISIONS,
    Attendance,
    DocumentKind,
    Minutes,
    Paragraph,
    SignerRole,
)
from board.views.meetings import form_errors, manage_meetings, meeting_or_404, use_board
from finsam.models import AuditAction
from finsam.services import log_event
from finsam.views.downloads import attachment
from projects.models import years_between


def minutes_or_404(request, pk) -> Minutes:
    try:
        return selectors.minutes_for(request.user, pk)
    except Minutes.DoesNotExist as missing:
        raise Http404 from missing


def paragraph_or_404(request, pk) -> Paragraph:
    paragraph = get_object_or_404(Paragraph.objects.select_related("minutes__meeting"), pk=pk)
    minutes_or_404(request, paragraph.minutes_id)
    return paragraph


@manage_meetings
@require_POST
def minutes_create(request, pk):
    meeting = meeting_or_404(request, pk)
    try:
        minutes = services.minutes_create(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    messages.success(
        request,
        _("Protokollet är påbörjat: närvaron från styrelsen och en paragraf per punkt."),
    )
    return redirect(minutes)


def _minutes_context(request, minutes, **forms):
    may_edit = access.manages_meetings(request.user) and minutes.is_editable
    signers = {s.role: s for s in minutes.signers.all()}
    context = pdf.minutes_context(minutes) | {
        "attendance": minutes.attendance.order_by("order", "id"),
        "deadline": rules.justering_deadline(minutes.meeting.date),
        "may_edit": may_edit,
        "may_manage": access.manages_meetings(request.user),
        "is_signer": access.is_signer(request.user, minutes),
    }
    if may_edit:
        adjusters = [s.user_id for s in minutes.signers.all() if s.role == SignerRole.ADJUSTER]
        context |= {
            "minutes_form": MinutesForm(instance=minutes),
            "attendance_form": AttendanceForm(),
            "signers_form": SignersForm(
                initial={
                    "chair": signers[SignerRole.CHAIR].user_id
                    if SignerRole.CHAIR in signers
                    else None,
                    "adjusters": adjusters,
                }
            ),
            "paragraph_form": NewParagraphForm(),
        }
    return context | forms


@use_board
def minutes(request, pk):
    minutes = minutes_or_404(request, pk)
    return render(request, "board/minutes.html", _minutes_context(request, minutes))


def _editing(request, pk):
    minutes = minutes_or_404(request, pk)
    if not minutes.is_editable:
        messages.error(request, _("Protokollet kan inte ändras nu."))
        return minutes, False
    return minutes, True


@manage_meetings
@require_POST
def minutes_update(request, pk):
    minutes, ok = _editing(request, pk)
    form = MinutesForm(request.POST, instance=minutes)
    if ok and form.is_valid():
        services.minutes_update(actor=request.user, minutes=form.instance)
        messages.success(request, _("Sparat."))
    return redirect(minutes)


@manage_meetings
@require_POST
def attendance_add(request, pk):
    minutes, ok = _editing(request, pk)
    if not ok:
        return redirect(minutes)
    form = AttendanceForm(request.POST, instance=Attendance(minutes=minutes, order=150))
    if form.is_valid():
        try:
            services.attendance_save(actor=request.user, attendance=form.instance)
        except ValidationError as error:
            form_errors(form, error)
    if form.errors:
        return render(
            request,
            "board/minutes.html",
            _minutes_context(request, minutes, attendance_form=form),
            status=400,
        )
    messages.success(request, _("Närvaron är sparad."))
    return redirect(f"{minutes.get_absolute_url()}#narvaro")


@manage_meetings
@require_POST
def attendance_delete(request, pk):
    row = get_object_or_404(Attendance, pk=pk)
    minutes, ok = _editing(request, row.minutes_id)
    if ok:
        services.attendance_delete(actor=request.user, attendance=row)
        messages.success(request, _("%(name)s är borttagen ur närvaron.") % {"name": row.name})
    return redirect(f"{minutes.get_absolute_url()}#narvaro")


@manage_meetings
@require_POST
def signers(request, pk):
    minutes, ok = _editing(request, pk)
    form = SignersForm(request.POST)
    if ok and form.is_valid():
        try:
            services.signers_set(
                actor=request.user,
                minutes=minutes,
                chair=form.cleaned_data["chair"],
                adjusters=list(form.cleaned_data["adjusters"]),
            )
        except ValidationError as error:
            form_errors(form, error)
    if ok and form.errors:
        return render(
            request,
            "board/minutes.html",
            _minutes_context(request, minutes, signers_form=form),
            status=400,
        )
    if ok:
        messages.success(request, _("Ordförande och justerare är sparade."))
    return redirect(f"{minutes.get_absolute_url()}#justerare")


@manage_meetings
@require_POST
def paragraph_add(request, pk):
    minutes, ok = _editing(request, pk)
    if not ok:
        return redirect(minutes)
    form = NewParagraphForm(request.POST)
    if form.is_valid():
        try:
            paragraph = services.paragraph_add(
                actor=request.user, minutes=minutes, paragraph=form.instance
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("§ %(number)s är tillagd.") % {"number": paragraph.number})
            return redirect(paragraph)
    return render(
        request,
        "board/minutes.html",
        _minutes_context(request, minutes, paragraph_form=form),
        status=400,
    )


def _years(paragraph):
    application = paragraph.application
    if application and application.period_start and application.period_end:
        return years_between(application.period_start, application.period_end)
    return []


@use_board
def paragraph(request, pk):
    paragraph = paragraph_or_404(request, pk)
    minutes = paragraph.minutes
    may_edit = access.manages_meetings(request.user) and minutes.is_editable
    if request.method == "POST" and not may_edit:
        messages.error(request, _("Protokollet kan inte ändras nu."))
        return redirect(paragraph)
    form = ParagraphForm(request.POST or None, instance=paragraph, years=_years(paragraph))
    if request.method == "POST" and form.is_valid():
        try:
            services.paragraph_update(
                actor=request.user, paragraph=form.instance, granted=form.granted()
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("§ %(number)s är sparad.") % {"number": paragraph.number})
            return redirect(f"{minutes.get_absolute_url()}#p{paragraph.number}")
    decided = paragraph.decided_applications.first()
    return render(
        request,
        "board/paragraph.html",
        {
            "paragraph": paragraph,
            "minutes": minutes,
            "form": form if may_edit else None,
            "attach_form": AttachForm(meeting=minutes.meeting) if may_edit else None,
            "decided": decided,
            "application_decisions": [d.value for d in APPLICATION_DECISIONS],
        },
        status=400 if form.errors else 200,
    )


@manage_meetings
@require_POST
def paragraph_delete(request, pk):
    paragraph = paragraph_or_404(request, pk)
    try:
        services.paragraph_delete(actor=request.user, paragraph=paragraph)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(paragraph)
    messages.success(request, _("§ %(number)s är borttagen.") % {"number": paragraph.number})
    return redirect(paragraph.minutes)


@manage_meetings
@require_POST
def paragraph_attach(request, pk):
    paragraph = paragraph_or_404(request, pk)
    form = AttachForm(request.POST, meeting=paragraph.minutes.meeting)
    if form.is_valid():
        try:
            services.paragraph_attach(
                actor=request.user, paragraph=paragraph, document=form.cleaned_data["document"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Bilagan är tillagd."))
    return redirect(paragraph)


@manage_meetings
@require_POST
def minutes_send(request, pk):
    minutes = minutes_or_404(request, pk)
    try:
        services.minutes_send_for_justering(actor=request.user, minutes=minutes)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Protokollet är skickat för justering."))
    return redirect(minutes)


@manage_meetings
@require_POST
def minutes_take_back(request, pk):
    minutes = minutes_or_404(request, pk)
    try:
        services.minutes_take_back(actor=request.user, minutes=minutes)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Protokollet är tillbaka som utkast."))
    return redirect(minutes)


def signer_minutes_or_404(request, pk) -> Minutes:
    """Only the protocol's own signers reach its justering page."""
    minutes = minutes_or_404(request, pk)
    if not access.is_signer(request.user, minutes):
        raise Http404
    return minutes


@use_board
def justering(request, pk):
    minutes = signer_minutes_or_404(request, pk)
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_sign(
                actor=request.user,
                minutes=minutes,
                password=form.cleaned_data["password"],
                token=form.cleaned_data["token"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            minutes.refresh_from_db()
            messages.success(
                request,
                _("Protokollet är justerat och anslaget är uppsatt.")
                if minutes.is_locked
                else _("Din signatur är registrerad."),
            )
            return redirect("board:justering", pk=minutes.pk)
    context = _minutes_context(request, minutes)
    mine = next((row for row in context["signing"] if row[0].user_id == request.user.pk), None)
    return render(
        request,
        "board/justering.html",
        context
        | {
            "form": form,
            "correction_form": CorrectionForm(),
            "mine": mine,
            "content_hash": minutes.content_hash or content.content_hash(minutes),
        },
        status=400 if form.errors else 200,
    )


@use_board
@require_POST
def correction(request, pk):
    minutes = signer_minutes_or_404(request, pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_request_correction(
                actor=request.user, minutes=minutes, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Begäran om rättelse är skickad till sekreteraren."))
    else:
        messages.error(request, _("Skriv vad som behöver rättas."))
    return redirect("board:justering", pk=minutes.pk)


def _stored(minutes, kind):
    return minutes.documents.filter(kind=kind).first()


@use_board
def minutes_pdf(request, pk):
    """The justerat protocol as kept at justering; a draft is rendered as it is now."""
    minutes = minutes_or_404(request, pk)
    filename = f"protokoll-{minutes.meeting.date}.pdf"
    stored = _stored(minutes, DocumentKind.OFFICIAL)
    data = bytes(stored.content) if stored else pdf.minutes_pdf(minutes)
    return attachment(data, filename)


@use_board
def extract_pdf(request, pk):
    paragraph = paragraph_or_404(request, pk)
    minutes = paragraph.minutes
    if not (minutes.is_locked or paragraph.immediate):
        messages.error(request, _("Ett utdrag kan bara tas ur ett justerat protokoll."))
        return redirect(paragraph)
    log_event(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=paragraph,
        message=_("Protokollsutdrag § %(number)s") % {"number": paragraph.number},
    )
    return attachment(
        pdf.extract_pdf(paragraph, certified_by=request.user),
        f"protokollsutdrag-{minutes.meeting.date}-paragraf-{paragraph.number}.pdf",
    )
