"""make bench: serve the app with gunicorn (2 workers) on loopback, load it
with wrk, and print p50/p95 and requests/s of each page next to a trivial
view (/ping/) measured on the same server in the same run, as ratios.

Targets are ratios, not absolute times, so the figures hold on any machine.
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

# (label, path, target ratio of p95 against the trivial view or None)
PAGES = [
    ("Översikt (dashboard)", "/", None),
    ("Insatser, lista", "/insatser/", 10),
    ("Insatser, filtrerad", "/insatser/?status=pagaende&q=bench", 10),
    ("Ansökningar, inkorg", "/insatser/inkorg/", 10),
    ("Deltagare, lista (alla)", "/deltagare/", 10),
    ("Deltagare, alla avslutade", "/deltagare/?visa=avslutade", 10),
    ("Anslagstavla (publik)", "/anslagstavla/", 5),
    ("Protokollarkiv (publik)", "/anslagstavla/arkiv/", None),
    ("Rapporter, lista", "/rapporter/", 10),
    ("Bevakning (alla som väntar)", "/insatser/bevakning/?state=vantar", 10),
    ("Rekvisitioner, lista", "/insatser/rekvisitioner/", 10),
    ("Utbetalningslista (år)", "/insatser/utbetalningar/?start={year}-01-01&end={year}-12-31", 10),
    (
        "Utbetalningslista, xlsx",
        "/insatser/utbetalningar/export/?start={year}-01-01&end={year}-12-31",
        10,
    ),
    ("Förbundets år i siffror", "/rapporter/ar/", None),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_session() -> str:
    """A logged-in, second-factor-verified session for a kansli user."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from finsam.middleware import LOGIN_AT_SESSION_KEY
    from finsam.models import User
    from finsam.roles import KANSLI

    user, _ = User.objects.get_or_create(
        username="bench-runner", defaults={"full_name": "Bench Runner", "email": "b@example.test"}
    )
    user.groups.add(Group.objects.get(name=KANSLI))
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = SessionStore()
    session.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            DEVICE_ID_SESSION_KEY: device.persistent_id,
            LOGIN_AT_SESSION_KEY: int(time.time()),
        }
    )
    session.set_expiry(4 * 60 * 60)
    session.create()
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


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
    global PAGES
    year = time.localtime().tm_year
    PAGES = [(label, path.format(year=year), target) for label, path, target in PAGES]
    print(f"Data (scale {args.scale}):")
    generate(args.scale)
    cookie = bench_session()

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
        for _label, path, _target in PAGES:
            request = urllib.request.Request(base + path, headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status != 200 or response.url != base + path:
                    raise SystemExit(f"{path} answered {response.status} at {response.url}")

        # Warm up, then measure the baseline and each page in the same run.
        wrk(f"{base}/ping/", cookie, 2, args.connections)
        baseline = wrk(f"{base}/ping/", cookie, args.seconds, args.connections)
        rows = [("Trivial vy (/ping/)", "/ping/", None, baseline)]
        for label, path, target in PAGES:
            wrk(base + path, cookie, 2, args.connections)
            rows.append(
                (label, path, target, wrk(base + path, cookie, args.seconds, args.connections))
            )
        idle = {path: r for _label, path, _target, r in rows}
        from bench.task_queue import queue_benchmark

        queued = queue_benchmark(
            wrk, base, cookie, seconds=args.seconds, connections=args.connections, idle=idle
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    print(
        f"\nLast: wrk, {args.connections} anslutningar, {args.seconds} s per sida, "
        f"gunicorn 2 workers, 127.0.0.1"
    )
    header = (
        f"{'sida':<28} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} "
        f"{'p95 ×':>7} {'req/s ×':>8} {'mål':>6}"
    )
    print(header)
    print("-" * len(header))
    failed = False
    for label, _path, target, r in rows:
        ratio_p95 = r["p95"] / baseline["p95"]
        ratio_rps = baseline["rps"] / r["rps"]
        verdict = ""
        if target is not None:
            verdict = f"≤{target:g}×" + (" ok" if ratio_p95 <= target else " MISS")
            failed |= ratio_p95 > target
        errors = int(r["errors"] + r["non2xx"])
        print(
            f"{label:<28} {r['p50'] / 1000:>8.2f} {r['p95'] / 1000:>8.2f} {r['rps']:>8.0f} "
            f"{ratio_p95:>7.2f} {ratio_rps:>8.2f} {verdict:>6}"
            + (f"  ({errors} fel)" if errors else "")
        )
    from bench.task_queue import queue_report

    failed |= not queue_report(queued)
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
