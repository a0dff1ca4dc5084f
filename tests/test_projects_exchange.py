"""Budgets out to Excel and CSV; actual costs back in, all rows or none."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from finsam.lib import spreadsheet
from finsam.models import AuditEntry
from finsam.roles import EKONOMI
from projects import cost_import, exchange
from projects.models import BudgetLine, CostEntry, ProjectStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def economist(federation):
    return factories.user(roles=(EKONOMI,))


@pytest.fixture
def project(federation):
    p = factories.project(
        name='=HYPERLINK("http://example.test")',
        status=ProjectStatus.RUNNING,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    BudgetLine.objects.create(
        project=p,
        year=2026,
        category=factories.category("Personal"),
        amount=286_137,
        description="+46 processledare",
        monthly_cost=22000,
        months=9,
        uplift_percent="1.2",
        overhead_percent="42.8",
    )
    BudgetLine.objects.create(
        project=p,
        year=2026,
        category=factories.category("Resor"),
        amount=9_000,
        description="@resor\tmed bil",
    )
    return p


def read_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content))


class TestExport:
    def test_budget_cells_are_numbers_with_a_kronor_format_and_swedish_headers(self, project):
        book = read_xlsx(spreadsheet.write_xlsx([exchange.budget_dataset(year=2026)]))
        sheet = book["Budget"]

        assert [c.value for c in sheet[1]] == [
            "Diarienummer",
            "Insats",
            "År",
            "Kostnadsslag",
            "Beskrivning",
            "Beräkning",
            "Belopp (kr)",
        ]
        amount = sheet["G2"]
        assert amount.value == 286_137
        assert isinstance(amount.value, int | float)
        assert amount.number_format == spreadsheet.KRONOR_FORMAT
        assert sheet["C2"].value == 2026

    def test_text_that_would_be_a_formula_is_neutralised(self, project):
        sheet = read_xlsx(spreadsheet.write_xlsx([exchange.budget_dataset(project=project)]))[
            "Budget"
        ]

        assert sheet["B2"].value == '\'=HYPERLINK("http://example.test")'
        assert sheet["B2"].data_type == "s"
        assert sheet["E2"].value == "'+46 processledare"
        assert sheet["E3"].value == "'@resor\tmed bil"

    def test_the_csv_is_semicolon_separated_utf8_for_swedish_excel(self, project):
        content = spreadsheet.write_csv(exchange.budget_dataset(year=2026))

        assert content.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0][0] == "Diarienummer"
        assert rows[1][1].startswith("'=")
        assert rows[1][6] == "286137"

    def test_a_year_export_leaves_out_other_years_and_one_insats_leaves_out_others(self, project):
        other = factories.project()
        BudgetLine.objects.create(
            project=other, year=2027, category=factories.category("Övrigt"), amount=1
        )

        assert len(exchange.budget_dataset(year=2026)) == 2
        assert len(exchange.budget_dataset(project=other)) == 1

    def test_the_workbook_has_a_sheet_of_monthly_costs_in_the_import_layout(self, project):
        CostEntry.objects.create(
            project=project,
            month=dt.date(2026, 3, 1),
            category=factories.category("Resor"),
            amount=-150,
        )
        book = read_xlsx(
            spreadsheet.write_xlsx(
                [exchange.budget_dataset(project=project), exchange.cost_dataset(project=project)]
            )
        )
        sheet = book["Utfall"]

        assert [c.value for c in sheet[2]][2:5] == ["2026-03", "Resor", -150]


xlsx_file = factories.xlsx_bytes
csv_file = factories.csv_bytes


HEADER = ["Diarienummer", "Period", "Kostnadsslag", "Belopp"]


class TestImport:
    def test_a_valid_ekonomisystem_file_is_previewed_then_written_in_one_event(
        self, project, economist
    ):
        ref = project.reference
        content = csv_file(
            [HEADER, [ref, "2026-01", "Personal", "31 200"], [ref, "2026-02", "resor", "-400"]]
        )

        preview = cost_import.costs_import_preview(content, "utfall.csv")
        assert preview.is_valid
        assert CostEntry.objects.count() == 0  # the preview writes nothing

        cost_import.costs_import_apply(actor=economist, content=content, filename="utfall.csv")

        assert sorted(CostEntry.objects.values_list("month", "amount")) == [
            (dt.date(2026, 1, 1), 31_200),
            (dt.date(2026, 2, 1), -400),
        ]
        events = AuditEntry.objects.filter(action="event", message__startswith="Import av utfall")
        assert events.count() == 1
        assert "2 rader" in events.get().message

    def test_one_bad_row_writes_nothing_and_every_bad_row_is_named_in_swedish(
        self, project, economist
    ):
        ref = project.reference
        rows = [
            HEADER,
            [ref, "2026-01", "Personal", 1000],
            ["2026/999", "2026-01", "Personal", 1000],
            [ref, "mars", "Personal", 1000],
            [ref, "2026-02", "Fika", 1000],
            [ref, "2026-02", "Personal", "tusen"],
            [ref, "2026-01", "Personal", 2000],
            [ref, "2025-12", "Personal", 5],
            [ref, "2026-04", "Personal", 10.5],
        ]
        content = xlsx_file(rows)

        preview = cost_import.costs_import_preview(content, "utfall.xlsx")

        errors = {row.line: " ".join(row.errors) for row in preview.bad_rows}
        assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9]
        assert "Okänd insats" in errors[3]
        assert "Ogiltig period ”mars”" in errors[4]
        assert "Okänt kostnadsslag ”Fika”" in errors[5]
        assert "Ogiltigt belopp ”tusen”" in errors[6]
        assert "Dubblett" in errors[7] and "rad 2" in errors[7]
        assert "utanför insatsens tid" in errors[8]
        assert "ören" in errors[9]
        with pytest.raises(ValidationError):
            cost_import.costs_import_apply(actor=economist, content=content, filename="utfall.xlsx")
        assert CostEntry.objects.count() == 0

    def test_the_exports_own_workbook_can_be_read_back(self, project, economist):
        CostEntry.objects.create(
            project=project,
            month=dt.date(2026, 3, 1),
            category=factories.category("Resor"),
            amount=700,
        )
        exported = spreadsheet.write_xlsx(
            [exchange.budget_dataset(project=project), exchange.cost_dataset(project=project)]
        )
        CostEntry.objects.all().delete()

        cost_import.costs_import_apply(actor=economist, content=exported, filename="export.xlsx")

        assert list(CostEntry.objects.values_list("month", "amount")) == [
            (dt.date(2026, 3, 1), 700)
        ]

    def test_an_import_replaces_the_months_already_recorded(self, project, economist):
        personal = factories.category("Personal")
        CostEntry.objects.create(
            project=project, month=dt.date(2026, 1, 1), category=personal, amount=1
        )
        content = csv_file(
            [HEADER, [project.reference, "2026-01", "Personal", "5000"]], delimiter=","
        )

        preview = cost_import.costs_import_preview(content, "u.csv")
        assert preview.rows[0].previous == 1
        cost_import.costs_import_apply(actor=economist, content=content, filename="u.csv")

        assert CostEntry.objects.get().amount == 5000

    @pytest.mark.parametrize(
        "content, name, message",
        [
            (b"", "tom.csv", "inga rader"),
            (
                b"a;b\n1;2\n",
                "fel.csv",
                "Kolumnen Diarienummer, Period, Kostnadsslag, Belopp saknas",
            ),
            (b"not a workbook", "fel.xlsx", "går inte att läsa"),
            (b"x", "fel.pdf", ".xlsx eller .csv"),
        ],
    )
    def test_a_file_that_cannot_be_read_gets_a_swedish_explanation(
        self, federation, content, name, message
    ):
        preview = cost_import.costs_import_preview(content, name)

        assert not preview.is_valid
        assert message in " ".join(preview.file_errors)
