"""Spreadsheets in and out, model-free: safety against formulas, the .xlsx
and .csv writers every export uses, and reading an uploaded file for import.

Formula safety: text that a spreadsheet would run as a formula.

OWASP's list is = + - @ tab and carriage return (| and % are added for older
Excel versions, as defusedcsv does). defusedcsv covers only the csv writer
and leaves tab and CR alone, so the rule lives here, for CSV and XLSX alike.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

if TYPE_CHECKING:
    import tablib

KRONOR_FORMAT = '#,##0 "kr";-#,##0 "kr"'
MONEY_SUFFIX = "(kr)"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def neutralise(value):
    """Prefix text that would start a formula with an apostrophe; numbers pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- Writers -----------------------------------------------------------------


def write_xlsx(datasets: list[tablib.Dataset]) -> bytes:
    """One sheet per dataset; columns whose header ends in "(kr)" get the
    kronor number format."""
    workbook = Workbook(write_only=True)
    for dataset in datasets:
        sheet = workbook.create_sheet(title=dataset.title or "Blad")
        headers = list(dataset.headers or [])
        money = {i for i, h in enumerate(headers) if h.endswith(MONEY_SUFFIX)}
        for i, header in enumerate(headers):
            width = 14 if i in money else max(12, min(45, len(header) + 4))
            sheet.column_dimensions[chr(ord("A") + i)].width = width
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in dataset:
            values = [neutralise(v) for v in row]
            for i in money:
                cell = WriteOnlyCell(sheet, value=values[i])
                cell.number_format = KRONOR_FORMAT
                values[i] = cell
            sheet.append(values)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def write_csv(dataset: tablib.Dataset) -> bytes:
    """Semicolon-separated, UTF-8 with BOM: what Swedish Excel opens as columns."""
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(dataset.headers)
    for row in dataset:
        writer.writerow("" if v is None else neutralise(v) for v in row)
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


# --- Imports -----------------------------------------------------------------


class ImportFileError(Exception):
    pass


def read_rows(content: bytes, filename: str, *, sheet: str = "Utfall") -> list[list]:
    """The rows of an uploaded .xlsx (the named sheet, else the first) or .csv
    (UTF-8 or Windows-1252; semicolon, comma or tab)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a bad file
            raise ImportFileError(_("Filen går inte att läsa som en Excel-fil (.xlsx).")) from error
        chosen = workbook[sheet] if sheet in workbook.sheetnames else workbook.worksheets[0]
        rows = [list(row) for row in chosen.iter_rows(values_only=True)]
        workbook.close()
        return rows
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        first = text.split("\n", 1)[0]
        delimiter = max(";,\t", key=first.count)
        return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    raise ImportFileError(_("Välj en fil av typen .xlsx eller .csv."))


def header_map(header: list, columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Column index per key, for the first header cell matching one of its names."""
    found = {}
    for index, value in enumerate(header):
        text = str(value or "").strip().lower()
        for key, names in columns.items():
            if text in names and key not in found:
                found[key] = index
    return found


@dataclass
class ImportPreview:
    """What an import found: rows (each with ``errors``) and file-level errors.
    Apps subclass it with their own summaries."""

    filename: str
    rows: list = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> list:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.file_errors and not self.bad_rows
