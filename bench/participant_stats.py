"""Participant statistics for one year across every insats (targets: ≤ 50 ms, ≤ 3 queries).

The same selector the statistics page and the exports use, over the bench's
100 000 participations (scale 1). Printed: the number of queries, and the
median and best of seven runs after one warm-up.

    python bench/participant_stats.py    (needs the bench database; make bench runs it)
"""

from __future__ import annotations

import datetime as dt
import os
import statistics as stats_module
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

TARGET_MS = 50
TARGET_QUERIES = 3
RUNS = 7


def statistics_benchmark() -> bool:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participants.models import Participation
    from participants.statistics import statistics

    year = dt.date.today().year - 1  # a whole year of data
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    total = Participation.objects.count()

    def run():
        return statistics(Participation.objects.all(), start=start, end=end)

    run()
    with CaptureQueriesContext(connection) as queries:
        result = run()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    median = stats_module.median(times)
    ok = median <= TARGET_MS and len(queries) <= TARGET_QUERIES
    print(
        f"\nDeltagarstatistik för {year}, alla insatser ({total} deltaganden i databasen; "
        f"{result.persons} personer aktiva under året, {result.ended} avslutade)"
    )
    print(f"{'frågor':>8} {'median ms':>10} {'bästa ms':>9} {'mål':>22}")
    target = f"≤{TARGET_MS} ms, ≤{TARGET_QUERIES} frågor" + (" ok" if ok else " MISS")
    print(f"{len(queries):>8} {median:>10.1f} {min(times):>9.1f} {target:>22}")
    return ok


if __name__ == "__main__":
    os.environ.setdefault("FINSAM_ENV", "development")
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("EMBEDDED_DATABASE", "finsam_bench")
    import django

    django.setup()
    sys.exit(0 if statistics_benchmark() else 1)
