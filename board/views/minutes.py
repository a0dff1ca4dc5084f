"""Protocols: writing them, justering, PDF and protokollsutdrag."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board import access, pdf, rules, selectors, services
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
from board.forms_procedure import PartlyPresentForm, ServesForm
from board.models import (
    APPLICATION_DECISIONS,
    Attendance,
    DocumentKind,
    Minutes,
    Paragraph,
    SignerRole,
)
from board.views.meetings import manage_meetings, meeting_or_404, use_board
from finsam.forms import form_errors
from finsam.models import AuditAction
from finsam.services import log_event
from finsam.views.downloads import attachment
from finsam.views.outcome import attempt
from finsam.views.scoped import in_scope
from projects.access import sees_all_projects
from projects.selectors import requested_per_year


def minutes_or_404(request, pk) -> Minutes:
    return in_scope(selectors.minutes_for, request, pk)


def paragraph_or_404(request, pk) -> Paragraph:
    paragraph = get_object_or_404(Paragraph, pk=pk)
    paragraph.minutes = minutes_or_404(request, paragraph.minutes_id)
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
    context = pdf.minutes_context(minutes)  # reads the minutes' attendance and signers once
    attendance = list(minutes.attendance.all())
    context |= {
        "attendance": attendance,
        "deadline": rules.justering_deadline(minutes.meeting.date),
        "may_edit": may_edit,
        "may_manage": access.manages_meetings(request.user),
        "is_signer": access.is_signer(request.user, minutes),
        # A board member opens an application of a § as its PDF handling.
        "sees_applications": sees_all_projects(request.user),
    }
    if may_edit:
        from board.views.separate import waiting_delegations

        signers = {s.role: s for s in minutes.signers.all()}
        paragraphs = context["paragraphs"]
        verifiers = [s.user_id for s in minutes.signers.all() if s.role == SignerRole.VERIFIER]
        context |= {
            "minutes_form": MinutesForm(instance=minutes),
            "attendance_form": AttendanceForm(),
            "signers_form": SignersForm(
                initial={
                    "chair": signers[SignerRole.CHAIR].user_id
                    if SignerRole.CHAIR in signers
                    else None,
                    "verifiers": verifiers,
                }
            ),
            "paragraph_form": NewParagraphForm(),
            "partly_form": PartlyPresentForm(attendance=attendance, paragraphs=paragraphs),
            "serves_form": ServesForm(attendance=attendance, paragraphs=paragraphs),
            "partial_rows": sorted(
                context["handled"].partial, key=lambda r: (r.first.number, r.attendance.order)
            ),
            "waiting_delegations": waiting_delegations(minutes),
        }
    return context | forms


@use_board
def minutes(request, pk):
    minutes = minutes_or_404(request, pk)
    return render(request, "board/minutes.html", _minutes_context(request, minutes))


def _back(request, minutes, anchor: str = "", **forms):
    """After a write: to the protocol, or the page again with the form's errors.
    The services decide what may change; a refusal of the whole protocol
    (justerat, out for justering) is shown as a message."""
    form = next(iter(forms.values()), None)
    if form is None or not form.errors:
        return redirect(f"{minutes.get_absolute_url()}{anchor}")
    minutes.refresh_from_db()
    if not minutes.is_editable:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(minutes)
    context = _minutes_context(request, minutes, **forms)
    return render(request, "board/minutes.html", context, status=400)


def _apply(form, write) -> bool:
    """Run the service ``write`` if the form is valid; its refusal lands on the form."""
    if not form.is_valid():
        return False
    try:
        write()
    except ValidationError as error:
        form_errors(form, error)
        return False
    return True


@manage_meetings
@require_POST
def minutes_update(request, pk):
    minutes = minutes_or_404(request, pk)
    form = MinutesForm(request.POST, instance=minutes)
    if _apply(form, lambda: services.minutes_update(actor=request.user, minutes=form.instance)):
        messages.success(request, _("Sparat."))
    return _back(request, minutes, minutes_form=form)


@manage_meetings
@require_POST
def attendance_add(request, pk):
    minutes = minutes_or_404(request, pk)
    form = AttendanceForm(request.POST, instance=Attendance(minutes=minutes, order=150))
    if _apply(form, lambda: services.attendance_save(actor=request.user, attendance=form.instance)):
        messages.success(request, _("Närvaron är sparad."))
    return _back(request, minutes, "#narvaro", attendance_form=form)


@manage_meetings
@require_POST
def attendance_delete(request, pk):
    row = get_object_or_404(Attendance, pk=pk)
    minutes = minutes_or_404(request, row.minutes_id)
    attempt(
        request,
        lambda: services.attendance_delete(actor=request.user, attendance=row),
        _("%(name)s är borttagen ur närvaron.") % {"name": row.name},
    )
    return redirect(f"{minutes.get_absolute_url()}#narvaro")


@manage_meetings
@require_POST
def signers(request, pk):
    minutes = minutes_or_404(request, pk)
    form = SignersForm(request.POST)

    def write():
        services.signers_set(
            actor=request.user,
            minutes=minutes,
            chair=form.cleaned_data["chair"],
            verifiers=list(form.cleaned_data["verifiers"]),
        )

    if _apply(form, write):
        messages.success(request, _("Ordförande och justerare är sparade."))
    return _back(request, minutes, "#justerare", signers_form=form)


@manage_meetings
@require_POST
def paragraph_add(request, pk):
    minutes = minutes_or_404(request, pk)
    form = NewParagraphForm(request.POST)
    added = []

    def write():
        added.append(
            services.paragraph_add(actor=request.user, minutes=minutes, paragraph=form.instance)
        )

    if _apply(form, write):
        messages.success(request, _("§ %(number)s är tillagd.") % {"number": added[0].number})
        return redirect(added[0])
    return _back(request, minutes, paragraph_form=form)


def _years(paragraph):
    """The years a partial grant may give: those the application asks money for."""
    application = paragraph.application
    return list(requested_per_year(application)) if application else []


@use_board
def paragraph(request, pk):
    paragraph = paragraph_or_404(request, pk)
    minutes = paragraph.minutes
    may_edit = (
        access.manages_meetings(request.user)
        and minutes.is_editable
        and paragraph.justerat_at is None
    )
    if request.method == "POST" and not may_edit:
        messages.error(request, _("Protokollet kan inte ändras nu."))
        return redirect(paragraph)
    form = ParagraphForm(request.POST or None, instance=paragraph, years=_years(paragraph))
    if request.method == "POST" and _apply(
        form,
        lambda: services.paragraph_update(
            actor=request.user, paragraph=form.instance, granted=form.granted()
        ),
    ):
        messages.success(request, _("§ %(number)s är sparad.") % {"number": paragraph.number})
        return redirect(f"{minutes.get_absolute_url()}#p{paragraph.number}")
    decided = paragraph.decided_applications.first()
    from board.views.procedure import handling_context

    return render(
        request,
        "board/paragraph.html",
        handling_context(request, paragraph)
        | {
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
def paragraph_move(request, pk):
    paragraph = paragraph_or_404(request, pk)
    step = -1 if request.POST.get("riktning") == "upp" else 1
    title = paragraph.title
    moved = attempt(
        request,
        lambda: services.paragraph_move(actor=request.user, paragraph=paragraph, step=step),
        _("”%(title)s” är flyttad.") % {"title": title},
    )
    paragraph.refresh_from_db()
    anchor = f"#p{paragraph.number}" if moved else ""
    return redirect(f"{paragraph.minutes.get_absolute_url()}{anchor}")


@manage_meetings
@require_POST
def paragraph_delete(request, pk):
    paragraph = paragraph_or_404(request, pk)
    deleted = attempt(
        request,
        lambda: services.paragraph_delete(actor=request.user, paragraph=paragraph),
        _("§ %(number)s är borttagen.") % {"number": paragraph.number},
    )
    return redirect(paragraph.minutes if deleted else paragraph)


@manage_meetings
@require_POST
def paragraph_attach(request, pk):
    paragraph = paragraph_or_404(request, pk)
    form = AttachForm(request.POST, meeting=paragraph.minutes.meeting)
    if form.is_valid():
        attempt(
            request,
            lambda: services.paragraph_attach(
                actor=request.user, paragraph=paragraph, document=form.cleaned_data["document"]
            ),
            _("Bilagan är tillagd."),
        )
    return redirect(paragraph)


@manage_meetings
@require_POST
def minutes_send(request, pk):
    minutes = minutes_or_404(request, pk)
    attempt(
        request,
        lambda: services.minutes_send_for_justering(actor=request.user, minutes=minutes),
        _("Protokollet är skickat för justering."),
    )
    return redirect(minutes)


@manage_meetings
@require_POST
def minutes_take_back(request, pk):
    minutes = minutes_or_404(request, pk)
    attempt(
        request,
        lambda: services.minutes_take_back(actor=request.user, minutes=minutes),
        _("Protokollet är tillbaka som utkast."),
    )
    return redirect(minutes)


def signer_minutes_or_404(request, pk) -> Minutes:
    """Only the protocol's own signers reach its justering page."""
    minutes = minutes_or_404(request, pk)
    if not access.is_signer(request.user, minutes):
        raise Http404
    return minutes


def signed_with(form, sign) -> bool:
    """The signer's password and one-time code from a valid SignForm given
    to ``sign(password, token)`` (a signing service); its refusals land on
    the form's fields."""
    if not form.is_valid():
        return False
    try:
        sign(form.cleaned_data["password"], form.cleaned_data["token"])
    except ValidationError as error:
        form_errors(form, error)
        return False
    return True


@use_board
def justering(request, pk):
    minutes = signer_minutes_or_404(request, pk)
    form = SignForm(request.POST or None)
    if request.method == "POST" and signed_with(
        form,
        lambda password, token: services.minutes_sign(
            actor=request.user, minutes=minutes, password=password, token=token
        ),
    ):
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
        },
        status=400 if form.errors else 200,
    )


@use_board
@require_POST
def correction(request, pk):
    minutes = signer_minutes_or_404(request, pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.minutes_request_correction(
                actor=request.user, minutes=minutes, comment=form.cleaned_data["comment"]
            ),
            _("Begäran om rättelse är skickad till sekreteraren."),
        )
    else:
        messages.error(request, _("Skriv vad som behöver rättas."))
    return redirect("board:justering", pk=minutes.pk)


def _stored(minutes, kind):
    return minutes.documents.filter(kind=kind).first()


@use_board
def minutes_pdf(request, pk):
    """The justerat protocol as kept at justering. A draft has no file of its
    own: it is ordered (minutes_pdf_order) and made by a worker."""
    minutes = minutes_or_404(request, pk)
    stored = _stored(minutes, DocumentKind.OFFICIAL)
    if stored is None:
        messages.info(request, _("Protokollet är inte justerat. Skapa en PDF av utkastet."))
        return redirect(minutes)
    return attachment(bytes(stored.content), f"protokoll-{minutes.meeting.date}.pdf")


@use_board
@require_POST
def minutes_pdf_order(request, pk):
    """Order the draft as a PDF and follow it on the progress page."""
    minutes = minutes_or_404(request, pk)
    if minutes.is_locked:
        return redirect("board:minutes_pdf", pk=minutes.pk)
    return redirect(services.minutes_pdf_order(actor=request.user, minutes=minutes))


@use_board
def extract_pdf(request, pk):
    paragraph = paragraph_or_404(request, pk)
    minutes = paragraph.minutes
    if not paragraph.is_justerad:
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
