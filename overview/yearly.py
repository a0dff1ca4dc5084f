"""The förbund's year in figures: what an årsredovisning and a
verksamhetsberättelse need. Each table is one SQL aggregate; the page, the
PDF and the workbook (one sheet per table) are drawn from the same tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.db.models import Sum
from django.utils import timezone

from board.models import MinutesStatus, Paragraph
from board.services.meetings import STANDARD_AGENDA_HEAD, STANDARD_AGENDA_TAIL
from finsam.lib.formatting import format_kronor, format_number
from finsam.lib.spreadsheet import MONEY_SUFFIX
from finsam.models import Contribution, Federation
from participants.access import sees_all_participations
from participants.followup import followup_rows
from participants.models import Participation, Sex
from participants.statistics import (
    hidden_cells,
    shown_count,
)
from projects.models import (
    BudgetLine,
    CostEntry,
    GrantedAmount,
    Project,
    ProjectStatus,
    YearGrant,
)

ZERO = Decimal(0)


@dataclass
class YearTable:
    key: str
    title: str  # also the sheet's name (at most 31 characters)
    columns: list[str]
    money: set[int] = field(default_factory=set)  # columns in kronor
    counts: set[int] = field(default_factory=set)  # participant counts (suppressed outside)
    dates: set[int] = field(default_factory=set)  # columns of dates (never broken at a hyphen)
    # Count columns that add up to a published total per row (and per column,
    # in the total row): complementary suppression keeps a small one hidden.
    parts: list[int] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    folded: bool = False  # on the page, behind a "show" (procedural §§)

    def _hidden(self, threshold: int | None) -> set[tuple[int, int]]:
        """(row, column) of the counts hidden so that no small one can be
        worked out from the published totals: each row's parts with its total
        (the column after them), and, in the total row (row -1), each column's."""
        if not threshold or not self.parts:
            return set()
        columns = [*self.parts, self.parts[-1] + 1]
        table = [[row[i] for i in columns] for row in self.rows]
        if self.total is not None:
            table.append([self.total[i] for i in columns])
        hidden = hidden_cells(table, threshold)
        last = len(self.rows)
        return {
            (-1 if r == last else r, columns[c])
            for r, flags in enumerate(hidden)
            for c, hide in enumerate(flags)
            if hide
        }

    def _out(self, r, i, v, threshold, hidden):
        return shown_count(v, (r, i) in hidden, threshold)

    def shown(self, threshold: int | None = None) -> tuple[list[list[str]], list[str] | None]:
        """Rows and total as text; with a threshold, small counts suppressed."""
        hidden = self._hidden(threshold)

        def cell(r, i, v):
            if v is None or v == "":
                return ""
            if i in self.money:
                return format_kronor(v)
            if i in self.counts and isinstance(v, int):
                return str(self._out(r, i, v, threshold, hidden)) if threshold else format_number(v)
            if isinstance(v, dt.date):
                return v.isoformat()
            return str(v)

        rows = [[cell(r, i, v) for i, v in enumerate(row)] for r, row in enumerate(self.rows)]
        total = [cell(-1, i, v) for i, v in enumerate(self.total)] if self.total else None
        return rows, total

    def dataset(self, threshold: int) -> tablib.Dataset:
        headers = [
            f"{c} {MONEY_SUFFIX}" if i in self.money else c for i, c in enumerate(self.columns)
        ]
        dataset = tablib.Dataset(headers=headers, title=self.title[:31])
        hidden = self._hidden(threshold)
        rows = [*self.rows, *([self.total] if self.total else [])]
        for r, row in enumerate(rows):
            r = -1 if self.total and r == len(self.rows) else r
            dataset.append(
                [
                    self._out(r, i, v, threshold, hidden)
                    if i in self.counts and isinstance(v, int)
                    else v
                    for i, v in enumerate(row)
                ]
            )
        return dataset


@dataclass
class FederationYearReport:
    year: int
    federation: Federation
    threshold: int
    tables: list[YearTable]

    def table(self, key: str) -> YearTable:
        return next(t for t in self.tables if t.key == key)


def _insatser(year: int, start: dt.date, end: dt.date) -> YearTable:
    projects = (
        Project.objects.filter(start_date__lte=end, end_date__gte=start)
        .exclude(status__in=[ProjectStatus.APPLIED, ProjectStatus.REJECTED])
        .select_related("owner")
        .order_by("reference_year", "reference_number")
    )
    return YearTable(
        "insatser",
        "Insatser",
        ["Diarienummer", "Insats", "Huvudman", "Inriktning", "Form", "Status", "Start", "Slut"],
        dates={6, 7},
        rows=[
            [
                p.reference,
                p.name,
                p.owner.name,
                p.get_orientation_display(),
                p.get_form_display(),
                p.get_status_display(),
                p.start_date,
                p.end_date,
            ]
            for p in projects
        ],
    )


def _participants(year: int) -> YearTable:
    rows = followup_rows(Participation.objects.all(), year=year)
    sexes = list(Sex)
    table = YearTable(
        "deltagare",
        "Deltagare per insats och kön",
        ["Diarienummer", "Insats", *[str(s.label) for s in sexes], "Totalt"],
        counts=set(range(2, 3 + len(sexes))),
        parts=list(range(2, 2 + len(sexes))),
    )
    for row in rows:
        table.rows.append(
            [
                row["project__reference"],
                row["project__name"],
                *[row[s.value] for s in sexes],
                row["total"],
            ]
        )
    if rows:
        table.total = [
            "",
            "Totalt (personer i flera insatser räknas i varje)",
            *[sum(r[s.value] for r in rows) for s in sexes],
            sum(r["total"] for r in rows),
        ]
    return table


def _money(year: int) -> tuple[YearTable, YearTable]:
    granted = dict(YearGrant.objects.filter(year=year).values_list("project", "amount"))
    budget = {
        (r["project"], r["category__name"]): r["t"]
        for r in BudgetLine.objects.filter(year=year)
        .values("project", "category__name")
        .annotate(t=Sum("amount"))
    }
    spent = {
        (r["project"], r["category__name"]): r["t"]
        for r in CostEntry.objects.filter(month__year=year)
        .values("project", "category__name")
        .annotate(t=Sum("amount"))
    }
    ids = set(granted) | {p for p, _ in budget} | {p for p, _ in spent}
    projects = Project.objects.filter(pk__in=ids).order_by("reference_year", "reference_number")
    per_project = YearTable(
        "medel",
        "Medel per insats",
        ["Diarienummer", "Insats", "Beviljat", "Budget", "Utfall", "Kvar av beviljat"],
        money={2, 3, 4, 5},
    )
    per_category = YearTable(
        "kostnadsslag",
        "Medel per kostnadsslag",
        ["Diarienummer", "Insats", "Kostnadsslag", "Budget", "Utfall", "Kvar av budget"],
        money={3, 4, 5},
    )
    # Each insats's kostnadsslag, gathered once (not a scan of every row per insats).
    categories_of: dict[int, set[str]] = {}
    for project_id, category in (*budget, *spent):
        categories_of.setdefault(project_id, set()).add(category)
    totals = [ZERO, ZERO, ZERO]
    for project in projects:
        categories = sorted(categories_of.get(project.pk, ()))
        p_budget = sum((budget.get((project.pk, c), ZERO) for c in categories), ZERO)
        p_spent = sum((spent.get((project.pk, c), ZERO) for c in categories), ZERO)
        p_granted = granted.get(project.pk, ZERO)
        per_project.rows.append(
            [project.reference, project.name, p_granted, p_budget, p_spent, p_granted - p_spent]
        )
        totals = [totals[0] + p_granted, totals[1] + p_budget, totals[2] + p_spent]
        for category in categories:
            b = budget.get((project.pk, category), ZERO)
            s = spent.get((project.pk, category), ZERO)
            per_category.rows.append([project.reference, project.name, category, b, s, b - s])
    per_project.total = ["", "Totalt", *totals, totals[0] - totals[2]]
    return per_project, per_category


def _contributions(year: int) -> YearTable:
    rows = (
        Contribution.objects.filter(year=year)
        .select_related("member")
        .order_by("member__kind", "member__name")
    )
    table = YearTable(
        "medlemsbidrag",
        "Medlemsbidrag",
        ["Medlem", "Typ av medlem", "Medlemsbidrag", "Andel"],
        money={2},
    )
    contributions = list(rows)
    total = sum((c.amount for c in contributions), ZERO)
    for c in contributions:
        share = Decimal(100) * c.amount / total if total else ZERO
        table.rows.append(
            [c.member.name, c.member.get_kind_display(), c.amount, f"{format_number(share, 1)} %"]
        )
    table.total = ["Totalt", "", total, "100 %" if total else ""]
    return table


# The standing §§ of every meeting (opening, justerare, dagordning …): on the
# page they are folded away below the decisions on ärenden.
STANDING_TITLES = {str(title) for title, _text in STANDARD_AGENDA_HEAD} | {
    str(title) for _kind, title, _text in STANDARD_AGENDA_TAIL
}


def _is_standing(paragraph) -> bool:
    return (
        not paragraph.application_id
        and not paragraph.report_id
        and paragraph.title in STANDING_TITLES
    )


def _decisions(year: int) -> list[YearTable]:
    """The board's decisions on ärenden, and its standing §§ apart."""
    paragraphs = [
        p
        for p in Paragraph.objects.filter(year=year, minutes__status=MinutesStatus.JUSTERAT)
        .select_related("minutes__meeting")
        .order_by("number")
        if p.decision_type or p.decision_text
    ]

    def rows(chosen):
        return [
            [
                f"§ {p.number}",
                p.minutes.meeting.date,
                p.title,
                p.get_decision_type_display() if p.decision_type else "",
                "" if p.confidential else p.decision_text,
            ]
            for p in chosen
        ]

    columns = ["Paragraf", "Sammanträde", "Ärende", "Beslut", "Beslutstext"]
    return [
        YearTable(
            "beslut",
            "Styrelsens beslut",
            columns,
            dates={1},
            rows=rows(p for p in paragraphs if not _is_standing(p)),
        ),
        YearTable(
            "staende",
            "Stående paragrafer",
            columns,
            dates={1},
            folded=True,
            rows=rows(p for p in paragraphs if _is_standing(p)),
        ),
    ]


def federation_year_report(year: int) -> FederationYearReport:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    per_project, per_category = _money(year)
    federation = Federation.objects.current()
    return FederationYearReport(
        year=year,
        federation=federation,
        threshold=federation.small_count_threshold,
        tables=[
            _insatser(year, start, end),
            _participants(year),
            per_project,
            per_category,
            _contributions(year),
            *_decisions(year),
        ],
    )


def exact_counts_for(user) -> bool:
    """Exact participant counts on the year page only for those who may read
    the participant statistics of every insats (the kansli); everyone else
    (ekonomi) sees them as the PDF and the Excel file show them, small
    counts suppressed."""
    return sees_all_participations(user)


def report_years() -> list[int]:
    """Years with anything to report, newest first; none that has not begun."""
    # One query; without order_by() each model's ordering would join the
    # DISTINCT (every § number of every year).
    years = set(
        Contribution.objects.order_by()
        .values_list("year", flat=True)
        .union(
            GrantedAmount.objects.order_by().values_list("year", flat=True),
            Paragraph.objects.order_by().values_list("year", flat=True),
        )
    )
    this_year = timezone.localdate().year
    return sorted((y for y in years if y <= this_year), reverse=True)


def year_context(year: int, *, outside: bool) -> dict:
    """The page's and the PDF's context. ``outside``: small participant counts
    are suppressed (``exact_counts_for`` says for whom the page is not)."""
    report = federation_year_report(year)
    threshold = report.threshold if outside else None
    tables = []
    for table in report.tables:
        rows, total = table.shown(threshold)
        tables.append({"table": table, "rows": rows, "total": total})
    return {
        "year_report": report,
        "federation": report.federation,
        "year": year,
        "tables": tables,
        "outside": outside,
    }
