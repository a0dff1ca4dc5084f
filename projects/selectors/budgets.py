"""Reads of budgets, utfall and the förbund's year (Förbundets ekonomi)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, IntegerField, Sum, Value
from django.db.models.functions import Cast

from finsam.lib import per_request
from finsam.selectors import contribution_total
from projects.models import BudgetLine, CostCategory, CostEntry, Forecast, Project
from projects.selectors import ZERO, _granted_total, granted_per_year, project_sum

# --- Budget overview ---------------------------------------------------------


@dataclass
class BudgetCell:
    budget: Decimal = ZERO
    spent: Decimal = ZERO
    forecast: Decimal | None = None

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def forecast_remaining(self) -> Decimal | None:
        return None if self.forecast is None else self.budget - self.forecast


@dataclass
class BudgetYear:
    year: int
    granted: Decimal = ZERO
    rows: list[tuple[CostCategory, BudgetCell]] = field(default_factory=list)
    total: BudgetCell = field(default_factory=BudgetCell)

    @property
    def over_granted(self) -> Decimal:
        return self.total.budget - self.granted

    @property
    def under_granted(self) -> Decimal:
        return self.granted - self.total.budget


def budget_overview(project: Project, *, until: dt.date | None = None) -> list[BudgetYear]:
    """Budget, utfall, prognos and remaining per year and category; with
    ``until``, the years up to that day's and the utfall up to its month.

    The budget, utfall and prognos per year and category in one query (a
    UNION of three grouped reads), the grants in another; the table is
    assembled from their sums.
    """
    last_year = until.year if until else 9999
    cells: dict[tuple[int, int], BudgetCell] = defaultdict(BudgetCell)
    costs = CostEntry.objects.filter(project=project)
    if until:
        costs = costs.filter(month__lte=until)

    def per_cell(queryset, year_field, field):
        return (
            queryset.order_by()
            .annotate(y=Cast(year_field, IntegerField()))  # EXTRACT gives a numeric
            .values("y", "category")
            .annotate(t=Sum("amount"), field=Value(field))
            .values_list("y", "category", "t", "field")
        )

    sums = per_cell(
        BudgetLine.objects.filter(project=project, year__lte=last_year), "year", "budget"
    ).union(
        per_cell(costs, "month__year", "spent"),
        per_cell(Forecast.objects.filter(project=project, year__lte=last_year), "year", "forecast"),
        all=True,
    )
    for year, category, total, column in sums:
        setattr(cells[year, category], column, total)
    granted = granted_per_year(project, until=last_year)
    categories = per_request.once(
        "cost_categories", lambda: {c.pk: c for c in CostCategory.objects.all()}
    )
    years = sorted(
        y for y in {year for year, _ in cells} | set(granted) | set(project.years) if y <= last_year
    )
    result = []
    for year in years:
        budget_year = BudgetYear(year=year, granted=granted.get(year, ZERO))
        for category in categories.values():
            cell = cells.get((year, category.pk))
            if cell is None:
                continue
            budget_year.rows.append((category, cell))
            budget_year.total.budget += cell.budget
            budget_year.total.spent += cell.spent
            if cell.forecast is not None:
                budget_year.total.forecast = (budget_year.total.forecast or ZERO) + cell.forecast
        result.append(budget_year)
    return result


def costs_for_project(project: Project, year: int | None = None):
    costs = CostEntry.objects.filter(project=project).select_related("category")
    if year:
        costs = costs.filter(month__year=year)
    return costs.order_by("-month", "category__order")


def budget_lines_for_project(project: Project):
    return (
        BudgetLine.objects.filter(project=project)
        .select_related("category", "source")
        .order_by("year", "category__order", "id")
    )


# --- The förbund's year ------------------------------------------------------


@dataclass
class FederationYear:
    year: int
    contributions: Decimal | None
    rows: list
    granted_total: Decimal
    spent_total: Decimal
    requested_total: Decimal = ZERO
    paid_total: Decimal = ZERO

    @property
    def remaining_total(self) -> Decimal:
        return self.granted_total - self.spent_total

    @property
    def left_to_request_total(self) -> Decimal:
        return self.granted_total - self.requested_total

    @property
    def left_to_allocate(self) -> Decimal | None:
        if self.contributions is None:
            return None
        return self.contributions - self.granted_total


def federation_year(year: int) -> FederationYear:
    """Granted to each insats in ``year`` against the year's contributions."""
    from projects.models import Payment, PaymentRequest
    from projects.models.payments import COUNTING

    rows = list(
        Project.objects.filter(year_grants__year=year)
        .select_related("owner")
        .annotate(
            granted_year=_granted_total(year),
            spent_year=project_sum(CostEntry.objects.filter(month__year=year)),
            requested_year=project_sum(
                PaymentRequest.objects.filter(year=year, status__in=COUNTING)
            ),
            paid_year=project_sum(Payment.objects.filter(year=year)),
        )
        .annotate(left_to_request=F("granted_year") - F("requested_year"))
        .annotate(remaining_year=F("granted_year") - F("spent_year"))
        .order_by("reference_year", "reference_number")
    )
    return FederationYear(
        year=year,
        contributions=contribution_total(year),
        rows=rows,
        granted_total=sum((r.granted_year for r in rows), ZERO),
        spent_total=sum((r.spent_year for r in rows), ZERO),
        requested_total=sum((r.requested_year for r in rows), ZERO),
        paid_total=sum((r.paid_year for r in rows), ZERO),
    )
