"""A 20-page slutrapport with three charts to PDF (targets: ≤ 3 s, ≤ 250 MB
peak, and ≤ 1.0 × WeasyPrint rendering the same HTML from disk).

In a fresh process, as a worker would meet it, and inside a transaction that
is rolled back, a slutrapport is written for the bench insats with the most
participants: nine sections of text long enough for about 20 pages. Then:

* the handed-in report to PDF (its figures and charts frozen, as every
  download after submission is): median of three after a first;
* the same, as a draft, which also computes the figures and draws the charts;
* the baseline: the report's HTML written to a file, and WeasyPrint's
  ``HTML(filename=...).write_pdf()`` on it with the same options (a tagged
  PDF/UA-1 document, as every PDF of ours is), median of three, in the same run.

The printed peak memory is the process's maximum resident set after our own
renderings (before the baseline runs): Python, Django, matplotlib, WeasyPrint
and the document.

    python bench/report_pdf.py    (needs the bench database; make bench runs it)
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

TARGET_SECONDS = 3.0
TARGET_MB = 250
TARGET_RATIO = 1.0


def _timed(render, runs: int = 4) -> tuple[float, float, bytes]:
    times, data = [], b""
    for _ in range(runs):
        started = time.perf_counter()
        data = render()
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times[1:]), data


def child() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Count
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from bench.generate import report_text as _text
    from finsam.lib import pdf
    from projects.models import Orientation, Project
    from reports import figures, presentation
    from reports.models import Report, ReportKind, ReportSection, ReportStatus
    from reports.presentation import report_pdf as report_pdf_bytes
    from reports.sections import sections_for

    project = (
        Project.objects.filter(orientation=Orientation.INDIVIDUAL)
        .annotate(n=Count("participations"))
        .order_by("-n")
        .first()
    )
    with transaction.atomic():
        report = Report.objects.create(
            project=project,
            kind=ReportKind.FINAL,
            period_start=project.start_date,
            period_end=project.end_date,
            created_by=get_user_model().objects.order_by("pk").first(),
        )
        for n, section in enumerate(sections_for(report)):
            ReportSection.objects.create(
                report=report,
                key=section.key,
                body=_text(n, 3 if section.computed else 16),
            )

        draft_first, draft_median, _ = _timed(lambda: report_pdf_bytes(report), runs=3)
        report.figures = figures.compute(report)
        report.status = ReportStatus.SUBMITTED
        report.save()
        first, median, data = _timed(lambda: report_pdf_bytes(report))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        html = pdf.breakable(
            render_to_string("pdf/report.html", presentation.report_context(report))
        )
        with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as f:
            f.write(html)
        try:
            _bf, base_median, _ = _timed(lambda: HTML(filename=f.name).write_pdf(**pdf.PDF_OPTIONS))
        finally:
            os.unlink(f.name)
        pages = len(HTML(string=html).render().pages)
        charts = len(report.figures["charts"])
        transaction.set_rollback(True)
    print(
        json.dumps(
            {
                "project": project.name,
                "participations": project.n,
                "pages": pages,
                "charts": charts,
                "bytes": len(data),
                "first": first,
                "median": median,
                "draft_first": draft_first,
                "draft_median": draft_median,
                "baseline": base_median,
                "peak_mb": peak_mb,
            }
        )
    )


def report_pdf_benchmark() -> bool:
    result = subprocess.run(
        [sys.executable, __file__, "--child"],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ),
    )
    r = json.loads(result.stdout.strip().splitlines()[-1])
    ratio = r["median"] / r["baseline"]
    ok = (
        r["median"] <= TARGET_SECONDS
        and r["peak_mb"] <= TARGET_MB
        and ratio <= TARGET_RATIO
        and r["pages"] >= 20
        and r["charts"] == 3
    )
    print(
        f"\nSlutrapport till PDF: {r['pages']} sidor, {r['charts']} diagram, "
        f"{r['participations']} deltaganden, {r['bytes'] / 1024:.0f} kB.\n"
        f"  Inlämnad (frysta siffror): median {r['median']:.2f} s (första {r['first']:.2f} s), "
        f"mål ≤ {TARGET_SECONDS:g} s.\n"
        f"  WeasyPrint på samma HTML från disk: median {r['baseline']:.2f} s; "
        f"kvot {ratio:.2f}×, mål ≤ {TARGET_RATIO:g}×.\n"
        f"  Utkast (räknar och ritar): median {r['draft_median']:.2f} s "
        f"(första {r['draft_first']:.2f} s, med import av matplotlib och typsnitt).\n"
        f"  Högsta minne i processen: {r['peak_mb']:.0f} MB, mål ≤ {TARGET_MB} MB. "
        + ("ok" if ok else "MISS")
    )
    return ok


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        import django

        django.setup()
        sys.exit(0 if report_pdf_benchmark() else 1)
