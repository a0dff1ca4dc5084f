"""Spreadsheets in and out, model-free: safety against formulas, the .xlsx
and .csv writers every export uses, and reading an uploaded file for import.

Formula safety: text that a spreadsheet would run as a formula.

OWASP's list is = + - @ tab and carriage return (| and % are added for older
Excel versions, as defusedcsv does). defusedcsv covers only the csv writer
and leaves tab and CR alone, so the rule lives here, for CSV and XLSX alike.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from finsam.lib.archives import MAX_UNPACKED_BYTES, ArchiveTooLarge, zip_entries

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


class Rows:
    """A sheet whose rows are read as it is written, not held: what the
    writers take besides a tablib Dataset (``title``, ``headers``, iteration).
    ``rows`` is called for each pass over them."""

    def __init__(self, title: str, headers: list[str], rows):
        self.title, self.headers, self._rows = title, headers, rows

    def __iter__(self):
        return iter(self._rows())

    def __len__(self):
        return sum(1 for _ in self)


def write_xlsx(datasets, stream=None) -> bytes | None:
    """One sheet per dataset (a tablib Dataset or Rows); columns whose header
    ends in "(kr)" get the kronor number format. Into ``stream`` when given
    (a file the response then sends), else returned as bytes. Written in
    openpyxl's write-only mode, each row as it comes."""
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
        # One formatted cell per money column, refilled for every row: a
        # write-only sheet writes each row out as it is appended.
        kronor = {}
        for i in money:
            kronor[i] = WriteOnlyCell(sheet)
            kronor[i].number_format = KRONOR_FORMAT
        for row in dataset:
            # An empty text is an empty cell: nothing to write for it.
            values = [None if v == "" else neutralise(v) for v in row]
            for i, cell in kronor.items():
                if values[i] is not None:
                    cell.value = values[i]
                    values[i] = cell
            sheet.append(values)
    if stream is not None:
        workbook.save(stream)
        return None
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


# Limits checked before a file is read, so that no upload can hold a worker:
# the file's size, then (for .xlsx, a zip) what it unpacks to and how many
# parts it has, then rows and columns as they stream in.
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 25_000
MAX_IMPORT_COLUMNS = 60
MAX_CELL_CHARS = 10_000


def size_problem(size: int) -> str | None:
    """What is wrong with an import file of ``size`` bytes, if anything."""
    if size > MAX_IMPORT_BYTES:
        return _("Filen är större än %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)}
    return None


def _too_many_rows(limit: int) -> ImportFileError:
    return ImportFileError(
        _("Filen har fler än %(n)s rader. Dela upp den i flera filer.")
        % {"n": f"{limit:,}".replace(",", "\u00a0")}
    )


def _is_empty(row) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def _check_cell(value, line: int):
    if isinstance(value, str):
        if "\x00" in value:
            raise ImportFileError(
                _("Rad %(line)s innehåller ett otillåtet tecken (NUL). Spara filen på nytt.")
                % {"line": line}
            )
        if len(value) > MAX_CELL_CHARS:
            raise ImportFileError(
                _("En cell på rad %(line)s är längre än %(n)s tecken.")
                % {"line": line, "n": MAX_CELL_CHARS}
            )
    return value


def _read_xlsx(content: bytes, sheet: str, max_rows: int) -> list[list]:
    unreadable = _("Filen går inte att läsa som en Excel-fil (.xlsx).")
    try:
        zip_entries(content)
    except zipfile.BadZipFile as error:
        raise ImportFileError(unreadable) from error
    except ArchiveTooLarge as error:
        raise ImportFileError(
            _("Filen packas upp till mer än %(mb)s MB och kan inte läsas in.")
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
        ) from error
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise ImportFileError(unreadable) from error
    try:
        chosen = workbook[sheet] if sheet in workbook.sheetnames else workbook.worksheets[0]
        # The file's own claim of its size (<dimension>) is not believed: the
        # rows are read as they are, and only the columns an import uses.
        chosen.reset_dimensions()
        rows = []
        for line, row in enumerate(
            chosen.iter_rows(values_only=True, max_col=MAX_IMPORT_COLUMNS), start=1
        ):
            if _is_empty(row):
                continue
            if len(rows) > max_rows:  # the header and max_rows rows
                raise _too_many_rows(max_rows)
            rows.append([_check_cell(value, line) for value in row])
        return rows
    except ImportFileError:
        raise
    except Exception as error:  # a broken sheet inside a valid zip
        raise ImportFileError(unreadable) from error
    finally:
        workbook.close()


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM, or Windows-1252."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _(
            "Filens teckenkodning går inte att läsa. Spara den som CSV UTF-8 "
            "(kommaavgränsad) eller som Excel-fil (.xlsx)."
        )
    )


def _read_csv(content: bytes, max_rows: int) -> list[list]:
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    rows = []
    try:
        for line, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            if _is_empty(row):
                continue
            if len(rows) > max_rows:
                raise _too_many_rows(max_rows)
            rows.append([_check_cell(value, line) for value in row[:MAX_IMPORT_COLUMNS]])
    except csv.Error as error:
        raise ImportFileError(
            _("Filen går inte att läsa som CSV (en cell är för lång eller felaktigt citerad).")
        ) from error
    return rows


def read_rows(
    content: bytes, filename: str, *, sheet: str = "Utfall", max_rows: int = MAX_IMPORT_ROWS
) -> list[list]:
    """The rows of an uploaded .xlsx (the named sheet, else the first) or .csv
    (UTF-8, UTF-16 or Windows-1252; semicolon, comma or tab), within the
    limits above; empty rows are left out. Every problem is an ImportFileError
    with a Swedish message."""
    if problem := size_problem(len(content)):
        raise ImportFileError(problem)
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content, sheet, max_rows)
    if name.endswith(".csv"):
        return _read_csv(content, max_rows)
    raise ImportFileError(_("Välj en fil av typen .xlsx eller .csv."))


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?", re.ASCII)


def parse_date(value) -> dt.date | None:
    """A date cell: a real date, or text written ÅÅÅÅ-MM-DD in ASCII digits
    that names a day that exists (2026-02-30 does not)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _ISO_DATE.fullmatch(str(value or "").strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_whole_number(value) -> int | None:
    """A whole number written with ASCII digits (a spreadsheet's 1990.0 too)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


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

    ERRORS_SHOWN = 100

    @property
    def bad_rows(self) -> list:
        return [row for row in self.rows if row.errors]

    @property
    def shown_bad_rows(self) -> list:
        """The first rows with errors; the page counts the rest."""
        return self.bad_rows[: self.ERRORS_SHOWN]

    @property
    def more_bad_rows(self) -> int:
        return max(0, len(self.bad_rows) - self.ERRORS_SHOWN)

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.file_errors and not self.bad_rows
