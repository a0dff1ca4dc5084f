from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from finsam.auth import second_factor_exempt


@login_not_required
def ping(request):
    """A trivial view: the baseline for benchmarks."""
    return HttpResponse("ok", content_type="text/plain")


_migrated = False  # once every migration is applied, it stays so


def _migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


# The queue: jobs due and not taken, how long the oldest has waited, and the
# newest heartbeat of a worker.
QUEUE_SQL = """
SELECT
  (SELECT count(*) FROM procrastinate_jobs
    WHERE status = 'todo' AND (scheduled_at IS NULL OR scheduled_at <= now())),
  (SELECT extract(epoch FROM now() - min(e.at)) FROM procrastinate_jobs j
     JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'deferred'
    WHERE j.status = 'todo' AND (j.scheduled_at IS NULL OR j.scheduled_at <= now())),
  (SELECT count(*) FROM procrastinate_workers),
  (SELECT extract(epoch FROM now() - max(last_heartbeat)) FROM procrastinate_workers)
"""


@login_not_required
@second_factor_exempt
@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 when this app server can serve
    (the database answers, every migration is applied), 503 otherwise; with
    the queue's lag and the workers' heartbeat, which do not decide it (an app
    server serves pages without a worker)."""
    report = {"database": "ok", "migrations": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute(QUEUE_SQL)
            waiting, lag, workers, heartbeat = cursor.fetchone()
        if not _migrations_applied():
            report["migrations"] = "not applied"
    except DatabaseError:
        report["database"] = "unreachable"
        return JsonResponse(report | {"status": "fail"}, status=503)
    report["queue"] = {"waiting": waiting, "oldest_seconds": round(float(lag or 0), 1)}
    report["workers"] = {
        "count": workers,
        "last_heartbeat_seconds": None if heartbeat is None else round(float(heartbeat), 1),
    }
    ok = report["migrations"] == "ok"
    return JsonResponse(report | {"status": "ok" if ok else "fail"}, status=200 if ok else 503)
