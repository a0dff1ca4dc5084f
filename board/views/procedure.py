"""Pages and writes for how a § was handled: närvaro and jäv per §,
yrkanden, propositionsordning, omröstning, reservation."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from board import access, pdf, procedure, services
from board.forms_procedure import (
    MotionForm,
    ParagraphCorrectionForm,
    PartlyPresentForm,
    PropositionForm,
    RecusalForm,
    ReservationForm,
    ServesForm,
    VoteForm,
)
from board.models import (
    Attendance,
    Motion,
    Paragraph,
    PartialPresence,
    PresenceKind,
    Proposition,
    Reservation,
    Vote,
)
from board.services.own_justering import (
    immediate_problems,
    paragraph_signing_state,
)
from board.views.meetings import manage_meetings
from board.views.minutes import minutes_or_404, paragraph_or_404
from finsam.views.outcome import attempt, attempt_form


def handling_context(request, paragraph: Paragraph) -> dict:
    """What the § page shows of how the § was handled, with the forms to record it."""
    minutes = paragraph.minutes
    context = pdf.minutes_context(minutes)
    shown = next(p for p in context["paragraphs"] if p.pk == paragraph.pk)
    handled = shown.handled
    may_edit = (
        access.manages_meetings(request.user)
        and minutes.is_editable
        and paragraph.justerat_at is None
    )
    result = {
        "shown": shown,
        "handled": handled,
        "partial_rows": [
            row
            for row in context["handled"].partial
            if row.first.number <= paragraph.number <= row.last.number
        ],
        "corrections": context["corrections"],
        "may_edit_handling": may_edit,
        "immediate_state": paragraph_signing_state(paragraph) if paragraph.immediate else [],
        "immediate_problems": immediate_problems(paragraph) if paragraph.immediate else [],
        "is_signer": access.is_signer(request.user, minutes),
    }
    if may_edit:
        attendance = list(minutes.attendance.all())
        result |= {
            "recusal_form": RecusalForm(attendance=attendance),
            "motion_form": MotionForm(serving=handled.serving),
            "proposition_form": PropositionForm(motions=handled.motions),
            "vote_forms": [
                (
                    step,
                    VoteForm(
                        serving=handled.serving,
                        proposition=step.proposition,
                        initial=_vote_initial(step),
                    ),
                )
                for step in handled.steps
                if step.proposition.second_id
            ],
            "reservation_form": ReservationForm(people=handled.serving),
        }
    if minutes.is_locked and access.manages_meetings(request.user):
        result["correction_form"] = ParagraphCorrectionForm()
    return result


def _vote_initial(step) -> dict:
    initial = {
        "tie_break": step.vote.tie_break
        if step.vote
        else procedure.default_tie_break(step.proposition.paragraph)
    }
    if step.vote:
        initial |= {f"r{b.attendance_id}": b.choice for b in step.ballots}
        if step.vote.closed:
            initial |= {
                "closed": True,
                "yes": step.vote.yes,
                "no": step.vote.no,
                "abstain": step.vote.abstain,
            }
        initial["lot_winner"] = step.vote.lot_winner_id
    return initial


def _back(paragraph, anchor=""):
    return redirect(f"{paragraph.get_absolute_url()}{anchor}")


def _say_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _attendance(minutes, pk) -> Attendance | None:
    return minutes.attendance.filter(pk=pk).first() if pk else None


def _paragraph(minutes, pk) -> Paragraph | None:
    return minutes.paragraphs.filter(pk=pk).first() if pk else None


# --- Närvaro per § ----------------------------------------------------------------


@manage_meetings
@require_POST
def recusal_add(request, pk):
    paragraph = paragraph_or_404(request, pk)
    minutes = paragraph.minutes
    form = RecusalForm(request.POST, attendance=list(minutes.attendance.all()))
    if attempt_form(
        request,
        form,
        lambda data: services.presence_add(
            actor=request.user,
            attendance=_attendance(minutes, data["attendance"]),
            kind=PresenceKind.RECUSAL,
            first=paragraph,
            stand_in=_attendance(minutes, data["stand_in"]),
        ),
        _("Jävet är antecknat."),
    ):
        return _back(paragraph, "#narvaro-p")
    _say_errors(request, form)
    return _back(paragraph, "#narvaro-p")


@manage_meetings
@require_POST
def partly_present_add(request, pk):
    """Present only in some §§, or an ersättare serving in some §§ (the protocol page)."""
    minutes = minutes_or_404(request, pk)
    attendance = list(minutes.attendance.all())
    paragraphs = list(minutes.paragraphs.order_by("number"))
    serves = request.POST.get("kind") == PresenceKind.SERVES
    form = (ServesForm if serves else PartlyPresentForm)(
        request.POST, attendance=attendance, paragraphs=paragraphs
    )
    if not attempt_form(
        request,
        form,
        lambda data: services.presence_add(
            actor=request.user,
            attendance=_attendance(minutes, data["attendance"]),
            kind=PresenceKind.SERVES if serves else PresenceKind.ONLY,
            first=_paragraph(minutes, data["first"]),
            last=_paragraph(minutes, data["last"]),
            replaces=_attendance(minutes, data.get("replaces")),
        ),
        _("Närvaron per paragraf är sparad."),
    ):
        _say_errors(request, form)
    return redirect(f"{minutes.get_absolute_url()}#narvaro")


@manage_meetings
@require_POST
def presence_delete(request, pk):
    row = get_object_or_404(PartialPresence.objects.select_related("attendance"), pk=pk)
    minutes = minutes_or_404(request, row.attendance.minutes_id)
    attempt(
        request,
        lambda: services.presence_delete(actor=request.user, row=row),
        _("Anteckningen om närvaro är borttagen."),
    )
    back = request.POST.get("tillbaka")
    if back and back.isdigit():
        return _back(paragraph_or_404(request, int(back)), "#narvaro-p")
    return redirect(f"{minutes.get_absolute_url()}#narvaro")


# --- Förslag, yrkanden, propositionsordning, omröstning, reservation ----------------------


@manage_meetings
@require_POST
def motion_add(request, pk):
    paragraph = paragraph_or_404(request, pk)
    handled = procedure.by_paragraph(paragraph.minutes)[paragraph.pk]
    form = MotionForm(request.POST, serving=handled.serving, instance=Motion(paragraph=paragraph))
    if not attempt_form(
        request,
        form,
        lambda data: services.motion_add(
            actor=request.user, paragraph=paragraph, motion=form.instance
        ),
        _("Förslaget är antecknat."),
    ):
        _say_errors(request, form)
    return _back(paragraph, "#yrkanden")


def _child_or_404(request, model, pk, paragraph_of):
    obj = get_object_or_404(model, pk=pk)
    paragraph = paragraph_or_404(request, paragraph_of(obj))
    return obj, paragraph


@manage_meetings
@require_POST
def proposition_add(request, pk):
    paragraph = paragraph_or_404(request, pk)
    motions = list(paragraph.motions.all())
    form = PropositionForm(request.POST, motions=motions)
    by_id = {m.pk: m for m in motions}
    if not attempt_form(
        request,
        form,
        lambda data: services.proposition_add(
            actor=request.user,
            paragraph=paragraph,
            first=by_id.get(data["first"]),
            second=by_id.get(data["second"]),
            found=by_id.get(data["found"]),
        ),
        _("Propositionen är antecknad."),
    ):
        _say_errors(request, form)
    return _back(paragraph, "#propositioner")


@manage_meetings
@require_POST
def vote_record(request, pk):
    proposition, paragraph = _child_or_404(request, Proposition, pk, lambda p: p.paragraph_id)
    handled = procedure.by_paragraph(paragraph.minutes)[paragraph.pk]
    form = VoteForm(request.POST, serving=handled.serving, proposition=proposition)
    lots = {m.pk: m for m in (proposition.first, proposition.second) if m}
    if not attempt_form(
        request,
        form,
        lambda data: services.vote_record(
            actor=request.user,
            proposition=proposition,
            ballots=None if data.get("closed") else form.ballots(),
            counts=form.counts(),
            tie_break=data["tie_break"],
            lot_winner=lots.get(data.get("lot_winner")),
        ),
        _("Omröstningen är sparad."),
    ):
        _say_errors(request, form)
    return _back(paragraph, f"#omrostning-{proposition.pk}")


@manage_meetings
@require_POST
def reservation_add(request, pk):
    paragraph = paragraph_or_404(request, pk)
    minutes = paragraph.minutes
    # Anyone of the meeting may be named: the service says why someone may not reserve.
    form = ReservationForm(request.POST, people=list(minutes.attendance.all()))
    if not attempt_form(
        request,
        form,
        lambda data: services.reservation_add(
            actor=request.user,
            paragraph=paragraph,
            attendance=_attendance(minutes, data["attendance"]),
            written=data["written"],
        ),
        _("Reservationen är antecknad."),
    ):
        _say_errors(request, form)
    return _back(paragraph, "#reservationer")


def _remove(model, paragraph_of, write, anchor: str, done: str):
    """A view that removes one record of a § with ``write(actor, record)``
    (a service) and goes back to the § with what came of it."""

    @manage_meetings
    @require_POST
    def view(request, pk):
        record, paragraph = _child_or_404(request, model, pk, paragraph_of)
        attempt(request, lambda: write(request.user, record), str(done))
        return _back(paragraph, anchor)

    return view


motion_delete = _remove(
    Motion,
    lambda m: m.paragraph_id,
    lambda actor, m: services.motion_delete(actor=actor, motion=m),
    "#yrkanden",
    gettext_lazy("Förslaget är borttaget."),
)
proposition_delete = _remove(
    Proposition,
    lambda p: p.paragraph_id,
    lambda actor, p: services.proposition_delete(actor=actor, proposition=p),
    "#propositioner",
    gettext_lazy("Propositionen är borttagen."),
)
vote_delete = _remove(
    Vote.objects.select_related("proposition"),
    lambda v: v.proposition.paragraph_id,
    lambda actor, v: services.vote_delete(actor=actor, vote=v),
    "#propositioner",
    gettext_lazy("Omröstningen är borttagen."),
)
reservation_delete = _remove(
    Reservation,
    lambda r: r.paragraph_id,
    lambda actor, r: services.reservation_delete(actor=actor, reservation=r),
    "#reservationer",
    gettext_lazy("Reservationen är borttagen."),
)
