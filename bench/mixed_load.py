"""A mixed load: USERS simulated people for SECONDS against the bench's
gunicorn, with the task queue's worker running beside it (bench/locustfile.py
says who they are and what they do). Targets: p95 over all requests ≤ 10× the
trivial view's p95 measured idle in the same run, no failed request, and
nothing lost: every status a processledare was told is saved is in the
database, with its note.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = 50
SECONDS = 60
RAMP = 10  # the users arrive over this many seconds; the figures count from then
TARGET = 10
PROCESSLEDARE = 20


def _plan(users) -> dict:
    from django.db.models import Count

    from bench import pages as daily
    from board.models import BoardMembership, Minutes, Posting
    from participants.models import Participation, StatusKind
    from projects.models import Project, ProjectStaff

    project = (
        Project.objects.filter(orientation="individinriktad")
        .annotate(n=Count("participations"))
        .order_by("-n")
        .first()
    )
    staff = list(
        ProjectStaff.objects.filter(user__username__startswith="bench-")
        .select_related("user")
        .order_by("pk")[:PROCESSLEDARE]
    )
    processledare = []
    for member in staff:
        open_ones = list(
            Participation.objects.filter(project_id=member.project_id, end_year__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:20]
        )
        if open_ones:
            processledare.append(
                {"cookie": daily.session_for(member.user), "participations": open_ones}
            )
    board = [
        {"cookie": daily.session_for(m.user)}
        for m in BoardMembership.objects.select_related("user").order_by("pk")[:6]
    ]
    for_justering = Minutes.objects.get(status="for_justering")
    justerat = Posting.objects.filter(minutes__isnull=False).order_by("-posted_on").first()
    year = for_justering.meeting.date.year

    def page(label, path):
        return {"label": label, "path": path}

    return {
        "people": {
            "kansli": [{"cookie": daily.session_for(users["kansli"])}],
            "processledare": processledare,
            "styrelse": board,
            "allmanheten": [{}],
            "ekonom": [{"cookie": daily.session_for(users["ekonomi"])}],
        },
        "status_kinds": list(StatusKind.objects.filter(active=True).values_list("pk", flat=True)),
        "pages": {
            "kansli": [
                page("Översikt", "/"),
                page("Insatser, lista", "/insatser/"),
                page("Insats, översikt", f"/insatser/{project.pk}/"),
                page("Insats, budget", f"/insatser/{project.pk}/budget/"),
                page("Bevakning", "/insatser/bevakning/?state=vantar"),
                page("Ansökningar, inkorg", "/insatser/inkorg/"),
            ],
            "styrelse": [
                page("Styrelsen, sammanträden", "/styrelsen/"),
                page("Protokoll för justering", f"/styrelsen/protokoll/{for_justering.pk}/"),
                page("Protokoll, justerat", f"/styrelsen/protokoll/{justerat.minutes_id}/"),
            ],
            "allmanheten": [
                page("Anslagstavla", "/anslagstavla/"),
                page("Protokollarkiv", "/anslagstavla/arkiv/"),
                page("Protokoll (publik)", f"/anslagstavla/protokoll/{justerat.minutes_id}/"),
            ],
            "ekonom": [
                page("Budget, export", f"/insatser/{project.pk}/budget/export/"),
                page(
                    "Utbetalningslista, xlsx",
                    f"/insatser/utbetalningar/export/?start={year}-01-01&end={year}-12-31",
                ),
            ],
        },
    }


def mixed_load(base: str, cookies: dict, users: dict, baseline: dict) -> dict:
    """Run the load (a worker beside it) and gather what the report prints."""
    from participants.models import StatusEntry

    work = Path(tempfile.mkdtemp(prefix="finsam-mixed-"))
    (work / "plan.json").write_text(json.dumps(_plan(users)))
    log = work / "saved.txt"
    log.touch()
    env = dict(os.environ, BENCH_MIXED=str(work / "plan.json"), BENCH_MIXED_LOG=str(log))
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--concurrency", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench/locustfile.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                str(USERS / RAMP),
                "--reset-stats",
                "--run-time",
                f"{SECONDS + RAMP}s",
                "--host",
                base,
                "--csv",
                str(work / "mixed"),
                "--only-summary",
                "--loglevel",
                "ERROR",
            ],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
            timeout=SECONDS + RAMP + 120,
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    with (work / "mixed_stats.csv").open() as f:
        rows = list(csv.DictReader(f))
    saved = [line for line in log.read_text().splitlines() if line]
    found = StatusEntry.objects.filter(note__in=saved).count()
    return {"rows": rows, "saved": len(saved), "found": found, "baseline": baseline}


def mixed_report(result: dict) -> bool:
    rows, baseline_ms = result["rows"], result["baseline"]["p95"] / 1000
    total = next(r for r in rows if r["Name"] == "Aggregated")
    p95 = float(total["95%"])
    failures = int(total["Failure Count"])
    ratio = p95 / baseline_ms
    lost = result["saved"] - result["found"]
    ok = ratio <= TARGET and failures == 0 and lost == 0 and result["saved"] > 0
    print(
        f"\nBlandad last: {USERS} simulerade användare i {SECONDS} s efter {RAMP} s upptrappning "
        f"(locust), gunicorn 2 workers och en worker för kön"
    )
    header = f"{'vad':<34} {'anrop':>6} {'fel':>4} {'p50 ms':>7} {'p95 ms':>7}"
    print(header)
    print("-" * len(header))
    for r in rows:
        if r["Name"] == "Aggregated":
            continue
        print(
            f"{r['Name'][:34]:<34} {r['Request Count']:>6} {r['Failure Count']:>4} "
            f"{float(r['50%']):>7.0f} {float(r['95%']):>7.0f}"
        )
    print(
        f"Alla anrop: {total['Request Count']}, {failures} fel, p95 {p95:.0f} ms = "
        f"{ratio:.1f}× den triviala vyn (mål ≤ {TARGET}×). Loggade statusar: {result['saved']}, "
        f"i databasen: {result['found']}. " + ("ok" if ok else "MISS")
    )
    return ok
