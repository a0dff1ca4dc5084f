"""Budgets and costs to Excel and CSV, and actual costs back in.

Exports use django-import-export resources (the same ones the Django admin
uses) for the columns, and write the workbook with openpyxl in write-only
mode so that tens of thousands of rows stream: amounts are numeric cells with
a kronor format, headers are Swedish and text that a spreadsheet would run as
a formula is neutralised. CSV is semicolon-separated UTF-8 with a byte order
mark, as Swedish Excel opens it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import groupby

import tablib
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from finsam.lib import spreadsheet
from finsam.lib.periods import parse_period
from finsam.lib.services import service
from finsam.lib.spreadsheet import (
    MONEY_SUFFIX,
    ImportFileError,
    header_map,
    neutralise,
    read_rows,
    write_csv,
    write_xlsx,
)
from finsam.models import AuditAction
from finsam.services import log_event
from projects import access
from projects.models import BudgetLine, CostCategory, CostEntry, Forecast, Project
from projects.services import cost_period_problem

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


# --- Import of actual costs --------------------------------------------------

COLUMN_NAMES = {
    "reference": ("diarienummer", "dnr", "diarienr"),
    "period": ("period", "månad", "manad"),
    "category": ("kostnadsslag", "kategori", "category"),
    "amount": ("belopp (kr)", "belopp", "utfall", "amount", "kronor"),
    "note": ("anteckning", "text", "kommentar"),
}
REQUIRED_COLUMNS = ("reference", "period", "category", "amount")
COLUMN_LABELS = {
    "reference": "Diarienummer",
    "period": "Period",
    "category": "Kostnadsslag",
    "amount": "Belopp",
}
MAX_AMOUNT_DIGITS = 14


@dataclass
class ImportRow:
    line: int
    project: Project | None = None
    month: dt.date | None = None
    period_end: dt.date | None = None
    category: CostCategory | None = None
    amount: Decimal | None = None
    note: str = ""
    previous: Decimal | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportPreview(spreadsheet.ImportPreview):
    @property
    def total(self) -> Decimal:
        return sum((row.amount or Decimal(0) for row in self.rows), Decimal(0))

    @property
    def replaced(self) -> int:
        return sum(1 for row in self.rows if row.previous is not None)


def _parse_amount(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = str(value).strip().replace("\xa0", "").replace(" ", "").replace("\u2212", "-")
        text = re.sub(r"(?i)kr$", "", text).replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return None
    if not amount.is_finite():
        return None
    return amount


def _too_large(amount: Decimal) -> bool:
    """More than 14 digits of kronor (checked before any arithmetic, so that
    1E+999999999999 costs nothing)."""
    return amount != 0 and amount.adjusted() >= MAX_AMOUNT_DIGITS


def costs_import_preview(content: bytes, filename: str) -> ImportPreview:
    """Read and check every row; nothing is written."""
    preview = ImportPreview(filename=filename)
    try:
        rows = read_rows(content, filename)
    except ImportFileError as error:
        preview.file_errors.append(str(error))
        return preview
    if not rows:
        preview.file_errors.append(_("Filen innehåller inga rader."))
        return preview
    columns = header_map(rows[0], COLUMN_NAMES)
    missing = [COLUMN_LABELS[c] for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        preview.file_errors.append(
            _("Kolumnen %(columns)s saknas. Första raden ska ha rubrikerna %(expected)s.")
            % {
                "columns": ", ".join(missing),
                "expected": ", ".join(COLUMN_LABELS.values()),
            }
        )
        return preview

    def cell(row, key):
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    references = {str(cell(r, "reference") or "").strip() for r in rows[1:]}
    projects = {p.reference: p for p in Project.objects.filter(reference__in=references)}
    categories = {c.name.lower(): c for c in CostCategory.objects.filter(active=True)}
    seen: dict[tuple, list] = {}

    for offset, raw in enumerate(rows[1:], start=2):
        row = ImportRow(line=offset, note=str(cell(raw, "note") or "").strip()[:200])
        reference = str(cell(raw, "reference") or "").strip()
        row.project = projects.get(reference)
        if row.project is None:
            row.errors.append(
                _("Okänd insats: diarienummer ”%(ref)s” finns inte.") % {"ref": reference}
            )
        period = cell(raw, "period")
        row.month, row.period_end = parse_period(period) or (None, None)
        if row.month is None:
            row.errors.append(
                _(
                    "Ogiltig period ”%(value)s”: skriv ÅÅÅÅ-MM, ÅÅÅÅ-MM–ÅÅÅÅ-MM, "
                    "ÅÅÅÅ-K1 (kvartal) eller ÅÅÅÅ-T1 (tertial)."
                )
                % {"value": period if period is not None else ""}
            )
        name = str(cell(raw, "category") or "").strip()
        row.category = categories.get(name.lower())
        if row.category is None:
            row.errors.append(_("Okänt kostnadsslag ”%(name)s”.") % {"name": name})
        value = cell(raw, "amount")
        row.amount = _parse_amount(value)
        if row.amount is None:
            row.errors.append(
                _("Ogiltigt belopp ”%(value)s”: skriv ett tal i hela kronor.")
                % {"value": value if value is not None else ""}
            )
        elif _too_large(row.amount):
            row.errors.append(_("Beloppet %(value)s är för stort.") % {"value": value})
            row.amount = None
        elif row.amount != row.amount.to_integral_value():
            row.errors.append(
                _("Beloppet %(value)s har ören: utfall registreras i hela kronor.")
                % {"value": value}
            )
            row.amount = None
        if row.project and row.month:
            problem = cost_period_problem(row.project, row.month, row.period_end, row.category)
            if problem:
                row.errors.append(problem)
        if row.project and row.month and row.category:
            key = (row.project.pk, row.category.pk)
            clash = next(
                (
                    line
                    for line, start, end in seen.get(key, [])
                    if start <= row.period_end and end >= row.month
                ),
                None,
            )
            if clash is not None:
                row.errors.append(
                    _("Dubblett: samma insats och kostnadsslag för samma månader som rad %(line)s.")
                    % {"line": clash}
                )
            else:
                seen.setdefault(key, []).append((row.line, row.month, row.period_end))
        preview.rows.append(row)

    if preview.rows and not preview.bad_rows:
        existing = CostEntry.objects.filter(
            project__in={r.project.pk for r in preview.rows},
            month__in={r.month for r in preview.rows},
        ).values_list("project_id", "month", "category_id", "amount")
        previous = {(p, m, c): a for p, m, c, a in existing}
        for row in preview.rows:
            row.previous = previous.get((row.project.pk, row.month, row.category.pk))
    return preview


@service(access.manages_budgets, context=lambda kw: f"import av utfall: {kw['filename']}")
def costs_import_apply(*, actor, content: bytes, filename: str) -> ImportPreview:
    """Check the file again and write every row, or nothing.

    One transaction; one audit event names the file and its totals (the row
    triggers record each cost under the same context).
    """
    preview = costs_import_preview(content, filename)
    if not preview.is_valid:
        raise ValidationError(_("Filen innehåller fel och har inte lästs in."))
    CostEntry.objects.bulk_create(
        [
            CostEntry(
                project=row.project,
                month=row.month,
                period_end=row.period_end,
                category=row.category,
                amount=row.amount,
                note=row.note,
            )
            for row in preview.rows
        ],
        update_conflicts=True,
        unique_fields=["project", "month", "category"],
        update_fields=["amount", "note", "period_end"],
    )
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        message=_(
            "Import av utfall från %(file)s: %(rows)s rader (%(replaced)s ersatte "
            "tidigare värden), summa %(total)s kr."
        )
        % {
            "file": filename,
            "rows": len(preview.rows),
            "replaced": preview.replaced,
            "total": preview.total,
        },
        context="import av utfall",
    )
    return preview
