"""Work done off the request, on the task queue (Procrastinate, in the same
PostgreSQL database): one place where a service hands a job over.

A job is deferred when the transaction that asked for it commits, so a
rolled-back request enqueues nothing. Under ``FINSAM_JOBS_EAGER`` (the test
settings) the job runs at once, in the caller's transaction, so that tests
see its effect without a worker; the end-to-end tests run the real worker.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import connections, transaction


def enqueue(task, **kwargs) -> None:
    """Run ``task`` with ``kwargs`` on a worker, once the transaction commits."""
    enqueue_each(task, [kwargs])


def enqueue_each(task, each: list[dict]) -> None:
    """Run ``task`` once with each of ``each``'s kwargs on a worker, deferred
    together in one query when the transaction commits (a kallelse to 30)."""
    if settings.FINSAM_JOBS_EAGER:
        for kwargs in each:
            task(**kwargs)
        return
    if each:
        transaction.on_commit(lambda: task.batch_defer(*each))


def in_worker(func):
    """A job's function: the database connections its worker thread opened
    are closed when it ends, as after a request (not when it runs eagerly, in
    its caller's transaction)."""

    @functools.wraps(func)
    def run(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        finally:
            if not settings.FINSAM_JOBS_EAGER:
                connections.close_all()

    return run
