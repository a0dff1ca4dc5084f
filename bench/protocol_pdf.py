"""A 40-paragraph protocol to PDF (targets: ≤ 1.5 s, ≤ 250 MB peak).

Each rendering runs in a fresh process, as a worker would meet it, so the
printed peak memory (the process's maximum resident set) is the whole cost:
Python, Django, WeasyPrint and the document. The time is the median of three
renderings after the first (which also loads fonts), printed beside it.

    python bench/protocol_pdf.py    (needs the bench database; make bench runs it)
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

TARGET_SECONDS = 1.5
TARGET_MB = 250


def child() -> None:
    import django

    django.setup()
    from board import pdf
    from board.models import Minutes

    minutes = Minutes.objects.filter(status="utkast").order_by("-meeting__date").first()
    times, size = [], 0
    for _ in range(4):
        started = time.perf_counter()
        data = pdf.minutes_pdf(minutes)
        times.append(time.perf_counter() - started)
        size = len(data)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "paragraphs": minutes.paragraphs.count(),
                "first": times[0],
                "median": statistics.median(times[1:]),
                "peak_mb": peak_mb,
                "bytes": size,
                "pages": data.count(b"/Type /Page\n") or data.count(b"/Type /Page"),
            }
        )
    )


def protocol_pdf_benchmark() -> bool:
    result = subprocess.run(
        [sys.executable, __file__, "--child"],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ),
    )
    r = json.loads(result.stdout.strip().splitlines()[-1])
    ok = r["median"] <= TARGET_SECONDS and r["peak_mb"] <= TARGET_MB
    print(
        f"\nProtokoll till PDF: {r['paragraphs']} paragrafer, {r['bytes'] / 1024:.0f} kB. "
        f"Tid: median {r['median']:.2f} s (första {r['first']:.2f} s), mål ≤ {TARGET_SECONDS:g} s. "
        f"Högsta minne i processen: {r['peak_mb']:.0f} MB, mål ≤ {TARGET_MB} MB. "
        + ("ok" if ok else "MISS")
    )
    return ok


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        import django

        django.setup()
        sys.exit(0 if protocol_pdf_benchmark() else 1)
