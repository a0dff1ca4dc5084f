"""Reads of rekvisitioner and utbetalningar, and of what an insats has left
to request: scoped to who asks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Cast

from projects.models import (
    CostEntry,
    Payment,
    PaymentRequest,
    Project,
    RequestStatus,
    YearGrant,
)
from projects.models.payments import COUNTING

ZERO = Decimal(0)

# What waits for whom: the kansli's sakgranskning, the ekonom's attest and payment.
WAITING_FOR = {
    "sakgranskning": (RequestStatus.REQUESTED,),
    "attest": (RequestStatus.ATTESTED,),
    "utbetalning": (RequestStatus.APPROVED,),
}


@dataclass
class YearMoney:
    """An insats's year: beviljat, rekvirerat, utbetalt, kvar att rekvirera, utfall."""

    year: int
    granted: Decimal = ZERO
    requested: Decimal = ZERO
    paid: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def left(self) -> Decimal:
        return self.granted - self.requested

    @property
    def unspent(self) -> Decimal:
        """Granted and neither requested nor spent: what a cancellation frees."""
        return self.granted - max(self.requested, self.spent)


def money_per_year(project: Project) -> dict[int, YearMoney]:
    """Every year of the insats that has a grant, a request or utfall: the
    four sums per year in one query (a UNION of four grouped reads)."""

    def per_year(queryset, year_field, field, total):
        return (
            queryset.filter(project=project)
            .order_by()
            .annotate(y=Cast(year_field, IntegerField()))  # EXTRACT gives a numeric
            .values("y")
            .annotate(t=total, field=Value(field))
            .values_list("y", "t", "field")
        )

    sums = per_year(YearGrant.objects, "year", "granted", Sum("amount")).union(
        per_year(
            PaymentRequest.objects.filter(status__in=COUNTING), "year", "requested", Sum("amount")
        ),
        per_year(Payment.objects, "year", "paid", Sum("amount")),
        per_year(CostEntry.objects, "month__year", "spent", Sum("amount")),
        all=True,
    )
    years: dict[int, YearMoney] = {}
    for y, total, column in sums:
        setattr(years.setdefault(y, YearMoney(year=y)), column, total)
    return dict(sorted(years.items()))


def money_for_year(project: Project, year: int) -> YearMoney:
    return money_per_year(project).get(year) or YearMoney(year=year)


def requests_visible_to(user):
    """Every insats's requests for those who see all insatser; the user's
    own insatser's otherwise."""
    from projects.selectors import projects_visible_to

    return PaymentRequest.objects.filter(project__in=projects_visible_to(user))


def payment_request_for(user, pk: int) -> PaymentRequest:
    return (
        requests_visible_to(user)
        .select_related("project", "project__owner", "requested_by", "attested_by", "approved_by")
        .get(pk=pk)
    )


def payment_requests(user, *, waiting: str = "", year: int | None = None, project=None):
    requests = requests_visible_to(user)
    if waiting in WAITING_FOR:
        requests = requests.filter(status__in=WAITING_FOR[waiting])
    if year:
        requests = requests.filter(year=year)
    if project is not None:
        requests = requests.filter(project=project)
    return requests.select_related("project", "project__owner", "requested_by", "payment")


def waiting_for(user) -> dict[str, int]:
    """How many requests wait for this user's step (the dashboard's card)."""
    from projects import access

    steps = []
    if access.attests_payments(user):
        steps.append("sakgranskning")
    if access.approves_payments(user):
        steps += ["attest", "utbetalning"]
    if not steps:
        return {}
    counts = PaymentRequest.objects.aggregate(
        **{
            step: Count("pk", filter=Q(status__in=WAITING_FOR[step]) & ~Q(requested_by=user))
            for step in steps
        }
    )
    return {step: counts[step] or 0 for step in steps}


def payment_list(*, start: dt.date, end: dt.date):
    """Utbetalningslistan: the payments of a period, for the ekonomisystem."""
    return (
        Payment.objects.filter(paid_on__gte=start, paid_on__lte=end)
        .select_related("project", "project__owner", "request")
        .order_by("paid_on", "project__reference_year", "project__reference_number", "id")
    )


def costs_within(project: Project, start: dt.date, end: dt.date):
    """The utfall recorded for months inside a period (whole entries only: a
    period total that reaches outside it is not split)."""
    return CostEntry.objects.filter(project=project, month__gte=start, period_end__lte=end)


def period_costs_by_category(project: Project, start: dt.date, end: dt.date):
    """The period's utfall per kostnadsslag, next to the year's budget."""
    from projects.models import BudgetLine, CostCategory

    budget = defaultdict(Decimal)
    for category, total in (
        BudgetLine.objects.filter(project=project, year=start.year)
        .values("category")
        .annotate(t=Sum("amount"))
        .values_list("category", "t")
    ):
        budget[category] = total
    spent = defaultdict(Decimal)
    for category, total in (
        costs_within(project, start, end)
        .values("category")
        .annotate(t=Sum("amount"))
        .values_list("category", "t")
    ):
        spent[category] = total
    return [
        (category, budget[category.pk], spent[category.pk])
        for category in CostCategory.objects.filter(pk__in=set(budget) | set(spent))
    ]


def refund_for(user, pk: int):
    from projects.models import RefundClaim
    from projects.selectors import projects_visible_to

    return (
        RefundClaim.objects.filter(settlement__project__in=projects_visible_to(user))
        .select_related("settlement")
        .get(pk=pk)
    )


@dataclass
class FederationEconomy:
    """Förbundets ekonomi for a year, as Uppföljning Finsam asks for it."""

    year: int
    contributions: Decimal | None  # tilldelade medel
    administration_budget: Decimal | None
    administration_costs: Decimal | None
    insatser_budget: Decimal
    insatser_spent: Decimal
    insatser_paid: Decimal
    refunds: Decimal
    opening_equity: Decimal | None

    @property
    def closing_equity(self) -> Decimal | None:
        """Eget kapital at the year's end: at its start, plus the medlemsbidrag,
        less the administration's utfall and what was paid to insatser, plus
        the refunds that came back."""
        if None in (self.opening_equity, self.contributions, self.administration_costs):
            return None
        return (
            self.opening_equity
            + self.contributions
            - self.administration_costs
            - self.insatser_paid
            + self.refunds
        )


def federation_economy(year: int, *, depth: int = 10) -> FederationEconomy:
    """The year's economy; eget kapital at its start is the one entered for
    the year, or else the previous year's end (as far back as it is known)."""
    from finsam.models import FederationEconomy as Entered
    from finsam.selectors import contribution_total
    from projects.models import BudgetLine, RefundClaim

    entered = Entered.objects.filter(year=year).first()
    opening = entered.opening_equity if entered else None
    if opening is None and depth and Entered.objects.filter(year__lt=year).exists():
        opening = federation_economy(year - 1, depth=depth - 1).closing_equity

    def total(queryset) -> Decimal:
        return queryset.aggregate(t=Sum("amount"))["t"] or ZERO

    return FederationEconomy(
        year=year,
        contributions=contribution_total(year),
        administration_budget=entered.administration_budget if entered else None,
        administration_costs=entered.administration_costs if entered else None,
        insatser_budget=total(BudgetLine.objects.filter(year=year)),
        insatser_spent=total(CostEntry.objects.filter(month__year=year)),
        insatser_paid=total(Payment.objects.filter(year=year)),
        refunds=total(RefundClaim.objects.filter(paid_on__year=year)),
        opening_equity=opening,
    )


def year_money_by_project(year: int) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """Per insats for a year: beviljat, utfall and utbetalt (three grouped queries)."""
    granted = dict(YearGrant.objects.filter(year=year).values_list("project", "amount"))
    spent = dict(
        CostEntry.objects.filter(month__year=year)
        .values("project")
        .annotate(t=Sum("amount"))
        .values_list("project", "t")
    )
    paid = dict(
        Payment.objects.filter(year=year)
        .values("project")
        .annotate(t=Sum("amount"))
        .values_list("project", "t")
    )
    return {
        pk: (granted.get(pk, ZERO), spent.get(pk, ZERO), paid.get(pk, ZERO))
        for pk in set(granted) | set(spent) | set(paid)
    }
