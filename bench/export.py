"""Export of 20 000 budget rows: our writer against openpyxl write_only.

Both sides start from the database and end with .xlsx bytes. The baseline
fetches the same rows with ``values_list`` and writes plain cells with
openpyxl in write-only mode; ours goes through the django-import-export
resource (headers, dehydration, formula neutralising) and writes kronor-
formatted cells. Time is the best of three runs; peak memory is measured in
a separate run with tracemalloc (Python allocations).

    python bench/export.py        (needs the bench database; make bench runs it)
"""

from __future__ import annotations

import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

ROWS = 20_000
YEAR = 2090  # a year of its own, so the export holds exactly these rows
TARGET = 2.5


def ensure_rows() -> None:
    from projects.models import BudgetLine, CostCategory, Project

    have = BudgetLine.objects.filter(year=YEAR).count()
    if have >= ROWS:
        return
    from finsam.models import Member

    owner = Member.objects.first()
    project, _ = Project.objects.get_or_create(
        reference="2089/1",
        defaults={
            "reference_year": 2089,
            "reference_number": 1,
            "name": "Exportbench",
            "orientation": "individinriktad",
            "form": "projekt",
            "owner": owner,
            "contact_name": "Bench",
            "start_date": "2090-01-01",
            "end_date": "2090-12-31",
        },
    )
    categories = list(CostCategory.objects.all())
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                project=project,
                year=YEAR,
                category=categories[i % len(categories)],
                description=f"Post {i}" if i % 50 else f"=SUMMA(A{i})",
                amount=1_000 + i,
            )
            for i in range(have, ROWS)
        ],
        batch_size=5000,
    )


def ours() -> bytes:
    from finsam.lib import spreadsheet
    from projects import exchange

    return spreadsheet.write_xlsx([exchange.budget_dataset(year=YEAR)])


def baseline() -> bytes:
    from openpyxl import Workbook

    from projects.models import BudgetLine

    rows = BudgetLine.objects.filter(year=YEAR).values_list(
        "project__reference", "project__name", "year", "category__name", "description", "amount"
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Budget")
    sheet.append(["Diarienummer", "Insats", "År", "Kostnadsslag", "Beskrivning", "Belopp (kr)"])
    for row in rows.iterator(chunk_size=2000):
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def measure(fn) -> tuple[float, float]:
    best = min(_timed(fn) for _ in range(3))
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 1024 / 1024


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def export_benchmark() -> bool:
    from openpyxl import load_workbook

    ensure_rows()
    produced = load_workbook(io.BytesIO(ours()), read_only=True)["Budget"]
    written = sum(1 for _ in produced.iter_rows(values_only=True))
    assert written == ROWS + 1, written
    base_time, base_peak = measure(baseline)
    our_time, our_peak = measure(ours)
    ratio = our_time / base_time
    print(f"\nExport av {ROWS} budgetrader till .xlsx (bäst av 3, topp-minne med tracemalloc)")
    print(f"{'':<34} {'tid s':>7} {'minne MB':>9} {'tid ×':>6} {'mål':>8}")
    print(f"{'openpyxl write_only (baslinje)':<34} {base_time:>7.2f} {base_peak:>9.1f} {1:>6.2f}")
    verdict = f"≤{TARGET:g}×" + (" ok" if ratio <= TARGET else " MISS")
    print(
        f"{'Finsam (import-export + kronor)':<34} {our_time:>7.2f} {our_peak:>9.1f} "
        f"{ratio:>6.2f} {verdict:>8}"
    )
    return ratio <= TARGET


if __name__ == "__main__":
    os.environ.setdefault("FINSAM_ENV", "development")
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("EMBEDDED_DATABASE", "finsam_bench")
    import django

    django.setup()
    sys.exit(0 if export_benchmark() else 1)
