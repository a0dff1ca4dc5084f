"""The grant after its decision, and closing an insats's economy: unused
funds carried into the next year by a decision, unspent grants released
when an insats is cancelled, the slutredovisning (utfall against utbetalt)
with its refund claim or final payment, and the registered refund."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.lib.formatting import format_kronor
from finsam.lib.services import service
from projects import access
from projects.models import (
    AdjustmentKind,
    CostEntry,
    GrantAdjustment,
    Payment,
    PaymentRequest,
    Project,
    ProjectStatus,
    RefundClaim,
    RequestKind,
    RequestStatus,
    Settlement,
)
from projects.selectors.payments import money_per_year
from projects.services.payments import save_counted

# A refund claim is due this many days after the slutredovisning, unless set.
REFUND_DAYS = 30
IN_PROGRESS = (RequestStatus.REQUESTED, RequestStatus.ATTESTED, RequestStatus.APPROVED)


@service(access.manages_applications)
def grants_release_unspent(
    *, actor, project: Project, reason: str, decided_on: dt.date | None = None, reference: str = ""
) -> list[GrantAdjustment]:
    """What a cancelled insats was granted and has neither requested nor
    spent goes back to the förbund: one decision per year, with its reason.
    (What it spent and has not yet requested stays, for its slutredovisning.)"""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv skälet till att medlen frigörs.")})
    released = [
        GrantAdjustment(
            project=project,
            year=year,
            kind=AdjustmentKind.RELEASED,
            amount=-money.unspent,
            reason=reason.strip(),
            decided_on=decided_on or timezone.localdate(),
            reference=reference.strip(),
            created_by=actor,
        )
        for year, money in money_per_year(project).items()
        if money.unspent > 0
    ]
    for adjustment in released:
        adjustment.full_clean()
    return GrantAdjustment.objects.bulk_create(released)


CARRYING_KINDS = ("tillagg", "andrad_inriktning")


@service(access.manages_applications)
def grant_carry_over(
    *, actor, application, from_year: int, amount: Decimal, reason: str
) -> list[GrantAdjustment]:
    """Unused funds of a year carried into the next. Only a decision does it:
    a granted tilläggsansökan or ändrad inriktning, whose § or kansli decision
    both years then name."""
    from projects.models import GRANTED_STATUSES

    project = Project.objects.select_for_update().get(pk=application.project_id)
    if application.kind not in CARRYING_KINDS or application.status not in GRANTED_STATUSES:
        raise ValidationError(
            _("Medel förs över genom beslut om en tilläggsansökan eller ändrad inriktning.")
        )
    errors = {}
    if amount is None or amount <= 0 or amount != amount.to_integral_value():
        errors["amount"] = _("Ange beloppet i hela kronor, mer än 0.")
    if from_year + 1 > project.end_date.year:
        errors["from_year"] = _("Insatsen pågår inte %(year)s.") % {"year": from_year + 1}
    if not reason.strip():
        errors["reason"] = _("Skriv skälet till överföringen.")
    if errors:
        raise ValidationError(errors)
    money = money_per_year(project).get(from_year)
    unspent = money.unspent if money else Decimal(0)
    if amount > unspent:
        raise ValidationError(
            {
                "amount": _("Oanvänt för %(year)s är %(left)s.")
                % {"year": from_year, "left": format_kronor(max(unspent, Decimal(0)))}
            }
        )
    common = {
        "project": project,
        "reason": reason.strip(),
        "decided_on": application.decided_on,
        "reference": application.decision_reference,
        "application": application,
        "created_by": actor,
    }
    moved = [
        GrantAdjustment(year=from_year, kind=AdjustmentKind.CARRIED_OUT, amount=-amount, **common),
        GrantAdjustment(
            year=from_year + 1, kind=AdjustmentKind.CARRIED_IN, amount=amount, **common
        ),
    ]
    for adjustment in moved:
        adjustment.full_clean()
    return GrantAdjustment.objects.bulk_create(moved)


def has_ended(project: Project) -> bool:
    """Cancelled, finished, or past its end date: its closing can begin."""
    return project.status in (ProjectStatus.CANCELLED, ProjectStatus.FINISHED) or (
        project.status in (ProjectStatus.RUNNING, ProjectStatus.GRANTED)
        and project.end_date < timezone.localdate()
    )


def settlement_possible(project: Project) -> bool:
    return has_ended(project) and not Settlement.objects.filter(project=project).exists()


@service(access.manages_budgets)
def settlement_make(
    *, actor, project: Project, note: str = "", refund_due: dt.date | None = None
) -> Settlement:
    """The slutredovisning of an insats that has ended: its whole utfall
    against everything paid out. Paid more: a refund claim on the huvudman.
    Paid less: a final payment for the difference, as far as the grant
    reaches, which goes through sakgranskning and attest like any request."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    today = timezone.localdate()
    if not has_ended(project):
        raise ValidationError(_("Slutredovisningen görs när insatsen har slutat eller avbrutits."))
    if Settlement.objects.filter(project=project).exists():
        raise ValidationError(_("Insatsen har redan en slutredovisning."))
    waiting = PaymentRequest.objects.filter(project=project, status__in=IN_PROGRESS).count()
    if waiting:
        raise ValidationError(
            _(
                "%(n)s rekvisitioner är inte färdigbehandlade. Betala ut eller skicka "
                "tillbaka dem först."
            )
            % {"n": waiting}
        )
    costs = CostEntry.objects.filter(project=project).aggregate(t=Sum("amount"))["t"] or 0
    paid = Payment.objects.filter(project=project).aggregate(t=Sum("amount"))["t"] or 0
    settlement = Settlement(
        project=project,
        costs=Decimal(costs),
        paid=Decimal(paid),
        note=note.strip(),
        made_on=today,
        made_by=actor,
    )
    settlement.full_clean()
    settlement.save()
    if settlement.difference > 0:
        refund = RefundClaim(
            settlement=settlement,
            amount=settlement.difference,
            due_date=refund_due or today + dt.timedelta(days=REFUND_DAYS),
        )
        refund.full_clean()
        refund.save()
    elif settlement.difference < 0:
        settlement.final_request = _final_request(actor, project, -settlement.difference)
        if settlement.final_request is not None:
            settlement.save(update_fields=["final_request"])
    return settlement


def _final_request(actor, project: Project, shortfall: Decimal) -> PaymentRequest | None:
    """The last year with grant left pays the shortfall, up to what is left."""
    years = [m for m in money_per_year(project).values() if m.left > 0]
    if not years:
        return None
    last = years[-1]
    start = max(dt.date(last.year, 1, 1), project.start_date.replace(day=1))
    end = min(dt.date(last.year, 12, 31), project.end_date)
    request = PaymentRequest(
        project=project,
        kind=RequestKind.FINAL,
        year=last.year,
        period_start=start,
        period_end=end,
        amount=min(shortfall, last.left),
        note=_("Slutbetalning enligt slutredovisningen."),
        requested_by=actor,
        requested_at=timezone.now(),
    )
    request.full_clean()
    return save_counted(request)


@service(access.approves_payments)
def refund_register(*, actor, refund: RefundClaim, paid_on: dt.date) -> RefundClaim:
    """The ekonom records that the huvudman paid the refund back."""
    refund = RefundClaim.objects.select_for_update().get(pk=refund.pk)
    if refund.paid_on:
        raise ValidationError(
            _("Återbetalningen är redan registrerad (%(date)s).") % {"date": refund.paid_on}
        )
    if paid_on is None or paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("Ange dagen då återbetalningen kom in.")})
    refund.paid_on, refund.registered_by = paid_on, actor
    refund.save(update_fields=["paid_on", "registered_by"])
    return refund


def closing_missing(project: Project) -> list[str]:
    """What the insats still lacks before it counts as avslutad: its
    slutrapport laid to handlingarna, and its economy settled."""
    from projects.models import ObligationStatus, ReportKind

    missing = []
    finals = project.obligations.filter(kind__in=[ReportKind.FINAL, ReportKind.PRESTUDY])
    if finals.exclude(status__in=[ObligationStatus.CLOSED, ObligationStatus.WAIVED]).exists() or (
        not finals.exists()
        and not project.reports.filter(
            kind__in=[ReportKind.FINAL, ReportKind.PRESTUDY], status="lagd_till_handlingarna"
        ).exists()
    ):
        missing.append(_("Slutrapporten är inte lagd till handlingarna."))
    settlement = Settlement.objects.filter(project=project).select_related("final_request").first()
    if settlement is None:
        missing.append(_("Slutredovisningen är inte gjord."))
        return missing
    refund = RefundClaim.objects.filter(settlement=settlement).first()
    if refund is not None and refund.paid_on is None:
        missing.append(
            _("Återbetalningen på %(amount)s är inte betald (senast %(date)s).")
            % {"amount": format_kronor(refund.amount), "date": refund.due_date.isoformat()}
        )
    final = settlement.final_request
    if final is not None and final.status != RequestStatus.PAID:
        missing.append(
            _("Slutbetalningen på %(amount)s är inte utbetald.")
            % {"amount": format_kronor(final.amount)}
        )
    return missing
