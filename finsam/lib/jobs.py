"""Work done off the request, on the task queue (Procrastinate, in the same
PostgreSQL database): one place where a service hands a job over.

A job is deferred when the transaction that asked for it commits, so a
rolled-back request enqueues nothing. Under ``FINSAM_JOBS_EAGER`` (the test
settings) the job runs at once, in the caller's transaction, so that tests
see its effect without a worker; the end-to-end tests run the real worker.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction


def enqueue(task, **kwargs) -> None:
    """Run ``task`` with ``kwargs`` on a worker, once the transaction commits."""
    if settings.FINSAM_JOBS_EAGER:
        task(**kwargs)
        return
    transaction.on_commit(lambda: task.defer(**kwargs))


def run_pending(*, queues: list[str] | None = None) -> None:
    """Run every job that is due with a real worker, then return: for tests
    and management commands that must see the work done."""
    from procrastinate.contrib.django import app

    app.run_worker(queues=queues, wait=False, install_signal_handlers=False, listen_notify=False)
