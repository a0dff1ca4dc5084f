"""The förbund's year as a workbook and as PDF, on the bench data's busiest
year (median of three after a first, in this process, with the data of
``make bench``). The workbook is made in the request: target ≤ 1 s. The PDF
is made off the request by a worker, its progress on a page
(overview/services.py): target ≤ 5 s.

    python bench/year_report.py    (needs the bench database; make bench runs it)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

TARGET_SECONDS = 1.0
TARGET_BACKGROUND_SECONDS = 5.0


def _median(render) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(4):
        started = time.perf_counter()
        size = len(render())
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:]), size


def year_report_benchmark() -> bool:
    from django.db.models import Count

    from finsam.lib.pdf import render
    from finsam.lib.spreadsheet import write_xlsx
    from overview import yearly
    from projects.models import GrantedAmount

    busiest = GrantedAmount.objects.values("year").annotate(n=Count("id")).order_by("-n")
    year = busiest.first()["year"]
    report = yearly.federation_year_report(year)
    sizes = {t.title: len(t.rows) for t in report.tables}
    pdf_s, pdf_bytes = _median(
        lambda: render("pdf/year.html", yearly.year_context(year, outside=True))
    )

    def workbook():
        r = yearly.federation_year_report(year)
        return write_xlsx([t.dataset(r.threshold) for t in r.tables])

    xlsx_s, xlsx_bytes = _median(workbook)
    ok = pdf_s <= TARGET_BACKGROUND_SECONDS and xlsx_s <= TARGET_SECONDS
    rows = ", ".join(f"{title} {n}" for title, n in sizes.items())
    print(
        f"\nFörbundets år {year} ({rows} rader):\n"
        f"  PDF (görs av en worker): median {pdf_s:.2f} s, {pdf_bytes / 1024:.0f} kB, "
        f"mål ≤ {TARGET_BACKGROUND_SECONDS:g} s; "
        f"Excel (görs i anropet): median {xlsx_s:.2f} s, {xlsx_bytes / 1024:.0f} kB, "
        f"mål ≤ {TARGET_SECONDS:g} s. " + ("ok" if ok else "MISS")
    )
    return ok


if __name__ == "__main__":
    import django

    django.setup()
    sys.exit(0 if year_report_benchmark() else 1)
