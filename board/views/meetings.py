"""The board's own pages: overview, members, meetings, dagordning, handlingar."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board import access, notify, pdf, selectors, services
from board.forms import AgendaItemForm, DocumentForm, MeetingForm, MembershipForm, SearchForm
from board.models import (
    AgendaItem,
    BoardMembership,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    MinutesStatus,
)
from finsam.forms import form_errors
from finsam.views.downloads import attachment
from finsam.views.outcome import attempt
from finsam.views.scoped import area, in_scope, requires
from projects.models import Application

use_board = area("finsam.use_board")
manage_meetings = requires("finsam.manage_meetings", within="finsam.use_board")


def meeting_or_404(request, pk) -> Meeting:
    return in_scope(selectors.meeting_for, request, pk)


@use_board
def index(request):
    today = timezone.localdate()
    upcoming = selectors.coming_meetings(request.user, today)
    recent = selectors.with_paragraph_range(selectors.minutes_visible_to(request.user)).order_by(
        "-meeting__date"
    )[:8]
    waiting = [(w.minutes, w.deadline) for w in selectors.awaiting_my_signature(request.user)]
    return render(
        request,
        "board/index.html",
        {
            "upcoming": upcoming,
            "recent": recent,
            "waiting": waiting,
            "immediate": selectors.immediate_to_sign(request.user),
            "may_manage": access.manages_meetings(request.user),
            "search_form": SearchForm(),
            "drafts": selectors.minutes_visible_to(request.user).filter(
                status__in=[MinutesStatus.DRAFT, MinutesStatus.FOR_JUSTERING]
            )
            if access.manages_meetings(request.user)
            else [],
            "meetings_without_minutes": selectors.meetings_for(request.user)
            .filter(date__lte=today, minutes__isnull=True)
            .exclude(status=MeetingStatus.CANCELLED)
            if access.manages_meetings(request.user)
            else [],
        },
    )


def _membership_saved(request, form) -> bool:
    """Save a posted uppdrag; False (the form shows why) when it is not saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        services.membership_save(actor=request.user, membership=form.instance)
    except ValidationError as error:
        form_errors(form, error)
        return False
    messages.success(request, _("Uppdraget är sparat."))
    return True


@use_board
def members(request):
    today = timezone.localdate()
    seats = BoardMembership.objects.on(today).select_related("user", "member")
    form = None
    if access.manages_meetings(request.user):
        form = MembershipForm(request.POST or None, initial={"term_start": today})
        if _membership_saved(request, form):
            return redirect("board:members")
    elif request.method == "POST":
        return redirect("board:members")
    voting = [s for s in seats if s.is_voting]
    return render(
        request,
        "board/members.html",
        {
            "seats": seats,
            "voting": voting,
            "needed": len(voting) // 2 + 1,
            "form": form,
            "ended": BoardMembership.objects.filter(term_end__lt=today).select_related(
                "user", "member"
            ),
        },
    )


@manage_meetings
def membership(request, pk):
    seat = get_object_or_404(BoardMembership, pk=pk)
    form = MembershipForm(request.POST or None, instance=seat)
    if _membership_saved(request, form):
        return redirect("board:members")
    return render(request, "board/membership_form.html", {"form": form, "seat": seat})


@manage_meetings
def meeting_create(request):
    form = MeetingForm(request.POST or None, initial={"place": "", "starts_at": "09:00"})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, meeting=form.instance)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Sammanträdet är skapat med en dagordning."))
            return redirect(meeting)
    return render(request, "board/meeting_form.html", {"form": form})


@manage_meetings
def meeting_edit(request, pk):
    meeting = meeting_or_404(request, pk)
    if request.method == "GET" and meeting.is_locked:
        messages.error(request, _("Protokollet är justerat: sammanträdet kan inte längre ändras."))
        return redirect(meeting)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=form.instance)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Sammanträdet är sparat."))
            return redirect(meeting)
    return render(request, "board/meeting_form.html", {"form": form, "meeting": meeting})


@use_board
def meeting(request, pk):
    return _meeting_page(request, meeting_or_404(request, pk))


def _meeting_page(request, meeting, *, agenda_form=None, document_form=None):
    """The meeting's page; a refused dagordning punkt or handling comes back
    in its form, with its errors and what was typed."""
    may_manage = access.manages_meetings(request.user)
    minutes = getattr(meeting, "minutes", None)
    if minutes and not selectors.minutes_visible_to(request.user).filter(pk=minutes.pk).exists():
        minutes = None
    return render(
        request,
        "board/meeting.html",
        {
            "meeting": meeting,
            "agenda": meeting.agenda.select_related(
                "application__project", "report__project"
            ).prefetch_related("documents"),
            "documents": meeting.documents.filter(agenda_item__isnull=True),
            "minutes": minutes,
            "may_manage": may_manage,
            "agenda_form": agenda_form or (AgendaItemForm() if may_manage else None),
            "document_form": document_form
            or (DocumentForm(meeting=meeting) if may_manage else None),
            "is_past": meeting.date <= timezone.localdate(),
            "may_call": may_manage and meeting.can_be_called(timezone.localdate()),
            "notice_mails": selectors.notice_mails(meeting) if may_manage else [],
            "today": timezone.localdate(),
        },
    )


@manage_meetings
@require_POST
def agenda_add(request, pk):
    meeting = meeting_or_404(request, pk)
    form = AgendaItemForm(request.POST, instance=AgendaItem(meeting=meeting))
    if not form.is_valid():
        return _meeting_page(request, meeting, agenda_form=form)
    if attempt(
        request,
        lambda: services.agenda_item_save(actor=request.user, item=form.instance),
        _("Punkten är tillagd."),
    ):
        _warn_if_called(request, meeting)
    return redirect(meeting)


def _warn_if_called(request, meeting) -> None:
    """The dagordning changed after the kallelse went out: say so."""
    if meeting.notice_sent_at:
        messages.warning(
            request,
            _(
                "Kallelsen är redan skickad. Dagordningen har ändrats sedan dess: skicka "
                "kallelsen igen eller meddela ledamöterna ändringen."
            ),
        )


@manage_meetings
@require_POST
def meeting_cancel(request, pk):
    meeting = meeting_or_404(request, pk)
    reason = request.POST.get("reason", "")
    try:
        moved_to = services.meeting_cancel(actor=request.user, meeting=meeting, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    told = _("De kallade får ett meddelande och en avbokning till kalendern.")
    done = _("Sammanträdet är inställt.")
    if meeting.notice_sent_at:
        done = f"{done} {told}"
    if moved_to is not None:
        done += " " + _(
            "Dess ärenden och deras handlingar står nu på dagordningen för %(date)s."
        ) % {"date": moved_to.date.isoformat()}
    messages.success(request, done)
    return redirect(meeting)


@manage_meetings
@require_POST
def meeting_delete(request, pk):
    meeting = meeting_or_404(request, pk)
    try:
        services.meeting_delete(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    messages.success(
        request,
        _("Sammanträdet %(date)s är borttaget.") % {"date": meeting.date.isoformat()},
    )
    return redirect("board:index")


@manage_meetings
@require_POST
def document_delete(request, pk):
    document = get_object_or_404(MeetingDocument.objects.select_related("meeting"), pk=pk)
    meeting = meeting_or_404(request, document.meeting_id)
    services.meeting_document_delete(actor=request.user, document=document)
    messages.success(request, _("Handlingen %(name)s är borttagen.") % {"name": document.name})
    return redirect(meeting)


@manage_meetings
@require_POST
def agenda_delete(request, pk):
    item = get_object_or_404(AgendaItem, pk=pk)
    had_documents = item.documents.exists()
    services.agenda_item_delete(actor=request.user, item=item)
    messages.success(
        request,
        _("Punkten och dess handlingar är borttagna från dagordningen.")
        if had_documents
        else _("Punkten är borttagen från dagordningen."),
    )
    _warn_if_called(request, item.meeting)
    return redirect(item.meeting)


@manage_meetings
@require_POST
def document_add(request, pk):
    meeting = meeting_or_404(request, pk)
    form = DocumentForm(request.POST, request.FILES, meeting=meeting)
    if not form.is_valid():
        return _meeting_page(request, meeting, document_form=form)
    attempt(
        request,
        lambda: services.meeting_document_add(actor=request.user, document=form.instance()),
        _("Handlingen är uppladdad."),
    )
    return redirect(meeting)


@use_board
def document(request, pk):
    document = get_object_or_404(MeetingDocument.objects.select_related("meeting"), pk=pk)
    meeting_or_404(request, document.meeting_id)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)


@use_board
def application_pdf(request, pk):
    """The application as a handling, for those who may see a meeting that has
    it on its dagordning or a protocol that has it in a §; nothing else of the
    insats."""
    application = get_object_or_404(Application.objects.select_related("project"), pk=pk)
    on_agenda = selectors.meetings_for(request.user).filter(agenda__application=application)
    in_protocol = selectors.minutes_visible_to(request.user).filter(
        paragraphs__application=application
    )
    if not on_agenda.exists() and not in_protocol.exists():
        raise Http404
    return attachment(pdf.application_pdf(application), f"ansokan-{application.pk}.pdf")


@use_board
def meeting_ics(request, pk):
    meeting = meeting_or_404(request, pk)
    return attachment(notify.meeting_ics(meeting), f"sammantrade-{meeting.date}.ics")


@manage_meetings
@require_POST
def notice_send(request, pk):
    meeting = meeting_or_404(request, pk)
    try:
        count = services.meeting_send_notice(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Kallelsen skickas till %(count)s ledamöter och ersättare. Här nedan syns "
                "för var och en när den har gått iväg."
            )
            % {"count": count},
        )
    return redirect(meeting)


@manage_meetings
@require_POST
def notice_resend(request, pk, mail_pk):
    meeting = meeting_or_404(request, pk)
    attempt(
        request,
        lambda: services.notice_resend(actor=request.user, meeting=meeting, mail_id=mail_pk),
        _("Kallelsen skickas igen."),
    )
    return redirect(f"{meeting.get_absolute_url()}#kallelse")


@use_board
def search(request):
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid():
        results = selectors.search_paragraphs(form.cleaned_data["q"], user=request.user)
    return render(request, "board/search.html", {"form": form, "results": results})
