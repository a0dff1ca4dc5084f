"""The suite and the demo stay fast (targets: the whole suite ≤ 6 min,
``seed_demo`` ≤ 30 s, and what ``make run`` does after installing, migrate
and seed a fresh database, ≤ 90 s).

The demo is timed here, on a fresh database beside the bench's own. The
suite is not run again (it takes minutes): its time is the one the last
whole ``make test`` left in .artifacts/suite-timing.json (tests/conftest.py),
printed with the commit it was measured on; a figure from another commit, or
none, counts as not measured.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SUITE_MINUTES = 6
SEED_SECONDS = 30
RUN_SECONDS = 90


def _fresh_database_url() -> str:
    """A new, empty database on the bench's server, as a DATABASE_URL."""
    import psycopg
    from django.db import connection

    db = connection.settings_dict
    name = f"{db['NAME']}_demo"
    with psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = quote(db["USER"] or "", safe="") + (
        ":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else ""
    )
    host = quote(db["HOST"] or "localhost", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{name}"


def _timed(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


def suite_and_demo() -> bool:
    env = dict(os.environ, DATABASE_URL=_fresh_database_url(), FINSAM_ENV="development")
    migrate = _timed(["migrate", "--noinput"], env)
    seed = _timed(["seed_demo"], env)
    print("\nSviten och demon")
    seed_ok = seed <= SEED_SECONDS
    run_ok = migrate + seed <= RUN_SECONDS
    print(f"  seed_demo: {seed:.1f} s, mål ≤ {SEED_SECONDS} s. " + ("ok" if seed_ok else "MISS"))
    print(
        f"  make run utan installation (migrate {migrate:.1f} s + seed_demo): "
        f"{migrate + seed:.1f} s, mål ≤ {RUN_SECONDS} s. " + ("ok" if run_ok else "MISS")
    )
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    timing = ROOT / ".artifacts" / "suite-timing.json"
    suite_ok = False
    if not timing.exists():
        print("  Sviten: inte mätt (kör make test först). MISS")
    else:
        suite = json.loads(timing.read_text())
        minutes = suite["seconds"] / 60
        measured_here = suite["commit"] == head
        suite_ok = measured_here and minutes <= SUITE_MINUTES
        print(
            f"  Sviten: {minutes:.1f} min för {suite['tests']} tester ({suite['finished']}, "
            f"commit {suite['commit'][:10]}"
            + ("" if measured_here else f", inte {head[:10]} som nu")
            + f"), mål ≤ {SUITE_MINUTES} min. "
            + ("ok" if suite_ok else "MISS")
        )
    return seed_ok and run_ok and suite_ok


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
    os.environ.setdefault("FINSAM_ENV", "development")
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("EMBEDDED_DATABASE", "finsam_bench")
    import django

    django.setup()
    sys.exit(0 if suite_and_demo() else 1)
