"""Pages for documents justerade on their own (a § justerad omedelbart, a
rättelse) and for delegationsbeslut."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board import access, selectors, services
from board.forms import SignForm
from board.forms_procedure import DelegationDecisionForm, ParagraphCorrectionForm
from board.models import Correction, DelegationDecision, DelegationRule
from board.services.own_justering import correction_signing_state
from board.views.meetings import manage_meetings, use_board
from board.views.minutes import (
    minutes_or_404,
    paragraph_or_404,
    signed_with,
    signer_minutes_or_404,
)
from board.views.procedure import _back, _say_errors, handling_context
from finsam.views.outcome import attempt, attempt_form
from finsam.views.scoped import in_scope

# --- Omedelbar justering of a § ---------------------------------------------------------


@use_board
def paragraph_justering(request, pk):
    # The protocol may still be a draft: its signers justera the § at the meeting.
    paragraph = in_scope(selectors.immediate_for_signer, request, pk)
    form = SignForm(request.POST or None)
    if request.method == "POST" and signed_with(
        form,
        lambda password, token: services.paragraph_sign(
            actor=request.user, paragraph=paragraph, password=password, token=token
        ),
    ):
        paragraph.refresh_from_db()
        messages.success(
            request,
            _("§ %(n)s är justerad och dess anslag är uppsatt.") % {"n": paragraph.number}
            if paragraph.justerat_at
            else _("Din signatur är registrerad."),
        )
        return redirect("board:paragraph_justering", pk=paragraph.pk)
    context = handling_context(request, paragraph)
    mine = next(
        (row for row in context["immediate_state"] if row[0].user_id == request.user.pk), None
    )
    return render(
        request,
        "board/paragraph_justering.html",
        context
        | {"paragraph": paragraph, "minutes": paragraph.minutes, "form": form, "mine": mine},
        status=400 if form.errors else 200,
    )


# --- Rättelse ------------------------------------------------------------------------


@manage_meetings
@require_POST
def correction_create(request, pk):
    paragraph = paragraph_or_404(request, pk)
    form = ParagraphCorrectionForm(request.POST)
    made = []
    if attempt_form(
        request,
        form,
        lambda data: made.append(
            services.correction_create(actor=request.user, paragraph=paragraph, text=data["text"])
        ),
        _("Rättelsen är skapad. Protokollets justerare signerar den."),
    ):
        return redirect(made[0])
    _say_errors(request, form)
    return _back(paragraph)


def _correction_or_404(request, pk) -> Correction:
    correction = get_object_or_404(Correction.objects.select_related("paragraph"), pk=pk)
    minutes_or_404(request, correction.minutes_id)
    return correction


@use_board
def correction_doc(request, pk):
    correction = _correction_or_404(request, pk)
    minutes = correction.minutes
    form = SignForm(request.POST or None)
    if request.method == "POST":
        signer_minutes_or_404(request, minutes.pk)  # only its signers sign it
        if signed_with(
            form,
            lambda password, token: services.correction_sign(
                actor=request.user, correction=correction, password=password, token=token
            ),
        ):
            correction.refresh_from_db()
            messages.success(
                request,
                _("Rättelsen är justerad.")
                if correction.justerat_at
                else _("Din signatur är registrerad."),
            )
            return redirect(correction)
    state = correction_signing_state(correction)
    return render(
        request,
        "board/correction.html",
        {
            "correction": correction,
            "minutes": minutes,
            "state": state,
            "form": form,
            "mine": next((r for r in state if r[0].user_id == request.user.pk), None),
            "may_manage": access.manages_meetings(request.user),
        },
        status=400 if form.errors else 200,
    )


@manage_meetings
@require_POST
def correction_delete(request, pk):
    correction = _correction_or_404(request, pk)
    if attempt(
        request,
        lambda: services.correction_delete(actor=request.user, correction=correction),
        _("Rättelsen är borttagen."),
    ):
        return redirect(correction.paragraph)
    return redirect(correction)


# --- Delegationsbeslut ---------------------------------------------------------------


@manage_meetings
def delegation(request):
    form = DelegationDecisionForm(request.POST or None)
    if request.method == "POST" and attempt_form(
        request,
        form,
        lambda data: services.delegation_decision_record(
            actor=request.user, decision=form.instance
        ),
        _("Delegationsbeslutet är registrerat."),
    ):
        return redirect("board:delegation")
    return render(
        request,
        "board/delegation.html",
        {
            "form": form,
            "rules": DelegationRule.objects.filter(active=True),
            "decisions": DelegationDecision.objects.select_related(
                "rule", "reported_in__minutes__meeting", "posting"
            )[:200],
        },
        status=400 if form.errors else 200,
    )


@manage_meetings
@require_POST
def delegations_report(request, pk):
    minutes = minutes_or_404(request, pk)
    made = []
    if attempt(
        request,
        lambda: made.append(services.delegations_report(actor=request.user, minutes=minutes)),
        _("Anmälan av delegationsbeslut är tillagd som paragraf."),
    ):
        return redirect(made[0])
    return redirect(minutes)


def waiting_delegations(minutes):
    return list(selectors.delegations_to_report(minutes)) if minutes.is_editable else []
