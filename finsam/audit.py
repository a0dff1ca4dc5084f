"""The audit log: database triggers for every write, ``log_event`` for reads.

Writes to domain tables are recorded by a PostgreSQL trigger (``AuditTrigger``
in a model's ``Meta.triggers``), so bulk updates and raw SQL cannot slip past.
The acting user reaches the trigger through the session setting
``finsam.actor_id``: the request middleware sets it for a request, and each
service sets it for its own transaction with ``set_actor``.
"""

from __future__ import annotations

import pgtrigger
from django.db import connection

ACTOR_SETTING = "finsam.actor_id"
CONTEXT_SETTING = "finsam.context"

# Installed by finsam's migration 0002; every AuditTrigger calls it.
AUDIT_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION finsam_audit_row(op text, tbl text, old_row jsonb, new_row jsonb)
RETURNS void AS $$
DECLARE
    changed_old jsonb;
    changed_new jsonb;
BEGIN
    IF op = 'UPDATE' THEN
        SELECT coalesce(jsonb_object_agg(n.key, o.value), '{}'::jsonb),
               coalesce(jsonb_object_agg(n.key, n.value), '{}'::jsonb)
          INTO changed_old, changed_new
          FROM jsonb_each(new_row) n JOIN jsonb_each(old_row) o ON o.key = n.key
         WHERE n.value IS DISTINCT FROM o.value;
        IF changed_new = '{}'::jsonb THEN
            RETURN;  -- a no-op update changes nothing worth recording
        END IF;
    ELSE
        changed_old := old_row;
        changed_new := new_row;
    END IF;
    INSERT INTO finsam_auditentry
        (at, actor_id, action, table_name, object_id, old_values, new_values, context, message)
    VALUES (
        now(),
        nullif(current_setting('finsam.actor_id', true), '')::bigint,
        lower(op),
        tbl,
        coalesce(new_row, old_row) ->> 'id',
        changed_old,
        changed_new,
        coalesce(current_setting('finsam.context', true), ''),
        ''
    );
END;
$$ LANGUAGE plpgsql;
"""


# Installed by finsam's migration 0006. Like finsam_audit_row, but every value
# outside ``keep`` is replaced by "(dolt)": the log says who changed which
# field of a participant's record, never what it holds, so that withdrawal of
# consent and gallring leave no copy of the personal data behind in the log.
AUDIT_REDACTED_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION finsam_audit_row_redacted(
    op text, tbl text, old_row jsonb, new_row jsonb, keep text[]
) RETURNS void AS $$
DECLARE
    changed_old jsonb;
    changed_new jsonb;
    hidden CONSTANT jsonb := to_jsonb('(dolt)'::text);
BEGIN
    IF op = 'UPDATE' THEN
        SELECT coalesce(jsonb_object_agg(n.key, CASE WHEN n.key = ANY(keep)
                        OR o.value = 'null'::jsonb THEN o.value ELSE hidden END), '{}'::jsonb),
               coalesce(jsonb_object_agg(n.key, CASE WHEN n.key = ANY(keep)
                        OR n.value = 'null'::jsonb THEN n.value ELSE hidden END), '{}'::jsonb)
          INTO changed_old, changed_new
          FROM jsonb_each(new_row) n JOIN jsonb_each(old_row) o ON o.key = n.key
         WHERE n.value IS DISTINCT FROM o.value;
        IF changed_new = '{}'::jsonb THEN
            RETURN;
        END IF;
    ELSE
        SELECT jsonb_object_agg(r.key, CASE WHEN r.key = ANY(keep)
                        OR r.value = 'null'::jsonb THEN r.value ELSE hidden END)
          INTO changed_old FROM jsonb_each(old_row) r;
        SELECT jsonb_object_agg(r.key, CASE WHEN r.key = ANY(keep)
                        OR r.value = 'null'::jsonb THEN r.value ELSE hidden END)
          INTO changed_new FROM jsonb_each(new_row) r;
    END IF;
    INSERT INTO finsam_auditentry
        (at, actor_id, action, table_name, object_id, old_values, new_values, context, message)
    VALUES (
        now(),
        nullif(current_setting('finsam.actor_id', true), '')::bigint,
        lower(op),
        tbl,
        coalesce(new_row, old_row) ->> 'id',
        changed_old,
        changed_new,
        coalesce(current_setting('finsam.context', true), ''),
        ''
    );
END;
$$ LANGUAGE plpgsql;
"""


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
# Installed by finsam's migration 0014. Every row of finsam_auditentry gets its
# time from the database (finsam_audit_stamp, before insert: a client cannot
# write another) and, when its transaction commits, a seal in
# finsam_auditseal: its place in the chain (seq), the previous seal's hash and
# its own, sha256(previous hash | the row's content). A deferred constraint
# trigger does the sealing, so the chain's lock is held only while a
# transaction commits, not while it works. ``manage.py audit_verify`` walks the
# chain and names the first link that does not hold: a row edited or removed
# by someone who could get past the append-only trigger (the database's
# owner), or a seal forged.

AUDIT_ROW_TEXT_SQL = """
CREATE OR REPLACE FUNCTION finsam_audit_row_text(e finsam_auditentry) RETURNS text AS $$
    SELECT concat_ws('|', e.id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                     coalesce(e.actor_id::text, ''), e.action, e.table_name,
                     coalesce(e.object_id, ''), coalesce(e.old_values::text, ''),
                     coalesce(e.new_values::text, ''), e.context, e.message)
$$ LANGUAGE sql IMMUTABLE;
"""

AUDIT_CHAIN_SQL = """
CREATE OR REPLACE FUNCTION finsam_audit_stamp() RETURNS trigger AS $$
BEGIN
    NEW.at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION finsam_audit_seal() RETURNS trigger AS $$
DECLARE
    last_seq bigint;
    last_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('finsam_auditseal'));
    SELECT seq, row_hash INTO last_seq, last_hash
      FROM finsam_auditseal ORDER BY seq DESC LIMIT 1;
    INSERT INTO finsam_auditseal (seq, entry_id, prev_hash, row_hash)
    VALUES (
        coalesce(last_seq, 0) + 1,
        NEW.id,
        coalesce(last_hash, ''),
        encode(sha256(convert_to(coalesce(last_hash, '') || '|' || finsam_audit_row_text(NEW),
                                 'UTF8')), 'hex')
    );
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS finsam_audit_stamp ON finsam_auditentry;
CREATE TRIGGER finsam_audit_stamp BEFORE INSERT ON finsam_auditentry
    FOR EACH ROW EXECUTE FUNCTION finsam_audit_stamp();

DROP TRIGGER IF EXISTS finsam_audit_seal ON finsam_auditentry;
CREATE CONSTRAINT TRIGGER finsam_audit_seal AFTER INSERT ON finsam_auditentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finsam_audit_seal();

-- The rows already logged are sealed in the order they were written.
DO $$
DECLARE
    e finsam_auditentry;
    n bigint := 0;
    h text := '';
BEGIN
    FOR e IN SELECT * FROM finsam_auditentry ORDER BY id LOOP
        n := n + 1;
        INSERT INTO finsam_auditseal (seq, entry_id, prev_hash, row_hash)
        VALUES (n, e.id, h, encode(sha256(convert_to(h || '|' || finsam_audit_row_text(e),
                                                      'UTF8')), 'hex'));
        SELECT row_hash INTO h FROM finsam_auditseal WHERE seq = n;
    END LOOP;
END $$;
"""

AUDIT_CHAIN_REVERSE_SQL = """
DROP TRIGGER IF EXISTS finsam_audit_seal ON finsam_auditentry;
DROP TRIGGER IF EXISTS finsam_audit_stamp ON finsam_auditentry;
DROP FUNCTION IF EXISTS finsam_audit_seal();
DROP FUNCTION IF EXISTS finsam_audit_stamp();
DROP FUNCTION IF EXISTS finsam_audit_row_text(finsam_auditentry);
"""


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
