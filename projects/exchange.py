"""Budgets and costs to Excel and CSV (actual costs come back in through
projects.cost_import).

Exports use django-import-export resources (the same ones the Django admin
uses) for the columns, and write the workbook with openpyxl in write-only
mode so that tens of thousands of rows stream: amounts are numeric cells with
a kronor format, headers are Swedish and text that a spreadsheet would run as
a formula is neutralised. CSV is semicolon-separated UTF-8 with a byte order
mark, as Swedish Excel opens it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from itertools import groupby

import tablib
from django.db.models import Sum
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from finsam.lib import spreadsheet
from finsam.lib.spreadsheet import (
    MONEY_SUFFIX,
    neutralise,
    write_csv,
    write_xlsx,
)
from projects.models import BudgetLine, CostCategory, CostEntry, Forecast, Project

NUMBER = widgets.NumberWidget(coerce_to_string=False)


class NeutralisingResource(resources.ModelResource):
    """Every text cell leaves neutralised, whichever path exports it."""

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))


class StreamingResource(NeutralisingResource):
    """A resource whose export also streams: its columns (``values``, the
    lookups its fields read) are read with ``values_list`` a chunk at a time
    and turned into a row by ``row``, so that a large export holds neither
    model instances nor the whole sheet. The Django admin's export takes the
    same resource the usual way."""

    values: tuple[str, ...] = ()
    title = ""

    def row(self, values: tuple) -> tuple:
        return values

    def rows(self, queryset):
        return spreadsheet.Rows(
            self.title,
            self.get_export_headers(),
            lambda: (
                self.row(values)
                for values in queryset.values_list(*self.values).iterator(chunk_size=2000)
            ),
        )


class BudgetLineResource(StreamingResource):
    reference = fields.Field("project__reference", "Diarienummer")
    project_name = fields.Field("project__name", "Insats")
    year = fields.Field("year", "År", widget=NUMBER)
    category = fields.Field("category__name", "Kostnadsslag")
    description = fields.Field("description", "Beskrivning")
    formula = fields.Field("formula_display", "Beräkning")
    amount = fields.Field("amount", f"Belopp {MONEY_SUFFIX}", widget=NUMBER)

    title = "Budget"
    values = (
        "project__reference",
        "project__name",
        "year",
        "category__name",
        "description",
        "amount",
        "monthly_cost",
        "months",
        "uplift_percent",
        "overhead_percent",
    )

    class Meta:
        model = BudgetLine
        fields = (
            "reference",
            "project_name",
            "year",
            "category",
            "description",
            "formula",
            "amount",
        )
        export_order = fields

    def row(self, values):
        reference, name, year, category, description, amount, *formula = values
        monthly_cost, months, uplift, overhead = formula
        shown = ""
        if monthly_cost is not None:  # the line's own rule says what it shows
            shown = BudgetLine(
                amount=amount,
                monthly_cost=monthly_cost,
                months=months,
                uplift_percent=uplift,
                overhead_percent=overhead,
            ).formula_display
        return (reference, name, year, category, description, shown, amount)

    def get_queryset(self):
        return BudgetLine.objects.select_related("project", "category").order_by(
            "project__reference_year", "project__reference_number", "year", "category__order", "id"
        )


class CostEntryResource(StreamingResource):
    reference = fields.Field("project__reference", "Diarienummer")
    project_name = fields.Field("project__name", "Insats")
    period = fields.Field("month", "Period")
    category = fields.Field("category__name", "Kostnadsslag")
    amount = fields.Field("amount", f"Belopp {MONEY_SUFFIX}", widget=NUMBER)
    note = fields.Field("note", "Anteckning")

    title = "Utfall"
    values = (
        "project__reference",
        "project__name",
        "month",
        "period_end",
        "category__name",
        "amount",
        "note",
    )

    class Meta:
        model = CostEntry
        fields = ("reference", "project_name", "period", "category", "amount", "note")
        export_order = fields

    def dehydrate_period(self, entry):
        return entry.period_display.replace(" – ", "–")

    def row(self, values):
        reference, name, month, period_end, category, amount, note = values
        entry = CostEntry(month=month, period_end=period_end)
        return (reference, name, self.dehydrate_period(entry), category, amount, note)

    def get_queryset(self):
        return CostEntry.objects.select_related("project", "category").order_by(
            "project__reference_year", "project__reference_number", "month", "category__order"
        )


def _scoped(queryset, *, year=None, project=None, year_field="year"):
    if project is not None:
        queryset = queryset.filter(project=project)
    if year is not None:
        queryset = queryset.filter(**{year_field: year})
    return queryset


def budget_dataset(*, year=None, project=None) -> spreadsheet.Rows:
    resource = BudgetLineResource()
    return resource.rows(_scoped(resource.get_queryset(), year=year, project=project))


def cost_dataset(*, year=None, project=None) -> spreadsheet.Rows:
    resource = CostEntryResource()
    return resource.rows(
        _scoped(resource.get_queryset(), year=year, project=project, year_field="month__year")
    )


def overview_dataset(*, year=None, project=None) -> tablib.Dataset:
    """The budget page's table as a sheet: per insats, year and kostnadsslag
    budget, utfall, kvar, prognos and budget − prognos, with a total row per
    insats and year (numbers, not formulas: every spreadsheet shows the same).
    Three grouped queries, whatever the number of insatser."""
    cells: dict[tuple[int, int, int], dict] = defaultdict(dict)
    budgets = _scoped(BudgetLine.objects.all(), year=year, project=project)
    for row in budgets.values("project", "year", "category").annotate(t=Sum("amount")):
        cells[row["project"], row["year"], row["category"]]["budget"] = row["t"]
    costs = _scoped(CostEntry.objects.all(), year=year, project=project, year_field="month__year")
    for row in costs.values("project", "month__year", "category").annotate(t=Sum("amount")):
        cells[row["project"], row["month__year"], row["category"]]["spent"] = row["t"]
    forecasts = _scoped(Forecast.objects.all(), year=year, project=project)
    for row in forecasts.values("project", "year", "category", "amount"):
        cells[row["project"], row["year"], row["category"]]["forecast"] = row["amount"]
    projects = Project.objects.in_bulk({key[0] for key in cells})
    categories = CostCategory.objects.in_bulk({key[2] for key in cells})
    money = [
        f"{_(name)} {MONEY_SUFFIX}"
        for name in ("Budget", "Utfall", "Kvar", "Prognos", "Budget − prognos")
    ]
    dataset = tablib.Dataset(
        headers=[_("Diarienummer"), _("Insats"), _("År"), _("Kostnadsslag"), *money]
    )
    dataset.title = _("Översikt")

    def figures(budget, spent, forecast):
        left = budget - forecast if forecast is not None else None
        return [budget, spent, budget - spent, forecast, left]

    zero = Decimal(0)
    order = sorted(
        cells,
        key=lambda k: (
            projects[k[0]].reference_year,
            projects[k[0]].reference_number,
            k[1],
            categories[k[2]].order,
            categories[k[2]].name,
        ),
    )
    for (project_id, row_year), keys in groupby(order, key=lambda k: (k[0], k[1])):
        insats = projects[project_id]
        total = {"budget": zero, "spent": zero, "forecast": None}
        for key in keys:
            cell = cells[key]
            budget, spent = cell.get("budget", zero), cell.get("spent", zero)
            forecast = cell.get("forecast")
            total["budget"] += budget
            total["spent"] += spent
            if forecast is not None:
                total["forecast"] = (total["forecast"] or zero) + forecast
            dataset.append(
                [
                    insats.reference,
                    insats.name,
                    row_year,
                    categories[key[2]].name,
                    *figures(budget, spent, forecast),
                ]
            )
        dataset.append(
            [
                insats.reference,
                insats.name,
                row_year,
                _("Totalt %(year)s") % {"year": row_year},
                *figures(total["budget"], total["spent"], total["forecast"]),
            ]
        )
    return dataset


# --- Writers -----------------------------------------------------------------


class FinsamXLSX(base_formats.XLSX):
    """The admin's .xlsx export, written like the budget pages' export."""

    def export_data(self, dataset, **kwargs):
        return write_xlsx([dataset])


class FinsamCSV(base_formats.CSV):
    """The admin's CSV export: semicolons, BOM, neutralised text."""

    def get_title(self):
        return "csv (semikolon)"

    def export_data(self, dataset, **kwargs):
        return write_csv(dataset)


def export_filename(*, year=None, project=None, what="budget") -> str:
    """The file name, without extension (the download adds .xlsx or .csv)."""
    if project is not None:
        scope = project.reference.replace("/", "-")
    else:
        scope = str(year)
    return f"{what}-{scope}"
