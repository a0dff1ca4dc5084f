"""make bench: serve the app with gunicorn (2 workers) on loopback, load
every page of daily work with wrk (bench/pages.py) and print p50/p95 and
requests/s next to a trivial view (/ping/) measured on the same server in the
same run, as ratios, with each page's queries; then the task queue, a mixed
load of simulated users, the exports, the statistics, the PDFs, the year,
the suite and the demo. Every figure is printed with its target; the exit
status is 1 when one misses (README, "Benchmarks").
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
os.environ.setdefault("FINSAM_ENV", "development")
os.environ.pop("DEBUG", None)  # measure what production runs
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("EMBEDDED_DATABASE", "finsam_bench")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, cookie: str, seconds: int, connections: int) -> dict:
    env = dict(os.environ, BENCH_COOKIE=cookie)
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(ROOT / "bench/latency.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=seconds + 60,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    values = dict(re.findall(r"(\w+)=([\d.]+)", line))
    result = {k: float(v) for k, v in values.items()}
    result["rps"] = result["requests"] / result["seconds"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()

    if not shutil.which("wrk"):
        print("wrk saknas: installera med `apt-get install wrk` (CI gör det själv).")
        return 2

    import django

    django.setup()
    from django.core.management import call_command

    from bench.generate import generate

    call_command("migrate", verbosity=0)
    print(f"Data (scale {args.scale}):")
    generate(args.scale)
    from bench import pages as daily

    pages = daily.daily_pages()
    users = daily.people()
    cookies = {who: daily.session_for(user) for who, user in users.items()}
    cookie = cookies["kansli"]
    counts = daily.query_counts(pages, users)

    # Without DATABASE_URL the workers attach to the embedded server this
    # process already started (same data directory and database).
    env = dict(os.environ)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "finsam.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/ping/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        for page in pages:
            request = urllib.request.Request(
                base + page.path, headers={"Cookie": cookies[page.who]}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status != 200 or response.url != base + page.path:
                    raise SystemExit(f"{page.path} answered {response.status} at {response.url}")

        # Warm up, then measure the baseline and each page in the same run.
        wrk(f"{base}/ping/", cookie, 2, args.connections)
        baseline = wrk(f"{base}/ping/", cookie, args.seconds, args.connections)
        rows = [(daily.Page("Trivial vy (/ping/)", "/ping/", target=None), baseline)]
        for page in pages:
            wrk(base + page.path, cookies[page.who], 2, args.connections)
            rows.append(
                (page, wrk(base + page.path, cookies[page.who], args.seconds, args.connections))
            )
        idle = {page.path: r for page, r in rows}
        from bench.task_queue import queue_benchmark

        queued = queue_benchmark(
            wrk, base, cookie, seconds=args.seconds, connections=args.connections, idle=idle
        )
        from bench.mixed_load import mixed_load

        mixed = mixed_load(base, cookies, users, baseline)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    print(
        f"\nSidor: wrk, {args.connections} anslutningar, {args.seconds} s per sida, "
        f"gunicorn 2 workers, 127.0.0.1; frågor räknade en gång per sida"
    )
    header = (
        f"{'sida':<32} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} "
        f"{'p95 ×':>6} {'mål':>8} {'frågor':>7}"
    )
    print(header)
    print("-" * len(header))
    failed = False
    for page, r in rows:
        ratio_p95 = r["p95"] / baseline["p95"]
        errors = int(r["errors"] + r["non2xx"])
        verdict = ""
        if page.target is not None:
            ok = ratio_p95 <= page.target and not errors
            verdict = f"≤{page.target:g}×" + (" ok" if ok else " MISS")
            failed |= not ok
        n = counts.get(page.path)
        queries = ""
        if n is not None:
            queries = f"{n}" + ("" if n <= daily.QUERY_TARGET else " MISS")
            failed |= n > daily.QUERY_TARGET
        print(
            f"{page.label:<32} {r['p50'] / 1000:>8.2f} {r['p95'] / 1000:>8.2f} {r['rps']:>7.0f} "
            f"{ratio_p95:>6.2f} {verdict:>8} {queries:>7}" + (f"  ({errors} fel)" if errors else "")
        )
    print(f"(mål för frågor: ≤ {daily.QUERY_TARGET} per sida)")
    from bench.task_queue import queue_report

    failed |= not queue_report(queued)
    from bench.mixed_load import mixed_report

    failed |= not mixed_report(mixed)
    from bench.export import export_benchmark

    failed |= not export_benchmark()
    from bench.participant_stats import statistics_benchmark

    failed |= not statistics_benchmark()
    from bench.protocol_pdf import protocol_pdf_benchmark

    failed |= not protocol_pdf_benchmark()
    from bench.report_pdf import report_pdf_benchmark

    failed |= not report_pdf_benchmark()
    from bench.year_report import year_report_benchmark

    failed |= not year_report_benchmark()
    from bench.suite_and_demo import suite_and_demo

    failed |= not suite_and_demo()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
