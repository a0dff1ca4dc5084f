"""Utfall per period: the ekonomisystem reports April–July as one total, and
Finsam keeps it so, in the form, the import, the export and the pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from finsam.lib.formatting import format_kronor
from finsam.lib.periods import parse_period
from finsam.roles import EKONOMI
from projects import cost_import, services
from projects.models import CostEntry, ProjectStatus
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = ["Diarienummer", "Period", "Kostnadsslag", "Belopp"]


@pytest.fixture
def economist(federation):
    return factories.user(roles=(EKONOMI,))


@pytest.fixture
def insats(federation):
    return factories.project(
        status=ProjectStatus.RUNNING, start_date=dt.date(2026, 1, 1), end_date=dt.date(2027, 6, 30)
    )


@pytest.mark.parametrize(
    "written, months",
    [
        ("2026-04", ((2026, 4, 1), (2026, 4, 30))),
        ("2026-04–2026-07", ((2026, 4, 1), (2026, 7, 31))),
        ("2026-04 - 2026-07", ((2026, 4, 1), (2026, 7, 31))),
        ("2026-K2", ((2026, 4, 1), (2026, 6, 30))),
        ("2026 Q4", ((2026, 10, 1), (2026, 12, 31))),
        ("2026-T2", ((2026, 5, 1), (2026, 8, 31))),
        ("2026-H1", ((2026, 1, 1), (2026, 6, 30))),
        (dt.date(2026, 2, 14), ((2026, 2, 1), (2026, 2, 28))),
    ],
)
def test_the_import_reads_a_month_a_span_a_kvartal_a_tertial_and_a_halvar(written, months):
    start, end = months
    assert parse_period(written) == (dt.date(*start), dt.date(*end))


@pytest.mark.parametrize("written", ["2026-07–2026-04", "2026-K5", "2026-T4", "2026-13"])
def test_the_import_refuses_a_period_that_is_no_period(written):
    assert parse_period(written) is None


def test_a_period_total_is_imported_once_and_shown_once(insats, economist, personas):
    content = factories.csv_bytes(
        [HEADER, [insats.reference, "2026-04–2026-07", "Personal", "124 000"]]
    )

    cost_import.costs_import_apply(actor=economist, content=content, filename="period.csv")

    entry = CostEntry.objects.get()
    assert (entry.month, entry.period_end, entry.amount) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 7, 31),
        124_000,
    )
    page = personas["ekonomi"].get(reverse("projects:budget", args=[insats.pk])).content.decode()
    assert "2026-04 – 2026-07" in page and page.count(format_kronor(124_000)) >= 1
    assert "2026-05" not in page  # not split into invented months
    exported = personas["ekonomi"].get(reverse("projects:export_project", args=[insats.pk]))
    sheet = load_workbook(io.BytesIO(exported.content))["Utfall"]
    assert [c.value for c in sheet[2]][2] == "2026-04–2026-07"


def test_an_exported_period_imports_back_as_the_same_period(insats, economist, personas):
    CostEntry.objects.create(
        project=insats,
        month=dt.date(2026, 4, 1),
        period_end=dt.date(2026, 7, 31),
        category=factories.category("Personal"),
        amount=124_000,
    )
    exported = personas["ekonomi"].get(reverse("projects:export_project", args=[insats.pk]))
    workbook = load_workbook(io.BytesIO(exported.content))
    only_costs = io.BytesIO()
    for name in workbook.sheetnames:
        if name != "Utfall":
            del workbook[name]
    workbook.save(only_costs)

    preview = cost_import.costs_import_preview(only_costs.getvalue(), "export.xlsx")

    assert preview.is_valid, preview.file_errors + [r.errors for r in preview.rows]
    assert [(r.month, r.period_end, r.previous) for r in preview.rows] == [
        (dt.date(2026, 4, 1), dt.date(2026, 7, 31), 124_000)
    ]


def test_periods_that_overlap_are_refused_with_the_other_period_named(insats, economist):
    CostEntry.objects.create(
        project=insats,
        month=dt.date(2026, 4, 1),
        period_end=dt.date(2026, 7, 31),
        category=factories.category("Personal"),
        amount=124_000,
    )
    content = factories.csv_bytes([HEADER, [insats.reference, "2026-06", "Personal", "5 000"]])

    preview = cost_import.costs_import_preview(content, "juni.csv")

    assert preview.rows[0].errors == [
        "Perioden 2026-06 överlappar utfallet 2026-04 – 2026-07 för Personal. Ta bort eller "
        "ändra det först."
    ]
    with pytest.raises(ValidationError, match="överlappar"):
        services.cost_entry_save(
            actor=economist,
            entry=CostEntry(
                project=insats,
                month=dt.date(2026, 7, 1),
                period_end=dt.date(2026, 9, 30),
                category=factories.category("Personal"),
                amount=1,
            ),
        )


def test_a_period_is_whole_months_of_one_year(insats, economist):
    with pytest.raises(ValidationError, match="hela månader inom ett år"):
        services.cost_entry_save(
            actor=economist,
            entry=CostEntry(
                project=insats,
                month=dt.date(2026, 11, 1),
                period_end=dt.date(2027, 2, 28),
                category=factories.category("Personal"),
                amount=1,
            ),
        )


def test_the_form_records_a_period(insats, personas):
    personas["ekonomi"].post(
        reverse("projects:cost_add", args=[insats.pk]),
        {
            "cost-month": "2026-09",
            "cost-period_end": "2026-12",
            "cost-category": factories.category("Resor").pk,
            "cost-amount": "8 000",
        },
    )

    entry = CostEntry.objects.get()
    assert (entry.month, entry.period_end) == (dt.date(2026, 9, 1), dt.date(2026, 12, 31))


def test_a_period_counts_every_month_it_covers_on_the_dashboard(insats, economist):
    from overview.dashboard import economy_cards

    CostEntry.objects.create(
        project=insats,
        month=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 10, 31),
        category=factories.category("Personal"),
        amount=100_000,
    )

    missing, _over = economy_cards(dt.date(2026, 12, 6))

    assert [m.months for m in missing if m.project == insats] == [[dt.date(2026, 11, 1)]]
