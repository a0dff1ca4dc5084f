"""Writes for rekvisitioner and utbetalningar: request, sakgranskning (the
kansli), attest (the ekonom), sending back, and registering the payment.

Every step locks the request; a new or resubmitted request locks its insats
too, and the database counts the year's requests against the grant
(``within_grant`` trigger), so the rule holds also for requests made at the
same moment. Four eyes are the schema's too (``payment_request_four_eyes``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.lib.formatting import format_kronor
from finsam.lib.services import require, service
from finsam.models import AuditAction
from finsam.services import log_event
from projects import access
from projects.models import (
    GRANTED_STATUSES,
    Application,
    Payment,
    PaymentRequest,
    PaymentSchedule,
    Project,
    ProjectStatus,
    RequestKind,
    RequestStatus,
)
from projects.models.payments import COUNTING, OVER_GRANT_MESSAGE

# A request is made for a granted insats that has not been closed.
REQUESTABLE = (ProjectStatus.GRANTED, ProjectStatus.RUNNING, ProjectStatus.FINISHED)


def schedule_of(project: Project, year: int) -> str:
    """How the newest grant covering ``year`` says the money is paid out."""
    decision = (
        Application.objects.filter(project=project, status__in=GRANTED_STATUSES, granted__year=year)
        .order_by("-decided_on", "-pk")
        .values_list("payment_schedule", flat=True)
        .first()
    )
    return decision or PaymentSchedule.ARREARS


def _check_period(project: Project, kind: str, year: int, start: dt.date, end: dt.date) -> dict:
    errors = {}
    if start is None or end is None:
        return {"period_start": _("Ange perioden.")}
    if end < start or start.year != year or end.year != year:
        errors["period_start"] = _("Perioden ska ligga inom %(year)s.") % {"year": year}
    elif start.day != 1 or (end + dt.timedelta(days=1)).day != 1:
        errors["period_start"] = _("Perioden är hela månader: från den första till den sista.")
    elif end < project.start_date or start > project.end_date:
        errors["period_start"] = _("Perioden ligger utanför insatsens tid.")
    if errors:
        return errors
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if kind == RequestKind.ADVANCE:
        schedule = schedule_of(project, year)
        span = {PaymentSchedule.QUARTER: 3, PaymentSchedule.HALF_YEAR: 6}.get(schedule)
        if span is None:
            errors["kind"] = _("Beslutet säger att medlen betalas ut i efterskott mot utfall.")
        elif months != span or (start.month - 1) % span:
            errors["period_start"] = (
                _("Förskott rekvireras per kvartal enligt beslutet.")
                if span == 3
                else _("Förskott rekvireras per halvår enligt beslutet.")
            )
    elif kind == RequestKind.ARREARS and end >= timezone.localdate().replace(day=1):
        errors["period_end"] = _("I efterskott rekvireras bara för månader som har passerat.")
    return errors


def period_costs(project: Project, start: dt.date, end: dt.date) -> Decimal:
    """The utfall recorded for the months of a period (entries inside it)."""
    from projects.selectors.payments import costs_within

    return costs_within(project, start, end).aggregate(t=Sum("amount"))["t"] or Decimal(0)


def left_to_request(project: Project, year: int, *, excluding=None) -> Decimal:
    from projects.selectors.payments import money_for_year

    money = money_for_year(project, year)
    if excluding is not None and excluding.status in COUNTING:
        return money.left + excluding.amount
    return money.left


def _check(request: PaymentRequest, project: Project) -> None:
    errors = _check_period(
        project, request.kind, request.year, request.period_start, request.period_end
    )
    amount = request.amount
    if amount is None or amount <= 0 or amount != amount.to_integral_value():
        errors["amount"] = _("Ange beloppet i hela kronor, mer än 0.")
    if errors:
        raise ValidationError(errors)
    if request.kind == RequestKind.ARREARS:
        costs = period_costs(project, request.period_start, request.period_end)
        if amount > costs:
            raise ValidationError(
                {
                    "amount": _(
                        "I efterskott kan högst periodens redovisade utfall rekvireras: %(costs)s."
                    )
                    % {"costs": format_kronor(costs)}
                }
            )
    left = left_to_request(project, request.year, excluding=request if request.pk else None)
    if amount > left:
        raise ValidationError(
            {
                "amount": _("Kvar att rekvirera för %(year)s är %(left)s.")
                % {"year": request.year, "left": format_kronor(left)}
            }
        )


def save_counted(request: PaymentRequest) -> PaymentRequest:
    """Save; the database's count against the grant has the last word."""
    try:
        with transaction.atomic():
            request.save()
    except DatabaseError as error:
        if OVER_GRANT_MESSAGE in str(error):
            raise ValidationError({"amount": _(OVER_GRANT_MESSAGE)}) from error
        raise
    return request


def _locked_project(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


@service(access.can_request_money)
def payment_request_create(
    *,
    actor,
    project: Project,
    kind: str,
    year: int,
    period_start: dt.date,
    period_end: dt.date,
    amount: Decimal,
    note: str = "",
) -> PaymentRequest:
    """The insats's staff (or the kansli for them) ask for money for a period."""
    project = _locked_project(project)
    if project.status not in REQUESTABLE:
        raise ValidationError(
            _("Insatsen är %(status)s: inga medel kan rekvireras.")
            % {"status": project.get_status_display().lower()}
        )
    if kind not in (RequestKind.ADVANCE, RequestKind.ARREARS):
        raise ValidationError({"kind": _("Välj förskott eller efterskott.")})
    request = PaymentRequest(
        project=project,
        kind=kind,
        year=year,
        period_start=period_start,
        period_end=period_end,
        amount=amount,
        note=note.strip(),
        requested_by=actor,
        requested_at=timezone.now(),
    )
    _check(request, project)
    request.full_clean()
    return save_counted(request)


def _locked(request: PaymentRequest) -> PaymentRequest:
    return PaymentRequest.objects.select_for_update().select_related("project").get(pk=request.pk)


def _require_status(request: PaymentRequest, *statuses) -> None:
    if request.status not in statuses:
        raise ValidationError(
            _("Rekvisitionen är %(status)s.") % {"status": request.get_status_display().lower()}
        )


def _not_the_requester(actor, request: PaymentRequest) -> None:
    if request.requested_by_id == actor.pk:
        raise ValidationError(_("Den som begärde rekvisitionen kan inte granska den."))


@service(None)
def payment_request_attest(*, actor, request: PaymentRequest) -> PaymentRequest:
    """Sakgranskning by the kansli: the request is right as to its period,
    its utfall and the decision."""
    require(access.attests_payments(actor))
    locked = _locked(request)
    _require_status(locked, RequestStatus.REQUESTED)
    _not_the_requester(actor, locked)
    locked.status = RequestStatus.ATTESTED
    locked.attested_by, locked.attested_at = actor, timezone.now()
    locked.save(update_fields=["status", "attested_by", "attested_at"])
    return locked


@service(None)
def payment_request_approve(*, actor, request: PaymentRequest) -> PaymentRequest:
    """Attest (beslutsattest) by the ekonom, after the sakgranskning, by a
    third person."""
    require(access.approves_payments(actor))
    locked = _locked(request)
    _require_status(locked, RequestStatus.ATTESTED)
    _not_the_requester(actor, locked)
    if locked.attested_by_id == actor.pk:
        raise ValidationError(_("Den som sakgranskade kan inte också attestera."))
    locked.status = RequestStatus.APPROVED
    locked.approved_by, locked.approved_at = actor, timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    return locked


@service(None)
def payment_request_return(*, actor, request: PaymentRequest, comment: str) -> PaymentRequest:
    """The one whose step it is sends the request back to the requester, saying why."""
    locked = _locked(request)
    if locked.status == RequestStatus.REQUESTED:
        require(access.attests_payments(actor))
    elif locked.status == RequestStatus.ATTESTED:
        require(access.approves_payments(actor))
    else:
        _require_status(locked, RequestStatus.REQUESTED, RequestStatus.ATTESTED)
    _not_the_requester(actor, locked)
    if not comment.strip():
        raise ValidationError({"comment": _("Skriv vad som behöver ändras.")})
    locked.status = RequestStatus.RETURNED
    locked.return_comment = comment.strip()
    locked.attested_by = locked.attested_at = None
    locked.save(update_fields=["status", "return_comment", "attested_by", "attested_at"])
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=locked,
        message=_("Skickad tillbaka: %(comment)s") % {"comment": locked.return_comment},
    )
    return locked


@service(None)
def payment_request_resubmit(
    *, actor, request: PaymentRequest, amount: Decimal, note: str = ""
) -> PaymentRequest:
    """The requester corrects a request sent back and sends it again."""
    current = PaymentRequest.objects.select_related("project").get(pk=request.pk)
    require(access.can_request_money(actor, current.project))
    project = _locked_project(current.project)
    locked = _locked(request)
    _require_status(locked, RequestStatus.RETURNED)
    if locked.requested_by_id != actor.pk:
        raise PermissionDenied(_("Bara den som begärde rekvisitionen kan skicka den igen."))
    locked.amount = amount
    locked.note = note.strip()
    locked.status = RequestStatus.REQUESTED
    locked.requested_at = timezone.now()
    _check(locked, project)
    locked.full_clean()
    return save_counted(locked)


@service(None)
def payment_register(*, actor, request: PaymentRequest, paid_on: dt.date) -> Payment:
    """The ekonom registers that the approved request was paid out."""
    require(access.approves_payments(actor))
    locked = _locked(request)
    _require_status(locked, RequestStatus.APPROVED)
    if paid_on is None:
        raise ValidationError({"paid_on": _("Ange utbetalningsdagen.")})
    if paid_on > timezone.localdate() + relativedelta(months=1):
        raise ValidationError({"paid_on": _("Utbetalningsdagen ligger för långt fram.")})
    if paid_on < timezone.localdate(locked.approved_at):
        raise ValidationError({"paid_on": _("Utbetalningen kan inte ligga före attesten.")})
    payment = Payment(
        request=locked,
        project=locked.project,
        year=locked.year,
        amount=locked.amount,
        paid_on=paid_on,
        registered_by=actor,
    )
    payment.full_clean()
    payment.save()
    locked.status = RequestStatus.PAID
    locked.save(update_fields=["status"])
    return payment
