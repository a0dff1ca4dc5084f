"""The board's rules: § numbering, quorum, decisions, justering and the lock."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, connections, transaction

from board import content, procedure, rules, selectors, services
from board.models import (
    AttendanceKind,
    DecisionType,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Paragraph,
    Posting,
    Signature,
)
from finsam.roles import STYRELSE
from projects.models import ApplicationStatus, GrantedAmount
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifier(seats):
    return seats[1].user


# --- Appeal dates ------------------------------------------------------------------

TRICKY_DATES = [
    # posted on, last day to appeal, why
    (dt.date(2026, 10, 2), dt.date(2026, 10, 23), "a Friday posting, three weeks is a Friday"),
    (dt.date(2026, 10, 3), dt.date(2026, 10, 26), "three weeks fall on a Saturday"),
    (dt.date(2026, 3, 13), dt.date(2026, 4, 7), "långfredag, påskafton, påskdag, annandag påsk"),
    (dt.date(2027, 3, 5), dt.date(2027, 3, 30), "påsk 2027"),
    (dt.date(2026, 4, 23), dt.date(2026, 5, 15), "Kristi himmelsfärdsdag"),
    (dt.date(2025, 5, 16), dt.date(2025, 6, 9), "nationaldagen on a Friday"),
    (dt.date(2026, 5, 29), dt.date(2026, 6, 22), "midsommarafton and midsommardagen"),
    (dt.date(2026, 12, 3), dt.date(2026, 12, 28), "julafton, juldagen, annandag jul, weekend"),
    (dt.date(2026, 12, 10), dt.date(2027, 1, 4), "nyårsafton, nyårsdagen, weekend"),
    (dt.date(2026, 12, 16), dt.date(2027, 1, 7), "trettondedag jul"),
]


@pytest.mark.parametrize(("posted", "last_day", "why"), TRICKY_DATES)
def test_the_last_day_to_appeal_moves_past_weekends_and_holidays(posted, last_day, why):
    assert rules.appeal_last_day(posted) == last_day, why
    assert rules.posting_taken_down_on(posted) == last_day + dt.timedelta(days=1)


def test_justering_is_due_fourteen_days_after_the_meeting():
    assert rules.justering_deadline(dt.date(2026, 6, 4)) == dt.date(2026, 6, 18)


# --- § numbering -----------------------------------------------------------------


def test_paragraphs_run_on_across_meetings_and_restart_each_year(secretary, seats):
    march = factories.minutes(actor=secretary, date=dt.date(2025, 3, 12))
    june = factories.minutes(actor=secretary, date=dt.date(2025, 6, 4))
    january = factories.minutes(actor=secretary, date=dt.date(2026, 1, 20))

    first = list(march.paragraphs.values_list("number", flat=True))
    second = list(june.paragraphs.values_list("number", flat=True))
    assert first == list(range(1, len(first) + 1))
    assert second == list(range(len(first) + 1, len(first) + len(second) + 1))
    assert list(january.paragraphs.values_list("number", flat=True))[0] == 1


def test_a_number_is_never_given_twice_in_a_year(secretary, seats):
    minutes = factories.minutes(actor=secretary)
    paragraph = minutes.paragraphs.first()

    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - IntegrityError
        Paragraph.objects.create(
            minutes=minutes, year=paragraph.year, number=paragraph.number, title="Kopia"
        )


def test_an_earlier_protocol_takes_no_new_paragraphs_once_a_later_one_has_some(secretary, seats):
    march = factories.minutes(actor=secretary, date=dt.date(2026, 3, 12))
    factories.minutes(actor=secretary, date=dt.date(2026, 6, 4))

    with pytest.raises(ValidationError, match="årets senaste protokoll"):
        services.paragraph_add(actor=secretary, minutes=march, paragraph=Paragraph(title="Sen"))


def test_only_the_years_last_paragraph_may_be_removed(secretary, seats):
    minutes = factories.minutes(actor=secretary)
    paragraphs = list(minutes.paragraphs.order_by("number"))

    with pytest.raises(ValidationError, match="Bara årets sista paragraf"):
        services.paragraph_delete(actor=secretary, paragraph=paragraphs[0])
    services.paragraph_delete(actor=secretary, paragraph=paragraphs[-1])
    added = services.paragraph_add(
        actor=secretary, minutes=minutes, paragraph=Paragraph(title="Ny punkt")
    )

    assert added.number == paragraphs[-1].number


@pytest.mark.django_db(transaction=True)
def test_twenty_people_adding_paragraphs_at_once_get_unique_consecutive_numbers(persona_users):
    factories.roles_exist()
    secretary = persona_users["kansli"]
    factories.board(chair=persona_users["styrelseledamot"])
    minutes = factories.minutes(actor=secretary)
    before = minutes.paragraphs.count()
    start = threading.Barrier(20)
    errors = []

    def add(n):
        try:
            start.wait()
            services.paragraph_add(
                actor=secretary, minutes=minutes, paragraph=Paragraph(title=f"Ärende {n}")
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    numbers = sorted(Paragraph.objects.filter(year=2026).values_list("number", flat=True))
    assert numbers == list(range(1, before + 21))


# --- Quorum and attendance ------------------------------------------------------


def test_quorum_needs_more_than_half_of_the_ledamoter(secretary, seats):
    minutes = factories.minutes(actor=secretary)  # 3 ledamöter present
    assert procedure.quorum(minutes).reached

    absent = minutes.attendance.filter(kind=AttendanceKind.VOTING)[:2]
    for row in absent:
        services.attendance_delete(actor=secretary, attendance=row)
    assert not procedure.quorum(minutes).reached

    deputy = minutes.attendance.filter(kind=AttendanceKind.DEPUTY).first()
    deputy.kind = AttendanceKind.SERVING_DEPUTY
    deputy.replaces = "Ledamot som var förhindrad"
    services.attendance_save(actor=secretary, attendance=deputy)
    assert procedure.quorum(minutes).reached


def test_a_serving_deputy_must_name_the_ledamot(secretary, seats):
    minutes = factories.minutes(actor=secretary)
    deputy = minutes.attendance.filter(kind=AttendanceKind.DEPUTY).first()
    deputy.kind = AttendanceKind.SERVING_DEPUTY

    with pytest.raises(ValidationError, match="vilken ledamot"):
        services.attendance_save(actor=secretary, attendance=deputy)


# --- Decisions on applications -------------------------------------------------------


def test_a_grant_in_a_paragraph_grants_the_application_in_the_same_transaction(secretary, seats):
    application = factories.ready_application(budget={2026: 400_000, 2027: 380_000})
    minutes = factories.minutes(actor=secretary, date=dt.date(2026, 6, 4))
    paragraph = minutes.paragraphs.get(application=application)

    paragraph.decision_type = DecisionType.GRANT
    paragraph.decision_text = "Styrelsen beslutar att bevilja 780 000 kr för 2026–2027."
    services.paragraph_update(actor=secretary, paragraph=paragraph)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    assert application.decided_on == dt.date(2026, 6, 4)
    assert application.decision_paragraph == paragraph
    assert application.decision_reference == f"Styrelsen 2026-06-04 § {paragraph.number}"
    assert dict(GrantedAmount.objects.values_list("year", "amount")) == {
        2026: 400_000,
        2027: 380_000,
    }


def test_a_partial_grant_needs_amounts_and_a_bad_one_leaves_nothing_half_written(secretary, seats):
    application = factories.ready_application(budget={2026: 400_000})
    minutes = factories.minutes(actor=secretary)
    paragraph = minutes.paragraphs.get(application=application)
    paragraph.decision_type = DecisionType.GRANT_PARTLY
    paragraph.decision_text = "Styrelsen beslutar att bevilja 500 000 kr."

    with pytest.raises(ValidationError) as error:
        services.paragraph_update(actor=secretary, paragraph=paragraph, granted={2026: 500_000})

    assert "högst det sökta beloppet" in str(error.value)
    paragraph.refresh_from_db()
    application.refresh_from_db()
    assert paragraph.decision_type == ""
    assert application.status == ApplicationStatus.READY

    paragraph.decision_type = DecisionType.GRANT_PARTLY
    services.paragraph_update(actor=secretary, paragraph=paragraph, granted={2026: 250_000})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PARTLY_GRANTED


def test_a_recorded_decision_on_an_application_cannot_be_switched(secretary, seats):
    application = factories.ready_application()
    minutes = factories.minutes(actor=secretary)
    paragraph = minutes.paragraphs.get(application=application)
    paragraph.decision_type = DecisionType.REJECT
    paragraph.decision_text = "Styrelsen beslutar att avslå ansökan."
    services.paragraph_update(actor=secretary, paragraph=paragraph)

    paragraph.decision_type = DecisionType.GRANT
    with pytest.raises(ValidationError, match="redan registrerat"):
        services.paragraph_update(actor=secretary, paragraph=paragraph)


def test_protocols_refuse_personnummer(secretary, seats):
    minutes = factories.minutes(actor=secretary)
    paragraph = minutes.paragraphs.first()
    paragraph.discussion = f"Gäller {factories.personnummer('19900115')}."

    with pytest.raises(ValidationError, match="personnummer"):
        services.paragraph_update(actor=secretary, paragraph=paragraph)


def test_only_the_kansli_writes_protocols(persona_users, seats):
    with pytest.raises(PermissionDenied):
        factories.minutes(actor=persona_users["styrelseledamot"])


# --- Kallelse ---------------------------------------------------------------------


def test_the_kallelse_goes_to_ledamoter_and_ersattare_with_a_calendar_invitation(
    secretary, seats, django_capture_on_commit_callbacks
):
    meeting = factories.meeting(actor=secretary, date=dt.date(2027, 2, 11))

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.meeting_send_notice(actor=secretary, meeting=meeting)

    assert sent == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.user.email for s in seats)
    name, ics, mimetype = mail.outbox[0].attachments[0]
    assert name == "sammantrade.ics" and mimetype.startswith("text/calendar")
    assert "DTSTART;TZID=Europe/Stockholm:20270211T090000" in str(ics)
    assert "Sammanträdet öppnas" in mail.outbox[0].body
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CALLED


def test_a_kallelse_to_twice_the_board_costs_no_more_queries_and_one_hand_over_to_the_queue(
    secretary, seats, django_capture_on_commit_callbacks
):
    from django.test.utils import CaptureQueriesContext, override_settings

    from finsam.models import Mail

    counts = []
    for n in range(2):
        meeting = factories.meeting(actor=secretary, date=dt.date(2027, 2, 11 + n))
        with (
            override_settings(FINSAM_JOBS_EAGER=False),
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks() as handed_over,
        ):
            sent = services.meeting_send_notice(actor=secretary, meeting=meeting)
        counts.append((sent, len(queries)))
        assert len(handed_over) == 1, "all the mails' jobs are deferred together"
        assert Mail.objects.filter(topic=f"kallelse:{meeting.pk}").count() == sent
        factories.board(seats=3)  # six more board members for the next kallelse

    (six, first), (twelve, second) = counts
    assert (six, twelve) == (6, 12) and second == first


def test_a_new_meeting_has_the_standard_agenda_and_the_applications_ready_for_decision(
    secretary, seats
):
    application = factories.ready_application()
    meeting = factories.meeting(actor=secretary, date=dt.date(2027, 2, 11))

    titles = list(meeting.agenda.values_list("title", flat=True))
    assert titles[:3] == [
        "Sammanträdet öppnas",
        "Val av justerare och justeringsdag",
        "Fastställande av dagordning",
    ]
    assert "Sammanträdet avslutas" == titles[-1]
    assert meeting.agenda.filter(application=application).exists()


# --- Justering -------------------------------------------------------------------


def test_signing_needs_the_password_and_a_fresh_second_factor(secretary, seats, chair, verifier):
    minutes = factories.minutes(actor=secretary)
    factories.ready_for_justering(secretary, minutes, chair, verifier)

    with pytest.raises(ValidationError) as error:
        services.minutes_sign(actor=chair, minutes=minutes, password="fel", token="000000")

    assert set(error.value.message_dict) == {"password", "token"}
    assert not Signature.objects.exists()


def test_someone_who_is_not_a_signer_cannot_sign(secretary, seats, chair, verifier):
    minutes = factories.minutes(actor=secretary)
    factories.ready_for_justering(secretary, minutes, chair, verifier)
    outsider = factories.user(roles=(STYRELSE,))

    with pytest.raises(PermissionDenied):
        factories.sign(outsider, minutes)


def test_when_all_have_signed_the_protocol_is_justerat_and_posted(
    secretary, seats, chair, verifier, django_capture_on_commit_callbacks
):
    minutes = factories.minutes(actor=secretary)
    with django_capture_on_commit_callbacks(execute=True):
        factories.ready_for_justering(secretary, minutes, chair, verifier)
    assert {m.to[0] for m in mail.outbox} == {chair.email, verifier.email}
    assert "/styrelsen/justera/" in mail.outbox[0].body

    factories.sign(chair, minutes)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.FOR_JUSTERING
    factories.sign(verifier, minutes)

    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.JUSTERAT
    assert minutes.content_hash == content.content_hash(minutes)
    posting = Posting.objects.get(minutes=minutes)
    assert posting.appeal_last_day == rules.appeal_last_day(posting.posted_on)
    document = minutes.documents.get()
    assert bytes(document.content).startswith(b"%PDF-")


def test_an_edit_after_a_signature_voids_it(secretary, seats, chair, verifier):
    minutes = factories.minutes(actor=secretary)
    factories.ready_for_justering(secretary, minutes, chair, verifier)
    factories.sign(chair, minutes)
    services.minutes_take_back(actor=secretary, minutes=minutes)

    paragraph = minutes.paragraphs.first()
    paragraph.discussion = "Ett tillägg efter ordförandens signatur."
    services.paragraph_update(actor=secretary, paragraph=paragraph)
    services.minutes_send_for_justering(actor=secretary, minutes=minutes)
    factories.sign(verifier, minutes)

    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.FOR_JUSTERING  # the chair must sign again
    valid = {signer.user: ok for signer, _sig, ok in selectors.signing_state(minutes)}
    assert valid == {chair: False, verifier: True}


def test_a_signer_may_ask_for_a_correction(
    secretary, seats, chair, verifier, django_capture_on_commit_callbacks
):
    minutes = factories.minutes(actor=secretary)
    factories.ready_for_justering(secretary, minutes, chair, verifier)

    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_request_correction(
            actor=verifier, minutes=minutes, comment="§ 3 saknar beslutet."
        )

    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT
    assert "§ 3 saknar beslutet." in minutes.correction_request
    assert mail.outbox[-1].to == [secretary.email]


@pytest.mark.django_db(transaction=True)
def test_two_justerare_signing_at_the_same_moment_are_both_recorded(persona_users):
    factories.roles_exist()
    secretary, chair = persona_users["kansli"], persona_users["styrelseledamot"]
    seats = factories.board(chair=chair)
    verifier = seats[1].user
    minutes = factories.minutes(actor=secretary)
    factories.ready_for_justering(secretary, minutes, chair, verifier)
    start = threading.Barrier(2)
    errors = []

    def sign(user):
        try:
            start.wait()
            factories.sign(user, Minutes.objects.get(pk=minutes.pk))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(u,)) for u in (chair, verifier)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    minutes.refresh_from_db()
    assert minutes.signatures.count() == 2
    assert minutes.status == MinutesStatus.JUSTERAT
    assert Posting.objects.filter(minutes=minutes).count() == 1


def test_reminders_go_to_those_who_have_not_signed_once_a_day(
    secretary, seats, chair, verifier, settings
):
    minutes = factories.minutes(actor=secretary, date=dt.date(2026, 3, 12))
    factories.ready_for_justering(secretary, minutes, chair, verifier)
    factories.sign(chair, minutes)
    mail.outbox.clear()
    deadline = rules.justering_deadline(dt.date(2026, 3, 12))
    near = dt.datetime.combine(deadline - dt.timedelta(days=2), dt.time(8), tzinfo=dt.UTC)

    assert services.justering_remind(now=near - dt.timedelta(days=10)) == 0
    assert services.justering_remind(now=near) == 1
    assert services.justering_remind(now=near + dt.timedelta(hours=2)) == 0
    assert mail.outbox[0].to == [verifier.email]
    assert deadline.isoformat() in mail.outbox[0].subject


# --- The lock -----------------------------------------------------------------------


@pytest.fixture
def justerat(secretary, seats, chair, verifier):
    minutes = factories.minutes(actor=secretary)
    factories.ready_for_justering(secretary, minutes, chair, verifier)
    factories.sign(chair, minutes)
    factories.sign(verifier, minutes)
    minutes.refresh_from_db()
    assert minutes.is_locked
    return minutes


def test_a_justerat_protocol_refuses_changes_through_the_orm(justerat):
    paragraph = justerat.paragraphs.first()
    paragraph.decision_text = "Något annat"

    with pytest.raises(DatabaseError, match="justerat"), transaction.atomic():
        paragraph.save()
    with pytest.raises(DatabaseError, match="justerat"), transaction.atomic():
        Minutes.objects.filter(pk=justerat.pk).update(justering_place="Annan plats")
    with pytest.raises(DatabaseError, match="justerat"), transaction.atomic():
        justerat.signatures.all().delete()
    with pytest.raises(DatabaseError, match="justerat"), transaction.atomic():
        Paragraph.objects.create(minutes=justerat, year=2026, number=999, title="Tillägg")
    with pytest.raises(DatabaseError, match="justerat"), transaction.atomic():
        justerat.meeting.place = "Någon annanstans"
        justerat.meeting.save()


def test_a_justerat_protocol_refuses_changes_through_raw_sql(justerat):
    for statement in (
        "UPDATE board_paragraph SET title = 'Ändrad' WHERE minutes_id = %s",
        "DELETE FROM board_attendance WHERE minutes_id = %s",
        "UPDATE board_minutes SET status = 'utkast' WHERE id = %s",
        "DELETE FROM board_signer WHERE minutes_id = %s",
    ):
        with pytest.raises(DatabaseError, match="justerat"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [justerat.pk])
    assert Paragraph.objects.filter(minutes=justerat, title="Ändrad").count() == 0


def test_the_services_refuse_a_justerat_protocol_in_swedish(justerat, secretary):
    paragraph = justerat.paragraphs.first()
    paragraph.title = "Ny rubrik"

    with pytest.raises(ValidationError, match="justerat och kan inte ändras"):
        services.paragraph_update(actor=secretary, paragraph=paragraph)


def test_the_anslag_is_append_only(justerat):
    with pytest.raises(DatabaseError), transaction.atomic():
        Posting.objects.filter(minutes=justerat).update(taken_down_on=dt.date(2030, 1, 1))


def test_the_reminder_command_can_run_from_cron(secretary, seats, chair, verifier, capsys):
    from django.core.management import call_command

    minutes = factories.minutes(actor=secretary, date=dt.date(2026, 3, 12))
    factories.ready_for_justering(secretary, minutes, chair, verifier)

    call_command("paminn_justering")

    # The deadline (2026-03-26) has passed: both signers are reminded.
    assert "Skickade 2 påminnelser." in capsys.readouterr().out
    assert {m.to[0] for m in mail.outbox} >= {chair.email, verifier.email}


# --- Order of the §§ ---------------------------------------------------------------


def _titles(minutes):
    return list(minutes.paragraphs.order_by("number").values_list("number", "title"))


def test_a_paragraph_added_late_lands_before_the_closing_one(secretary, seats):
    minutes = factories.minutes(actor=secretary)
    before = _titles(minutes)
    assert before[-1][1] == "Sammanträdet avslutas"

    services.paragraph_add(
        actor=secretary, minutes=minutes, paragraph=Paragraph(title="Extra ärende")
    )

    after = _titles(minutes)
    numbers = [n for n, _t in after]
    assert after[-2][1] == "Extra ärende" and after[-1][1] == "Sammanträdet avslutas"
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))  # gapless
    assert after[-1][0] == before[-1][0] + 1


def test_paragraphs_of_a_draft_move_up_and_down_and_the_year_stays_gapless(secretary, seats, chair):
    earlier = factories.minutes(actor=secretary, date=dt.date(2026, 2, 1))
    minutes = factories.minutes(actor=secretary, date=dt.date(2026, 3, 12))
    application = factories.ready_application()
    paragraph = services.paragraph_add(
        actor=secretary,
        minutes=minutes,
        paragraph=Paragraph(title="Ansökan", application=application),
    )
    paragraph.decision_type = DecisionType.GRANT
    paragraph.decision_text = "Styrelsen beslutar att bevilja ansökan."
    services.paragraph_update(actor=secretary, paragraph=paragraph)
    first = minutes.paragraphs.order_by("number").first()

    services.paragraph_move(actor=secretary, paragraph=paragraph, step=-1)
    services.paragraph_move(actor=secretary, paragraph=paragraph, step=-1)

    titles = [t for _n, t in _titles(minutes)]
    assert titles[-5:] == [
        "Informationsärenden",
        "Ansökan",
        "Ekonomisk rapport",
        "Övrigt",
        "Sammanträdet avslutas",
    ]
    paragraph.refresh_from_db()
    application.refresh_from_db()
    assert application.decision_reference.endswith(f"§ {paragraph.number}")
    with pytest.raises(ValidationError):
        services.paragraph_move(actor=secretary, paragraph=first, step=-1)

    every = list(Paragraph.objects.filter(year=2026).order_by("number"))
    assert [p.number for p in every] == list(range(1, len(every) + 1))
    assert all(p.minutes_id == earlier.pk for p in every[: earlier.paragraphs.count()])


def test_the_paragraphs_of_a_protocol_out_for_justering_do_not_move(secretary, seats, chair):
    minutes = factories.minutes(actor=secretary)
    factories.ready_for_justering(secretary, minutes, chair, seats[1].user)
    last = minutes.paragraphs.order_by("number").last()

    with pytest.raises(ValidationError, match="skickat för justering"):
        services.paragraph_move(actor=secretary, paragraph=last, step=-1)
