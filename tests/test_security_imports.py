"""Hostile files never break an import (issue 13, items 3, 4 and 6): every one
gets a Swedish explanation, no request ends in a 500 and nothing is written."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest

from finsam.lib import spreadsheet
from projects import cost_import
from projects.models import BudgetLine, CostEntry, ProjectStatus
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = ["Diarienummer", "Period", "Kostnadsslag", "Belopp", "Notering"]


@pytest.fixture
def project(federation):
    p = factories.project(
        status=ProjectStatus.RUNNING,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    BudgetLine.objects.create(
        project=p, year=2026, category=factories.category("Personal"), amount=100_000
    )
    return p


csv_bytes = factories.csv_bytes
xlsx_bytes = factories.xlsx_bytes


def test_a_utf16_csv_from_excel_is_read(project):
    content = csv_bytes(
        [HEADER, [project.reference, "2026-03", "Personal", "1200"]], encoding="utf-16"
    )

    preview = cost_import.costs_import_preview(content, "utfall.csv")

    assert preview.is_valid and preview.rows[0].amount == 1200


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # Bytes that are neither UTF-8 nor Windows-1252 (0x81 is undefined there).
        (b"Diarienummer;Period\n\x81\x8d\x8f\x90\x9d;2026-01\n", "teckenkodning"),
        (
            b"Diarienummer;Period;Kostnadsslag;Belopp;Notering\nx;2026-01;P;1;" + b"a" * 140_000,
            "för lång",
        ),
    ],
)
def test_an_unreadable_csv_gets_a_swedish_explanation(federation, content, message):
    preview = cost_import.costs_import_preview(content, "utfall.csv")

    assert not preview.is_valid and message in " ".join(preview.file_errors)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["{ref}"], "Ogiltig period"),  # a short row
        (["{ref}", "0000-01", "Personal", "1"], "Ogiltig period ”0000-01”"),
        (["{ref}", "2026-02-30", "Personal", "1"], "Ogiltig period ”2026-02-30”"),
        (["{ref}", "2026-11-31", "Personal", "1"], "Ogiltig period ”2026-11-31”"),
        (["{ref}", "٢٠٢٦-٠٣", "Personal", "1"], "Ogiltig period"),
        (["{ref}", "2026-03", "Personal", "1E+999999999999"], "för stort"),
        (["{ref}", "2026-03", "Personal", "1E-999999999999"], "ören"),
    ],
)
def test_a_hostile_row_is_named_and_nothing_is_written(project, row, message):
    row = [value.format(ref=project.reference) for value in row]
    content = csv_bytes([HEADER, row])

    preview = cost_import.costs_import_preview(content, "utfall.csv")

    assert not preview.is_valid
    assert message in " ".join(preview.bad_rows[0].errors)
    assert CostEntry.objects.count() == 0


def test_a_nul_in_a_note_is_refused_before_anything_is_written(project):
    content = csv_bytes([HEADER, [project.reference, "2026-03", "Personal", "10", "a\x00b"]])

    preview = cost_import.costs_import_preview(content, "utfall.csv")

    assert not preview.is_valid and "NUL" in " ".join(preview.file_errors)


def _with_sheet_xml(content: bytes, change) -> bytes:
    """The same .xlsx with its first sheet's XML changed."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(item, data)
    return out.getvalue()


def test_a_workbook_that_claims_a_million_rows_and_columns_is_read_as_it_is(project):
    content = xlsx_bytes([HEADER, [project.reference, "2026-03", "Personal", 10]])
    lying = _with_sheet_xml(
        content,
        lambda xml: re.sub(
            rb'<dimension ref="[^"]+" ?/>', b'<dimension ref="A1:XFD1048576"/>', xml
        ),
    )
    assert lying != content

    rows = spreadsheet.read_rows(lying, "utfall.xlsx")

    assert len(rows) == 2 and len(rows[0]) <= spreadsheet.MAX_IMPORT_COLUMNS


def test_a_zip_bomb_dressed_as_a_workbook_is_refused_unread(federation):
    content = xlsx_bytes([HEADER])
    bomb = _with_sheet_xml(content, lambda xml: xml + b" " * (101 * 1024 * 1024))

    preview = cost_import.costs_import_preview(bomb, "utfall.xlsx")

    assert len(bomb) < 1024 * 1024
    assert "packas upp till mer än 100 MB" in " ".join(preview.file_errors)


def test_too_many_rows_are_refused_with_the_limit(federation, settings):
    rows = [HEADER] + [["x", "2026-01", "Personal", 1]] * (spreadsheet.MAX_IMPORT_ROWS + 1)

    with pytest.raises(spreadsheet.ImportFileError, match="fler än 25\u00a0000 rader"):
        spreadsheet.read_rows(csv_bytes(rows), "utfall.csv")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(federation):
    content = b"Diarienummer;Period\n" + b"x;2026-01\n" * (spreadsheet.MAX_IMPORT_BYTES // 10)

    preview = cost_import.costs_import_preview(content, "utfall.csv")

    assert "större än 10 MB" in " ".join(preview.file_errors)


@pytest.mark.parametrize(
    "text", ["2026-02-30", "2026-11-31", "٢٠٢٦-٠١-٠١", "2026-W01-1", "20260101"]
)
def test_a_date_that_does_not_exist_or_is_not_written_in_ascii_is_no_date(text):
    assert spreadsheet.parse_date(text) is None


@pytest.mark.parametrize("text", ["¹⁹⁹⁰", "١٩٩٠", "1990.5", "-1990", "9" * 40])
def test_a_year_in_superscript_or_other_digits_is_no_number(text):
    assert spreadsheet.parse_whole_number(text) is None


# --- The utfall upload waits in its own row, not in the session --------------


def _upload(client, content, name="utfall.csv"):
    from django.urls import reverse

    upload = io.BytesIO(content)
    upload.name = name
    return client.post(reverse("projects:import"), {"file": upload})


def test_the_uploaded_workbook_waits_in_its_own_row_and_the_session_holds_only_its_key(
    project, personas
):
    from django.contrib.sessions.models import Session
    from django.urls import reverse

    from finsam.models import PendingUpload

    client = personas["ekonomi"]
    content = csv_bytes([HEADER, [project.reference, "2026-03", "Personal", "1200"]])

    checked = _upload(client, content)

    stored = PendingUpload.objects.get()
    assert bytes(stored.content) == content and stored.owner.username == "ekonomi"
    session = Session.objects.get(session_key=client.session.session_key)
    assert len(session.session_data) < 2000  # the key, not the file
    assert stored.sha256 in checked.content.decode()

    done = client.post(reverse("projects:import"), {"bekrafta": "1", "digest": stored.sha256})

    assert done.status_code == 302
    assert CostEntry.objects.get().amount == 1200
    assert not PendingUpload.objects.exists()


def test_an_upload_cannot_be_confirmed_by_another_user_or_after_it_expires(project, personas):
    from django.urls import reverse
    from django.utils import timezone

    from finsam.models import PendingUpload

    content = csv_bytes([HEADER, [project.reference, "2026-03", "Personal", "1200"]])
    _upload(personas["ekonomi"], content)
    stored = PendingUpload.objects.get()

    other = personas["kansli"].post(
        reverse("projects:import"), {"bekrafta": "1", "digest": stored.sha256}, follow=True
    )
    PendingUpload.objects.update(expires_at=timezone.now())
    late = personas["ekonomi"].post(
        reverse("projects:import"), {"bekrafta": "1", "digest": stored.sha256}, follow=True
    )

    assert "Importen har gått ut" in other.content.decode()
    assert "Importen har gått ut" in late.content.decode()
    assert CostEntry.objects.count() == 0


# --- Both imports, as the pages receive them --------------------------------

PARTICIPANT_HEADER = [
    "Diarienummer",
    "Kön",
    "Startdatum",
    "Samtycke",
    "Samtycke datum",
    "Födelseår",
]


def _hostile_files(reference):
    ok_row = [reference, "2026-03", "Personal", "10", "x"]
    return {
        "utf16.csv": csv_bytes([HEADER, ok_row], encoding="utf-16"),
        "kodning.csv": b"Diarienummer;Period\n\x81\x8d\x8f;2026-01\n",
        "kort.csv": csv_bytes([HEADER, [reference]]),
        "nul.csv": csv_bytes([HEADER, ok_row[:4] + ["a\x00b"]]),
        "lang.csv": csv_bytes([HEADER, ok_row[:4] + ["a" * 140_000]]),
        "belopp.csv": csv_bytes([HEADER, [reference, "2026-03", "Personal", "1E+999999999999"]]),
        "period.csv": csv_bytes([HEADER, [reference, "0000-01", "Personal", "1"]]),
        "bomb.xlsx": _with_sheet_xml(xlsx_bytes([HEADER]), lambda x: x + b" " * (101 << 20)),
        "trasig.xlsx": b"PK\x03\x04" + b"\x00" * 100,
        "fel.pdf": b"%PDF-1.4",
    }


@pytest.mark.parametrize("url_name", ["projects:import", "participants:import"])
def test_every_hostile_file_gets_a_page_not_a_500_and_writes_nothing(project, personas, url_name):
    from django.urls import reverse

    from finsam.models import AuditEntry
    from participants.models import Participation

    client = personas["ekonomi" if url_name == "projects:import" else "kansli"]
    before = AuditEntry.objects.count()
    for name, content in _hostile_files(project.reference).items():
        upload = io.BytesIO(content)
        upload.name = name
        for step in ("kontrollera", "las-in"):
            response = client.post(reverse(url_name), {"file": upload, step: "1"})
            upload.seek(0)
            assert response.status_code in (200, 302), (name, step, response.status_code)

    assert CostEntry.objects.count() == 0 and Participation.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_a_birth_year_in_superscript_digits_is_a_row_error_not_a_500(project, personas):
    from django.urls import reverse

    from participants.models import Participation

    project.staff.create(user=personas["processledare_a"].user, role="processledare")
    content = xlsx_bytes(
        [
            PARTICIPANT_HEADER,
            [project.reference, "kvinna", dt.date(2026, 3, 1), "ja", dt.date(2026, 3, 1), "¹⁹⁹⁰"],
        ]
    )
    upload = io.BytesIO(content)
    upload.name = "deltagare.xlsx"

    response = personas["processledare_a"].post(
        reverse("participants:import"), {"file": upload, "kontrollera": "1"}
    )

    assert response.status_code == 200
    assert "Födelseår måste vara ett årtal." in response.content.decode()
    assert Participation.objects.count() == 0


def test_an_import_over_the_size_limit_is_refused_by_the_form_before_it_is_read(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from participants.forms import ImportForm

    big = SimpleUploadedFile("deltagare.csv", b"x" * (spreadsheet.MAX_IMPORT_BYTES + 1))
    form = ImportForm(files={"file": big})

    assert not form.is_valid()
    assert "större än 10 MB" in form.errors["file"][0]


def test_a_file_full_of_errors_shows_the_first_hundred_and_counts_the_rest(project, personas):
    from django.urls import reverse

    rows = [HEADER] + [[project.reference, "mars", "Personal", "1"]] * 150
    upload = io.BytesIO(csv_bytes(rows))
    upload.name = "utfall.csv"

    page = personas["ekonomi"].post(reverse("projects:import"), {"file": upload}).content.decode()

    assert "150 rader har fel" in page
    assert page.count("Ogiltig period ”mars”") == 100 + 150  # the list, then every table row
    assert "… och 50 rader till med fel." in page


def test_a_participant_file_over_the_row_limit_is_refused_with_the_limit(federation):
    from participants import exchange as participant_exchange

    rows = [PARTICIPANT_HEADER] + [["x", "man", "2026-03-01", "nej"]] * (
        participant_exchange.MAX_ROWS + 1
    )
    preview = participant_exchange.participations_import_preview(None, csv_bytes(rows), "d.csv")

    assert "fler än 5\u00a0000 rader" in " ".join(preview.file_errors)
