"""Participant statistics for one year across every insats (targets: ≤ 50 ms, ≤ 3 queries).

What the statistics page and its export read for a calendar year (the
figures kept per insats and year, ``participants.statistics.year_statistics``),
over the bench's 100 000 participations (scale 1): read as kept, and just
after a change in one insats. Printed: the number of queries, and the median
and best of seven runs after one warm-up.

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


def _timed(run) -> tuple[list[float], int, object]:
    """Seven runs after a warm-up: their times in ms, the queries of one, a result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()
    with CaptureQueriesContext(connection) as queries:
        result = run()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    # What the statistics read (not the change that the "ändrad" case makes
    # and takes back, nor its transaction).
    reads = [
        q
        for q in queries.captured_queries
        if q["sql"].lstrip()[:6] in ("SELECT", "WITH a", "WITH c")
    ]
    return times, len(reads), result


def statistics_benchmark() -> bool:
    """The statistics page's year (the figures kept per insats and year), the
    same year just after a status was logged in one insats (its figures are
    computed again), and, for comparison, the year computed from the
    participations as for a period that is not a calendar year."""
    from django.db import transaction

    from participants.models import Participation, StatusEntry
    from participants.statistics import statistics, year_statistics
    from projects.models import Project

    year = dt.date.today().year - 1  # a whole year of data
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    total = Participation.objects.count()
    changed = StatusEntry.objects.filter(date__year=year).order_by("pk").first()

    def after_a_change():
        with transaction.atomic():
            StatusEntry.objects.filter(pk=changed.pk).update(note=changed.note)
            year_statistics(Project.objects.all(), year)
            transaction.set_rollback(True)

    cases = [
        ("kept", lambda: year_statistics(Project.objects.all(), year), True),
        ("ändrad", after_a_change, True),
        ("beräknad", lambda: statistics(Participation.objects.all(), start=start, end=end), False),
    ]
    print(f"\nDeltagarstatistik för {year}, alla insatser ({total} deltaganden i databasen)")
    print(f"{'':<52} {'frågor':>7} {'median ms':>10} {'bästa ms':>9} {'mål':>22}")
    names = {
        "kept": "året, ur de sparade siffrorna per insats",
        "ändrad": "året, direkt efter en ny status i en insats",
        "beräknad": "året, beräknat ur deltagandena (som annan period)",
    }
    ok = True
    for key, run, targeted in cases:
        times, queries, _result = _timed(run)
        median = stats_module.median(times)
        if targeted:
            hit = median <= TARGET_MS and queries <= TARGET_QUERIES
            ok = ok and hit
            target = f"≤{TARGET_MS} ms, ≤{TARGET_QUERIES} frågor" + (" ok" if hit else " MISS")
        else:
            target = "(jämförelse)"
        print(f"{names[key]:<52} {queries:>7} {median:>10.1f} {min(times):>9.1f} {target:>22}")
    stats = year_statistics(Project.objects.all(), year)
    print(f"{stats.persons} personer aktiva under året, {stats.ended} avslutade")
    return ok


if __name__ == "__main__":
    os.environ.setdefault("FINSAM_ENV", "development")
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("EMBEDDED_DATABASE", "finsam_bench")
    import django

    django.setup()
    sys.exit(0 if statistics_benchmark() else 1)
