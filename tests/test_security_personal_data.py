"""Personnummer and names never reach what the design keeps them out of
(issue 13, item 2), and handlingar are what they claim to be (item 10)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from board import services as board_services
from board.models import Attendance, AttendanceKind
from finsam.lib.validators import contains_personnummer
from finsam.models import AuditEntry
from participants import services as participant_services
from participants.models import StatusKind
from projects.models import ProjectStatus, StaffRole
from tests import factories
from tests.conftest import verified_client

NUMBER = factories.personnummer("19900115")  # 19900115-2389
DIGITS = NUMBER.replace("-", "")


@pytest.mark.parametrize(
    "text",
    [
        NUMBER,
        NUMBER.replace("-", "\u2013"),  # en dash, as Word writes it
        NUMBER.replace("-", "\u2212"),  # minus sign
        NUMBER.replace("-", "\u2011"),  # non-breaking hyphen
        DIGITS,
        DIGITS[2:],
        f"{DIGITS[2:8]} {DIGITS[8:]}",
        f"{DIGITS[2:4]}.{DIGITS[4:6]}.{DIGITS[6:8]}.{DIGITS[8:]}",
        f"{DIGITS[:8]} {DIGITS[8:]}",
        f"{DIGITS[2:8]}+{DIGITS[8:]}",  # over a hundred years old
        "900115-2384",  # a wrong check digit is still unmistakably a personnummer
        "19900175-2385",  # a samordningsnummer (day + 60)
        "Deltagaren ９００１１５－２３８９ fick arbete",  # full-width digits and dash
    ],
)
def test_every_way_of_writing_a_personnummer_is_caught(text):
    assert contains_personnummer(text)


@pytest.mark.parametrize(
    "text",
    [
        "070-123 45 67",
        "0701234567",
        "Dnr 2026-0012",
        "Sammanträdet 2026-03-12 kl. 14.00",
        "Beviljat 1 250 000 kr",
        "Org.nr 222000-1234",
        "§ 12-15",
    ],
)
def test_phone_numbers_dates_amounts_and_organisation_numbers_pass(text):
    assert not contains_personnummer(text)


def test_a_protocols_attendance_name_organisation_and_role_refuse_a_personnummer(secretary):
    minutes = factories.minutes(actor=secretary)
    for field in ("name", "organisation", "role"):
        values = {"name": "Kim Ledamot", field: f"Kim {NUMBER}"}
        attendance = Attendance(minutes=minutes, kind=AttendanceKind.OTHER, **values)
        with pytest.raises(ValidationError, match="allmän handling") as refused:
            board_services.attendance_save(actor=secretary, attendance=attendance)
        assert field in refused.value.message_dict


def test_the_justeringsplats_and_the_meeting_place_refuse_a_personnummer(secretary):
    with pytest.raises(ValidationError, match="personnummer"):
        factories.meeting(actor=secretary, place=f"Hos {NUMBER.replace('-', '–')}")
    minutes = factories.minutes(actor=secretary)
    minutes.justering_place = f"Digital, {NUMBER}"
    with pytest.raises(ValidationError, match="personnummer"):
        board_services.minutes_update(actor=secretary, minutes=minutes)


def test_a_reports_title_refuses_a_personnummer(persona_users):
    from reports import services as report_services

    writer = persona_users["processledare_a"]
    project = factories.project(
        status=ProjectStatus.RUNNING, staff=[(writer, StaffRole.PROCESS_LEADER)]
    )
    with pytest.raises(ValidationError, match="personnummer"):
        report_services.report_create(
            actor=writer,
            project=project,
            kind="delrapport",
            title=f"Rapport om {DIGITS[2:]}",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 6, 30),
        )


@pytest.fixture
def insats(persona_users):
    return factories.project(
        status=ProjectStatus.RUNNING,
        staff=[(persona_users["processledare_a"], StaffRole.PROCESS_LEADER)],
    )


def test_a_status_note_refuses_a_personnummer_and_says_where_identity_belongs(
    insats, persona_users
):
    leader = persona_users["processledare_a"]
    participation = factories.participation(insats, leader)

    with pytest.raises(ValidationError, match="identitetsuppgifterna") as refused:
        participant_services.status_add(
            actor=leader,
            participation=participation,
            kind=factories.choice(StatusKind, "paus"),
            date=participation.start_date,
            note=f"Ringde {NUMBER.replace('-', '–')}",
        )
    assert "note" in refused.value.message_dict
    assert not participation.statuses.exists()


def test_the_consent_scope_refuses_a_personnummer(insats, persona_users):
    leader = persona_users["processledare_a"]

    with pytest.raises(ValidationError, match="identitetsuppgifterna"):
        factories.participation(insats, leader, consent_scope=f"Samtycke för {NUMBER}")


def test_the_import_log_keeps_the_files_hash_and_row_count_never_its_name(insats, persona_users):
    import hashlib

    content = factories.xlsx_bytes(
        [
            ["Diarienummer", "Kön", "Startdatum", "Samtycke", "Samtycke datum", "Födelseår"],
            [insats.reference, "kvinna", dt.date(2026, 3, 1), "ja", dt.date(2026, 3, 1), 1990],
        ],
        sheet="Deltagare",
    )
    client = verified_client(persona_users["processledare_a"])
    upload = io.BytesIO(content)
    upload.name = f"Anna Andersson {NUMBER}.xlsx"

    response = client.post(reverse("participants:import"), {"file": upload, "las-in": "1"})

    assert response.status_code == 302
    logged = " ".join(AuditEntry.objects.values_list("message", flat=True))
    logged += " ".join(AuditEntry.objects.values_list("context", flat=True))
    assert "Andersson" not in logged and DIGITS[2:8] not in logged
    assert f"Import av 1 deltaganden, fil med SHA-256 {hashlib.sha256(content).hexdigest()}" in (
        logged
    )
    page = client.get(response.url).content.decode()
    assert "Andersson" not in page


def test_a_search_by_personnummer_is_a_post_and_never_an_address(insats, persona_users, settings):
    settings.FINSAM_IDENTIFIED_MODE = True
    leader = persona_users["processledare_a"]
    participation = factories.participation(insats, leader, number=NUMBER, name="Test Testsson")
    client = verified_client(leader)

    in_address = client.get(reverse("participants:index"), {"q": NUMBER, "visa": "alla"})
    posted = client.post(reverse("participants:index"), {"personnummer": NUMBER})

    assert "Sök inte på personnummer här" in in_address.content.decode()
    assert participation.participant.code in posted.content.decode()
    assert "1 deltagande" in posted.content.decode()
    search = AuditEntry.objects.filter(message__startswith="Sökte på personnummer").get()
    assert DIGITS not in search.message and search.actor == leader


def _pdf(extra=b""):
    return b"%PDF-1.4\n1 0 obj<<>>endobj\n" + extra + b"\ntrailer<<>>\n%%EOF\n"


def _docx(parts: dict[str, bytes]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            # A fixed time: the same bytes (and test ids) in every worker of the suite.
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return stream.getvalue()


def _upload_handling(client, meeting, name, content):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(
        reverse("board:document_add", args=[meeting.pk]), {"file": upload}, follow=True
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (f"Handling {NUMBER}.pdf", _pdf(), "Filnamnet ser ut att innehålla ett personnummer"),
        ("polyglot.pdf", _pdf(b"<html><script>alert(1)</script></html>"), "inte en giltig PDF"),
        ("utan-slut.pdf", b"%PDF-1.4\n" + b"x" * 100, "inte en giltig PDF"),
        (
            "bomb.docx",
            _docx(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "word/document.xml": b"<w/>",
                    "word/fill.bin": b"\0" * (101 * 1024 * 1024),
                }
            ),
            "inte en giltig Word",
        ),
        ("tom.docx", _docx({"word/document.xml": b"<w/>"}), "inte en giltig Word"),
    ],
    ids=["personnummer-i-namnet", "polyglot", "utan-slut", "zip-bomb", "tom-docx"],
)
def test_a_handling_that_is_not_what_it_claims_is_refused(
    personas, secretary, name, content, message
):
    meeting = factories.meeting(actor=secretary, date=dt.date(2099, 1, 10))

    page = _upload_handling(personas["kansli"], meeting, name, content).content.decode()

    assert message in page
    assert not meeting.documents.exists()
    assert NUMBER not in page


def test_a_real_pdf_and_a_real_docx_are_accepted(personas, secretary):
    meeting = factories.meeting(actor=secretary, date=dt.date(2099, 1, 10))
    docx = _docx({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})

    _upload_handling(personas["kansli"], meeting, "budget.pdf", _pdf())
    _upload_handling(personas["kansli"], meeting, "plan.docx", docx)

    assert sorted(meeting.documents.values_list("name", flat=True)) == ["budget.pdf", "plan.docx"]
