"""Rekvisitioner and utbetalningar: an insats's requests, one request with
its steps, what waits for whom, and the utbetalningslista."""

from __future__ import annotations

import datetime as dt

import tablib
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.lib.spreadsheet import MONEY_SUFFIX
from finsam.selectors import history_for
from finsam.views.downloads import spreadsheet_export
from finsam.views.outcome import attempt, attempt_form
from finsam.views.scoped import in_scope, requires
from projects import access, selectors, services
from projects.forms import (
    PaymentForm,
    PaymentListForm,
    PaymentRequestForm,
    RefundPaidForm,
    ResubmitForm,
    ReturnForm,
    SettlementForm,
)
from projects.models import PaymentSchedule, RefundClaim, RequestStatus, Settlement
from projects.services.payments import schedule_of
from projects.views.projects import _tab, project_or_404, use_projects


def request_or_404(request, pk):
    return in_scope(selectors.payment_request_for, request, pk)


def _schedule_text(project, year) -> str:
    return _("Beslutet för %(year)s: %(schedule)s.") % {
        "year": year,
        "schedule": PaymentSchedule(schedule_of(project, year)).label.lower(),
    }


@use_projects
def project_requests(request, pk, *, form=None):
    project = project_or_404(request, pk)
    year = timezone.localdate().year
    return _tab(
        request,
        pk,
        "projects/payment_requests_of.html",
        "rekvisitioner",
        money=lambda p: list(selectors.money_per_year(p).values()),
        requests=lambda p: selectors.payment_requests(request.user, project=p),
        may_request=access.can_request_money(request.user, project),
        form=form or PaymentRequestForm(schedule_text=_schedule_text(project, year)),
        settlement=lambda p: (
            Settlement.objects.filter(project=p).select_related("made_by", "final_request").first()
        ),
        refund=lambda p: RefundClaim.objects.filter(settlement__project=p).first(),
        may_settle=access.manages_budgets(request.user) and services.settlement_possible(project),
        may_register_refund=access.approves_payments(request.user),
        settlement_form=SettlementForm(),
        refund_form=RefundPaidForm(initial={"paid_on": timezone.localdate()}),
        adjustments=lambda p: p.grant_adjustments.all(),
    )


@require_POST
@use_projects
def settlement_create(request, pk):
    project = project_or_404(request, pk)
    access.require(access.manages_budgets(request.user))
    form = SettlementForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.settlement_make(
                actor=request.user,
                project=project,
                note=form.cleaned_data["note"],
                refund_due=form.cleaned_data["refund_due"],
            ),
            _("Slutredovisningen är gjord."),
        )
    return redirect("projects:payment_requests_of", project.pk)


@require_POST
@use_projects
def refund_paid(request, pk):
    refund = in_scope(selectors.refund_for, request, pk)
    access.require(access.approves_payments(request.user))
    form = RefundPaidForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.refund_register(
                actor=request.user, refund=refund, paid_on=form.cleaned_data["paid_on"]
            ),
            _("Återbetalningen är registrerad."),
        )
    else:
        messages.error(request, _("Ange dagen då återbetalningen kom in."))
    return redirect("projects:payment_requests_of", refund.settlement.project_id)


@require_POST
@use_projects
def request_add(request, pk):
    project = project_or_404(request, pk)
    access.require(access.can_request_money(request.user, project))
    form = PaymentRequestForm(request.POST)
    created = {}

    def request_money(data):
        year, start, end = form.period()
        created["request"] = services.payment_request_create(
            actor=request.user,
            project=project,
            kind=data["kind"],
            year=year,
            period_start=start,
            period_end=end,
            amount=data["amount"],
            note=data["note"],
        )

    if attempt_form(
        request, form, request_money, _("Rekvisitionen är skickad till kansliet för sakgranskning.")
    ):
        return redirect(created["request"])
    return project_requests(request, pk, form=form)


def _detail(request, payment_request, **forms):
    user = request.user
    status = payment_request.status
    mine = payment_request.requested_by_id == user.pk
    context = {
        "r": payment_request,
        "project": payment_request.project,
        "money": selectors.money_for_year(payment_request.project, payment_request.year),
        "categories": selectors.period_costs_by_category(
            payment_request.project, payment_request.period_start, payment_request.period_end
        ),
        "earlier": selectors.payment_requests(user, project=payment_request.project)
        .filter(year=payment_request.year, status=RequestStatus.PAID)
        .exclude(pk=payment_request.pk),
        "may_attest": status == RequestStatus.REQUESTED
        and access.attests_payments(user)
        and not mine,
        "may_approve": status == RequestStatus.ATTESTED
        and access.approves_payments(user)
        and not mine
        and payment_request.attested_by_id != user.pk,
        "may_pay": status == RequestStatus.APPROVED and access.approves_payments(user),
        "may_resubmit": status == RequestStatus.RETURNED and mine,
        "return_form": forms.get("return_form") or ReturnForm(),
        "payment_form": forms.get("payment_form")
        or PaymentForm(initial={"paid_on": timezone.localdate()}),
        "resubmit_form": forms.get("resubmit_form")
        or ResubmitForm(initial={"amount": payment_request.amount, "note": payment_request.note}),
        "history": history_for(payment_request),
    }
    context["may_return"] = context["may_attest"] or context["may_approve"]
    return render(request, "projects/payment_request.html", context)


@use_projects
def request_detail(request, pk):
    return _detail(request, request_or_404(request, pk))


def _step(request, pk, write, success: str):
    payment_request = request_or_404(request, pk)
    attempt(request, lambda: write(payment_request), success)
    return redirect(payment_request)


@require_POST
@use_projects
def request_attest(request, pk):
    return _step(
        request,
        pk,
        lambda r: services.payment_request_attest(actor=request.user, request=r),
        _("Rekvisitionen är sakgranskad och väntar på attest."),
    )


@require_POST
@use_projects
def request_approve(request, pk):
    return _step(
        request,
        pk,
        lambda r: services.payment_request_approve(actor=request.user, request=r),
        _("Rekvisitionen är attesterad och kan betalas ut."),
    )


def _with_form(request, pk, form_class, name, write, success, *, permitted):
    payment_request = request_or_404(request, pk)
    access.require(permitted(request.user, payment_request))
    form = form_class(request.POST)
    if attempt_form(request, form, lambda data: write(payment_request, data), success):
        return redirect(payment_request)
    return _detail(request, payment_request, **{name: form})


@require_POST
@use_projects
def request_return(request, pk):
    return _with_form(
        request,
        pk,
        ReturnForm,
        "return_form",
        lambda r, data: services.payment_request_return(
            actor=request.user, request=r, comment=data["comment"]
        ),
        _("Rekvisitionen är skickad tillbaka till den som begärde den."),
        permitted=lambda user, r: access.attests_payments(user) or access.approves_payments(user),
    )


@require_POST
@use_projects
def request_resubmit(request, pk):
    return _with_form(
        request,
        pk,
        ResubmitForm,
        "resubmit_form",
        lambda r, data: services.payment_request_resubmit(actor=request.user, request=r, **data),
        _("Rekvisitionen är skickad igen för sakgranskning."),
        permitted=lambda user, r: r.requested_by_id == user.pk,
    )


@require_POST
@use_projects
def payment_register(request, pk):
    return _with_form(
        request,
        pk,
        PaymentForm,
        "payment_form",
        lambda r, data: services.payment_register(
            actor=request.user, request=r, paid_on=data["paid_on"]
        ),
        _("Utbetalningen är registrerad."),
        permitted=lambda user, r: access.approves_payments(user),
    )


@use_projects
def request_index(request):
    """Rekvisitioner: every one the user sees, or those waiting for a step."""
    waiting = request.GET.get("vantar", "")
    requests = selectors.payment_requests(request.user, waiting=waiting)
    page = Paginator(requests, 50).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "projects/payment_requests.html",
        {
            "page": page,
            "waiting": waiting,
            "steps": selectors.WAITING_FOR,
            "query": query.urlencode(),
            "may_list_payments": access.sees_payments(request.user),
        },
    )


sees_payments = requires("finsam.manage_budgets", within="finsam.use_projects")


def _list_period(request) -> tuple[PaymentListForm, dt.date, dt.date]:
    today = timezone.localdate()
    first = today.replace(day=1)
    form = PaymentListForm(request.GET or {"start": first, "end": today})
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, first, today


@sees_payments
def payment_index(request):
    form, start, end = _list_period(request)
    payments = list(selectors.payment_list(start=start, end=end))
    return render(
        request,
        "projects/payments.html",
        {
            "form": form,
            "payments": payments,
            "total": sum((p.amount for p in payments), 0),
            "start": start,
            "end": end,
        },
    )


@sees_payments
def payment_export(request):
    """Utbetalningslistan for the ekonomisystem: one row per payment."""
    _form, start, end = _list_period(request)
    dataset = tablib.Dataset(
        headers=[
            _("Utbetalningsdag"),
            _("Mottagare"),
            _("Organisationsnummer"),
            _("Diarienummer"),
            _("Insats"),
            _("Avser"),
            f"{_('Belopp')} {MONEY_SUFFIX}",
        ],
        title=_("Utbetalningar"),
    )
    for payment in selectors.payment_list(start=start, end=end).iterator(chunk_size=500):
        r = payment.request
        dataset.append(
            [
                payment.paid_on,
                payment.project.owner.name,
                payment.project.owner.organisation_number,
                payment.project.reference,
                payment.project.name,
                f"{r.get_kind_display()} {r.period_start:%Y-%m}–{r.period_end:%Y-%m}",
                payment.amount,
            ]
        )
    return spreadsheet_export(
        request,
        [dataset],
        filename=f"utbetalningar-{start.isoformat()}-{end.isoformat()}",
        what=_("Utbetalningslista"),
    )
