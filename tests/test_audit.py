import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from finsam import services
from finsam.audit import set_actor
from finsam.models import AuditAction, AuditEntry, Member, MemberKind
from tests import factories


def entries_for(obj):
    return AuditEntry.objects.filter(table_name=obj._meta.db_table, object_id=str(obj.pk)).order_by(
        "id"
    )


def test_a_service_write_is_logged_with_the_actor_and_the_new_values(persona_users):
    actor = persona_users["ekonomi"]
    member = services.member_save(
        actor=actor,
        member=Member(
            name="Norrby kommun",
            kind=MemberKind.KOMMUN,
            population=1200,
            population_date="2025-12-31",
        ),
    )

    entry = entries_for(member).get()
    assert entry.action == AuditAction.INSERT
    assert entry.actor == actor
    assert entry.new_values["name"] == "Norrby kommun"
    assert entry.old_values is None


def test_an_update_records_only_the_changed_fields_old_and_new(persona_users):
    member = factories.member(name="Söderby kommun", population=1000)
    member.population = 1100
    services.member_save(actor=persona_users["kansli"], member=member)

    update = entries_for(member).filter(action=AuditAction.UPDATE).get()
    assert update.old_values == {"population": 1000}
    assert update.new_values == {"population": 1100}
    assert update.actor == persona_users["kansli"]


def test_bulk_updates_and_raw_sql_cannot_slip_past_the_log(db):
    a = factories.member(population=100)
    b = factories.member(population=200)

    Member.objects.filter(pk__in=[a.pk, b.pk]).update(population=300)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM finsam_member WHERE id = %s", [a.pk])

    assert entries_for(b).filter(action=AuditAction.UPDATE).count() == 1
    assert entries_for(a).filter(action=AuditAction.DELETE).get().old_values["population"] == 300


def test_the_password_hash_never_enters_the_log(db):
    user = factories.user()
    user.set_password("ett-annat-langt-losenord")
    user.save()

    for entry in entries_for(user):
        assert "password" not in (entry.new_values or {})
        assert "password" not in (entry.old_values or {})


def test_the_audit_log_refuses_update_and_delete_even_in_raw_sql(db):
    entry = services.log_event(actor=None, action=AuditAction.EVENT, message="något hände")
    before = AuditEntry.objects.count()  # migrations' data is logged too

    for statement in (
        "UPDATE finsam_auditentry SET message = 'ändrad'",
        "DELETE FROM finsam_auditentry",
    ):
        with pytest.raises(DatabaseError, match="får bara utökas"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)

    assert AuditEntry.objects.count() == before
    assert AuditEntry.objects.get(pk=entry.pk).message == "något hände"


def test_the_audit_log_refuses_changes_through_the_orm(db):
    entry = services.log_event(actor=None, action=AuditAction.EVENT, message="x")

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(message="y")
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()


def test_log_event_records_reads_and_exports_with_who_and_what(persona_users):
    actor = persona_users["kansli"]
    member = factories.member()

    services.log_event(
        actor=actor, action=AuditAction.EXPORT, obj=member, message="Export av medlemslista"
    )

    entry = entries_for(member).get(action=AuditAction.EXPORT)
    assert entry.actor == actor
    assert entry.message == "Export av medlemslista"


@pytest.mark.django_db(transaction=True)
def test_the_actor_set_for_a_transaction_ends_with_it(persona_users):
    with transaction.atomic():
        set_actor(persona_users["kansli"])
        first = factories.member()
    second = factories.member()

    assert entries_for(first).get().actor == persona_users["kansli"]
    assert entries_for(second).get().actor is None


def test_a_web_request_logs_the_logged_in_user_as_actor(persona_users, personas):
    member = factories.member(name="Västby kommun")
    personas["kansli"].post(
        reverse("administration:member", args=[member.pk]),
        {
            "name": "Västby kommun",
            "kind": "kommun",
            "population": "4321",
            "population_date": "2025-12-31",
            "active": "on",
        },
    )

    update = entries_for(member).get(action=AuditAction.UPDATE)
    assert update.actor == persona_users["kansli"]
    assert update.new_values == {"population": 4321}
    assert update.context.startswith("POST /administration/medlemmar/")


def test_the_history_panel_shows_changes_in_swedish(persona_users, personas):
    member = factories.member(name="Österby kommun", population=1000)
    member.population = 1500
    services.member_save(actor=persona_users["kansli"], member=member)

    page = personas["kansli"].get(reverse("administration:member", args=[member.pk]))
    text = page.content.decode()

    assert "Historik" in text
    assert "Folkmängd" in text
    assert "<del>1000</del> → <ins>1500</ins>" in text
    assert "Kim Kansli" in text
    assert "Skapad" in text and "Ändrad" in text


def test_times_in_the_history_are_shown_in_stockholm_time(ekonomi, persona_users):
    import datetime as dt

    target = persona_users["kansli"]
    type(target).objects.filter(pk=target.pk).update(
        last_login=dt.datetime(2026, 6, 1, 10, 30, tzinfo=dt.UTC)
    )

    page = ekonomi.get(reverse("administration:user", args=[target.pk])).content.decode()

    assert "2026-06-01 12:30" in page  # summer time, UTC+2


def test_a_read_names_no_actor_but_a_write_outside_the_services_is_logged_with_the_user(
    persona_users, personas
):
    from django.test.utils import CaptureQueriesContext

    from projects.models import CostCategory

    admin = personas["admin"]
    url = reverse("admin:projects_costcategory_add")
    admin.get(url)
    with CaptureQueriesContext(connection) as page:
        assert admin.get(url).status_code == 200
    response = admin.post(
        url, {"name": "Lokalhyra för test", "order": "9", "is_personnel": "", "active": "on"}
    )

    assert not [q for q in page.captured_queries if "set_config" in q["sql"]]
    assert response.status_code == 302
    category = CostCategory.objects.get(name="Lokalhyra för test")
    entry = entries_for(category).get(action=AuditAction.INSERT)
    assert entry.actor == persona_users["admin"]
    assert entry.context == f"POST {url}"
    with connection.cursor() as cursor:  # and the name is taken back after the response
        cursor.execute("SELECT current_setting('finsam.actor_id', true)")
        assert cursor.fetchone()[0] in ("", None)


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('SELECT "id" FROM "finsam_member"', False),
        ('  (SELECT 1 FROM "a") UNION ALL (SELECT 2 FROM "b")', False),
        ("WITH a AS MATERIALIZED (SELECT 1) SELECT * FROM a", False),
        ("SAVEPOINT s1", False),
        ('INSERT INTO "finsam_member" (name) VALUES (%s)', True),
        ('UPDATE "finsam_member" SET name = %s', True),
        ('DELETE FROM "finsam_member"', True),
        ('WITH gone AS (DELETE FROM "finsam_member" RETURNING id) SELECT * FROM gone', True),
        ('DECLARE "c" NO SCROLL CURSOR FOR SELECT 1', True),  # not known to read: named
    ],
)
def test_the_actor_is_named_before_any_statement_that_may_write(sql, writes):
    from finsam.middleware import _may_write

    assert _may_write(sql) is writes
