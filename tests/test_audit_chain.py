"""The audit log cannot be wiped or rewritten unnoticed (issue 13, item 7).

These run on the machine's PostgreSQL as every test does: the app's role is
created inside the test's transaction, so nothing outlives it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from finsam.audit import verify_chain
from finsam.db_roles import grant_statements
from finsam.models import AuditAction, AuditEntry, AuditSeal
from finsam.services import log_event

pytestmark = pytest.mark.django_db

APP_ROLE = "finsam_app_test"


def _seal_now():
    """Seal what is pending at once (production seals when a transaction commits)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS finsam_audit_seal IMMEDIATE")


def _as_owner_behind_the_triggers(sql, params=()):
    """What only the database's owner could do: write with the triggers off."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def _three_events():
    for n in range(3):
        log_event(actor=None, action=AuditAction.EVENT, message=f"Händelse {n}")
    _seal_now()
    return list(AuditEntry.objects.order_by("id"))


def test_the_database_sets_the_time_of_every_entry():
    forged = AuditEntry.objects.create(
        action=AuditAction.EVENT, table_name="", at=dt.datetime(1999, 1, 1, tzinfo=dt.UTC)
    )
    forged.refresh_from_db()

    assert forged.at.year >= 2026


def test_every_entry_is_sealed_in_order_and_the_chain_holds():
    entries = _three_events()
    seals = list(AuditSeal.objects.order_by("seq"))

    assert [s.entry_id for s in seals[-3:]] == [e.pk for e in entries[-3:]]
    assert all(s.prev_hash == p.row_hash for p, s in zip(seals, seals[1:], strict=False))
    assert verify_chain()[1] is None
    call_command("audit_verify")


def test_an_entry_edited_behind_the_triggers_is_the_first_broken_link():
    entries = _three_events()
    target = entries[-2]
    _as_owner_behind_the_triggers(
        "UPDATE finsam_auditentry SET message = 'Något annat' WHERE id = %s", [target.pk]
    )
    seq = AuditSeal.objects.get(entry_id=target.pk).seq

    links, broken = verify_chain()

    changed = "historikposten har ändrats efter att den skrevs."
    assert broken == f"Länk {seq} (historikpost {target.pk}): {changed}"
    with pytest.raises(CommandError, match="Historikens kedja är bruten"):
        call_command("audit_verify")


def test_an_entry_removed_or_a_link_forged_is_found():
    entries = _three_events()
    _as_owner_behind_the_triggers("DELETE FROM finsam_auditentry WHERE id = %s", [entries[0].pk])

    assert "historikposten är borttagen" in verify_chain()[1]

    _as_owner_behind_the_triggers(
        "UPDATE finsam_auditseal SET prev_hash = repeat('0', 64) WHERE entry_id = %s",
        [entries[-1].pk],
    )
    assert "borttagen" in verify_chain()[1]  # still the first broken link


@pytest.fixture
def as_app_role():
    """The connection acting as the app's role, with the rights db_roles gives it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        cursor.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') "
            f"THEN CREATE ROLE {APP_ROLE} NOLOGIN; END IF; END $$"
        )
        for statement in grant_statements(owner=owner, app=APP_ROLE):
            cursor.execute(statement)
        cursor.execute(f"SET ROLE {APP_ROLE}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def _refused(sql) -> str:
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    return str(refused.value)


def test_the_app_role_cannot_wipe_rewrite_or_unguard_the_log(as_app_role):
    log_event(actor=None, action=AuditAction.EVENT, message="Appen får lägga till")

    assert "permission denied" in _refused("TRUNCATE finsam_auditentry")
    assert "permission denied" in _refused("UPDATE finsam_auditentry SET message = 'x'")
    assert "permission denied" in _refused("DELETE FROM finsam_auditseal")
    assert "must be owner" in _refused("ALTER TABLE finsam_auditentry DISABLE TRIGGER ALL")
    assert "permission denied" in _refused("CREATE TABLE finsam_intrang (id int)")
    assert "must be owner" in _refused("DROP TABLE projects_project")
    assert "permission denied" in _refused("SET session_replication_role = replica")
    assert AuditEntry.objects.filter(message="Appen får lägga till").exists()
