"""The audit log: database triggers for every write, ``log_event`` for reads.

Writes to domain tables are recorded by a PostgreSQL trigger (``AuditTrigger``
in a model's ``Meta.triggers``), so bulk updates and raw SQL cannot slip past.
The acting user reaches the trigger through the session setting
``finsam.actor_id``: the request middleware sets it for a request, and each
service sets it for its own transaction with ``set_actor``. The SQL functions
the triggers call, and the hash chain, are installed by finsam's initial
migration (``finsam/migrations/_audit_sql.py``).
"""

from __future__ import annotations

import pgtrigger
from django.db import connection

ACTOR_SETTING = "finsam.actor_id"
CONTEXT_SETTING = "finsam.context"


class AuditTrigger(pgtrigger.Trigger):
    """Records every insert, update and delete of the model's rows.

    ``exclude`` names columns whose values must never enter the log (password
    hashes, ciphertexts); changes to them are logged by the service instead.
    ``keep``, when given, turns on redaction: only those columns' values are
    logged, every other changed column is named with the value "(dolt)".
    """

    when = pgtrigger.After
    operation = pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete

    def __init__(
        self,
        *,
        name: str = "audit",
        exclude: tuple[str, ...] = (),
        keep: tuple[str, ...] | None = None,
    ):
        self.exclude = tuple(exclude)
        self.keep = None if keep is None else tuple(keep)
        super().__init__(name=name)

    def get_func(self, model):
        if self.keep is not None:
            columns = ", ".join(f"'{column}'" for column in ("id", *self.keep))
            return (
                "PERFORM finsam_audit_row_redacted(TG_OP, TG_TABLE_NAME, "
                f"to_jsonb(OLD), to_jsonb(NEW), ARRAY[{columns}]::text[]); RETURN NULL;"
            )
        minus = "".join(f" - '{column}'" for column in self.exclude)
        return (
            f"PERFORM finsam_audit_row(TG_OP, TG_TABLE_NAME, "
            f"to_jsonb(OLD){minus}, to_jsonb(NEW){minus}); RETURN NULL;"
        )


def append_only_trigger() -> pgtrigger.Trigger:
    """Refuses UPDATE and DELETE on the table: rows can only be added."""
    return pgtrigger.Trigger(
        name="append_only",
        when=pgtrigger.Before,
        operation=pgtrigger.Update | pgtrigger.Delete,
        func="RAISE EXCEPTION 'Tabellen % får bara utökas: rader kan inte ändras eller tas bort.', "
        "TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; RETURN NULL;",
    )


def guard_child_trigger(
    *, parent_table: str, parent_of: str, locked_when: str, message: str
) -> pgtrigger.Trigger:
    """On a table whose rows belong to a parent row (a protocol's §§, a
    report's sections): no row may be added, changed or removed while the
    parent is locked. ``parent_of`` is SQL giving the parent's id from the row
    ``rec``; ``locked_when`` is SQL on the parent ``p``. Constants of the
    calling module only, never input."""
    return pgtrigger.Trigger(
        name="locked",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        declare=[("rec", "RECORD")],
        func=f"""
        FOR rec IN SELECT OLD.* WHERE TG_OP <> 'INSERT' UNION ALL
                   SELECT NEW.* WHERE TG_OP <> 'DELETE' LOOP
            IF EXISTS (SELECT 1 FROM {parent_table} p
                        WHERE p.id = ({parent_of}) AND {locked_when}) THEN
                RAISE EXCEPTION '{message}' USING ERRCODE = 'insufficient_privilege';
            END IF;
        END LOOP;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
        """,  # noqa: S608 - constant SQL of the calling module, no input
    )


def set_actor(actor, context: str = "") -> None:
    """Name the acting user for the audit trigger in the current transaction.

    Call inside ``transaction.atomic()``; the setting ends with the transaction.
    Without a ``context`` the request's own (method and path) is kept.
    """
    actor_id = getattr(actor, "pk", None)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, true), set_config(%s, "
            "coalesce(nullif(%s, ''), current_setting(%s, true), ''), true)",
            [ACTOR_SETTING, str(actor_id or ""), CONTEXT_SETTING, context[:200], CONTEXT_SETTING],
        )


def set_session_actor(actor_id: int | None, context: str = "") -> None:
    """Name the acting user for the rest of this database session (a request)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, false), set_config(%s, %s, false)",
            [ACTOR_SETTING, str(actor_id or ""), CONTEXT_SETTING, context[:200]],
        )


# --- The chain: every audit row sealed, in order, at commit -------------------
#
# Installed by finsam's initial migration. Every row of finsam_auditentry gets its
# time from the database (finsam_audit_stamp, before insert: a client cannot
# write another) and, when its transaction commits, a seal in
# finsam_auditseal: its place in the chain (seq), the previous seal's hash and
# its own, sha256(previous hash | the row's content). A deferred constraint
# trigger does the sealing, so the chain's lock is held only while a
# transaction commits, not while it works. ``manage.py audit_verify`` walks the
# chain and names the first link that does not hold: a row edited or removed
# by someone who could get past the append-only trigger (the database's
# owner), or a seal forged.


VERIFY_SQL = """
WITH links AS (
    SELECT s.seq, s.entry_id, s.prev_hash, s.row_hash,
           row_number() OVER (ORDER BY s.seq) AS position,
           coalesce(lag(s.row_hash) OVER (ORDER BY s.seq), '') AS previous,
           e.id IS NOT NULL AS present,
           CASE WHEN e.id IS NULL THEN NULL ELSE encode(sha256(convert_to(
               s.prev_hash || '|' || finsam_audit_row_text(e), 'UTF8')), 'hex') END AS expected
      FROM finsam_auditseal s LEFT JOIN finsam_auditentry e ON e.id = s.entry_id
)
SELECT seq, entry_id,
       CASE WHEN seq <> position THEN 'gap'
            WHEN prev_hash <> previous THEN 'link'
            WHEN NOT present THEN 'missing'
            WHEN row_hash <> expected THEN 'changed' END AS problem
  FROM links
 WHERE seq <> position OR prev_hash <> previous OR NOT present OR row_hash <> expected
 ORDER BY seq
 LIMIT 1
"""

PROBLEMS = {
    "gap": "en länk saknas före denna (kedjan har ett hål)",
    "link": "länken pekar inte på föregående länks kontrollsumma",
    "missing": "historikposten är borttagen",
    "changed": "historikposten har ändrats efter att den skrevs",
}


def verify_chain() -> tuple[int, str | None]:
    """(links checked, a Swedish description of the first broken link or None)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM finsam_auditseal")
        links = cursor.fetchone()[0]
        cursor.execute(VERIFY_SQL)
        broken = cursor.fetchone()
        if broken:
            seq, entry_id, problem = broken
            return links, f"Länk {seq} (historikpost {entry_id}): {PROBLEMS[problem]}."
        cursor.execute(
            "SELECT min(e.id) FROM finsam_auditentry e WHERE NOT EXISTS "
            "(SELECT 1 FROM finsam_auditseal s WHERE s.entry_id = e.id)"
        )
        unsealed = cursor.fetchone()[0]
        if unsealed is not None and not connection.in_atomic_block:
            return links, (
                f"Historikpost {unsealed} saknar länk: den skrevs utan databasens "
                "kontroll (med triggrarna avstängda)."
            )
    return links, None
