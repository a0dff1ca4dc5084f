"""Running the task queue's real worker from a test, until no job is due."""

from __future__ import annotations

import threading

from django.db import connections


def run_pending(*, queues: list[str] | None = None) -> None:
    """Run every job that is due with a real worker, then return. The
    worker runs in a thread of its own, with its own event loop (Playwright
    may have one running in this thread)."""
    from procrastinate.contrib.django import app

    failure: list[BaseException] = []

    def work():
        try:
            # A worker's own connection, as `manage.py procrastinate worker` opens it.
            with app.replace_connector(app.connector.get_worker_connector()):
                app.run_worker(
                    queues=queues, wait=False, install_signal_handlers=False, listen_notify=False
                )
        except BaseException as problem:  # noqa: BLE001 - raised again in the caller
            failure.append(problem)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, name="finsam-run-pending")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
