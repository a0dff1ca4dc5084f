"""The audit log's SQL, as the initial migration installs it. A frozen copy:
a change to a function is a new migration with its own text, so that
migrating a new database always gives the functions of each step.

- ``finsam_audit_row`` is what every ``AuditTrigger`` calls: it writes the
  changed columns of a row, with the actor and context of the transaction.
- ``finsam_audit_row_redacted`` logs only the columns in ``keep`` and writes
  "(dolt)" for every other value: the log says who changed which field of a
  participant's record, never what it holds, so withdrawal of consent and
  gallring leave no copy of the personal data behind.
- ``finsam_audit_stamp`` sets each row's time from the database, and
  ``finsam_audit_seal`` links it into the hash chain when its transaction
  commits (``finsam_auditseal``: sha256(previous link | the row)).
"""

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
"""

AUDIT_CHAIN_REVERSE_SQL = """
DROP TRIGGER IF EXISTS finsam_audit_seal ON finsam_auditentry;
DROP TRIGGER IF EXISTS finsam_audit_stamp ON finsam_auditentry;
DROP FUNCTION IF EXISTS finsam_audit_seal();
DROP FUNCTION IF EXISTS finsam_audit_stamp();
DROP FUNCTION IF EXISTS finsam_audit_row_text(finsam_auditentry);
"""
