"""Actual costs (utfall) in from a spreadsheet: every row validated before any
is written, then written in one transaction."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from finsam.lib import spreadsheet
from finsam.lib.periods import parse_period
from finsam.lib.services import service
from finsam.lib.spreadsheet import (
    ImportFileError,
    header_map,
    read_rows,
)
from finsam.models import AuditAction
from finsam.services import log_event
from projects import access
from projects.models import CostCategory, CostEntry, Project
from projects.services import cost_period_problem

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
