"""The database's two roles (README, "Drift"): the owner, who migrates, and
the app, which runs every request and job and owns nothing."""

from __future__ import annotations

import re

from django.db import connection

# Tables the app may only add to: the audit log and its chain.
APPEND_ONLY_TABLES = ("finsam_auditentry", "finsam_auditseal")


ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def grant_statements(*, owner: str, app: str, create: bool = False) -> list[str]:
    for role in (owner, app):
        if not ROLE_NAME.fullmatch(role):
            raise ValueError(f"Ogiltigt rollnamn: {role!r}")
    o, a = _quoted(owner), _quoted(app)
    database = _quoted(connection.settings_dict["NAME"])
    statements = []
    if create:
        for role in (owner, app):
            # The name is checked against ROLE_NAME above.
            exists = f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'"  # noqa: S608
            statements.append(
                f"DO $$ BEGIN IF NOT EXISTS ({exists}) THEN "
                f"CREATE ROLE {_quoted(role)} NOLOGIN; END IF; END $$"
            )
    statements += [
        f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {a}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"REVOKE CREATE ON SCHEMA public FROM {a}",
        f"GRANT USAGE ON SCHEMA public TO {a}",
        # Every table, as the owner holds them now.
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {a}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {a}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {a}",
        f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {a}",
        # And tables the owner's future migrations create.
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {a}",
    ]
    for table in APPEND_ONLY_TABLES:
        statements.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {_quoted(table)} FROM {a}")
    return statements
