"""What every view of a report shows (the page, the preview and the PDF):
its sections with their text, and its figures as tables and charts, with
small counts suppressed. One place, so that the three cannot differ."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.loader import render_to_string

from finsam.lib.formatting import format_number
from finsam.lib.pdf import html_to_pdf
from finsam.models import Federation
from participants.statistics import protected, suppress
from reports import figures as report_figures
from reports import selectors
from reports.charts import data_uri
from reports.sections import ECONOMY, PARTICIPANTS, sections_for


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    total: list[str] | None = None


def _count(n, threshold) -> str:
    shown = suppress(n, threshold)
    return shown if isinstance(shown, str) else format_number(shown)


def _shown(values: list[int], threshold: int) -> list[str]:
    """A distribution whose total the report prints, as it may be shown."""
    return [v if isinstance(v, str) else format_number(v) for v in protected(values, threshold)]


def participant_tables(people: dict, threshold: int) -> list[Table]:
    def one(caption, column, items, *, adds_up=True):
        counts = [f["count"] for f in items]
        shown = _shown(counts, threshold) if adds_up else [_count(n, threshold) for n in counts]
        rows = [[f["label"], n] for f, n in zip(items, shown, strict=True) if f["count"]]
        return Table(caption, [column, "Antal"], rows) if rows else None

    before = {f["label"]: f["count"] for f in people["income_before"]}
    after = {f["label"]: f["count"] for f in people["income_after"]}
    labels = [*before, *[label for label in after if label not in before]]
    before_shown = _shown([before.get(label, 0) for label in labels], threshold)
    after_shown = _shown([after.get(label, 0) for label in labels], threshold)
    income = Table(
        "Försörjning före och efter insatsen",
        ["Försörjning", "Före (alla i perioden)", "Efter (avslutade)"],
        [list(row) for row in zip(labels, before_shown, after_shown, strict=True)],
    )
    tables = [
        one("Deltagare efter kön", "Kön", people["by_sex"]),
        one("Deltagare efter åldersgrupp", "Åldersgrupp", people["by_age"]),
        one("Deltagare efter kommun", "Kommun", people["by_kommun"]),
        income if labels else None,
        one("Sysselsättning efter avslut", "Sysselsättning", people["occupation_after"]),
        one("Avslutsorsak", "Orsak", people["exit_reasons"]),
        one("Tid i insatsen för avslutade", "Tid", people["duration"]),
        # Figures frozen before the statuses were counted have none.
        one(
            "Status som nåtts",
            "Status",
            people.get("statuses_reached", []),
            adds_up=False,
        ),
        one("Senaste status vid periodens slut", "Status", people.get("latest_status", [])),
    ]
    return [t for t in tables if t is not None]


def report_context(report, *, figures: dict | None = None, charts: bool = True) -> dict:
    """The context for templates/reports/_body.html; a draft's figures are
    computed now (its charts drawn only if ``charts``), a handed-in report's
    are its frozen ones."""
    if figures is None:
        figures = report.figures
    if figures is None:
        figures = report_figures.compute(report, with_charts=charts)
    threshold = figures["threshold"]
    texts = selectors.section_texts(report)
    drawn = {
        name: {
            "title": chart["title"],
            "uri": data_uri(chart["svg"]) if chart["svg"] else "",
            "note": chart.get("note", ""),
        }
        for name, chart in figures.get("charts", {}).items()
    }
    sections = []
    chart_number = 0
    for number, section in enumerate(sections_for(report), start=1):
        own = []
        if section.key == PARTICIPANTS:
            own = [c for name, c in drawn.items() if name in ("kon_alder", "forsorjning")]
        elif section.key == ECONOMY:
            own = [c for name, c in drawn.items() if name == "budget"]
        numbered = []
        for chart in own:
            chart_number += 1
            numbered.append({**chart, "number": chart_number})
        sections.append(
            {
                "number": number,
                "key": section.key,
                "heading": str(section.heading),
                "guide": str(section.guide),
                "computed": section.computed,
                "text": texts.get(section.key, ""),
                "charts": numbered,
            }
        )
    people = figures.get("participants")
    return {
        "federation": Federation.objects.current(),
        "report": report,
        "project": report.project,
        "figures": figures,
        "threshold": threshold,
        "sections": sections,
        "people": people,
        "people_tables": participant_tables(people, threshold) if people else [],
        # The prose prints no exact small number that a table hides.
        "people_totals": {k: _count(v, threshold) for k, v in people["totals"].items()}
        if people
        else {},
        "goals": figures.get("goals", []),
        "economy": figures.get("economy"),
        "frozen": report.figures is not None,
    }


def report_html(report) -> str:
    """The report as the HTML of its PDF."""
    return render_to_string("pdf/report.html", report_context(report))


def report_pdf(report) -> bytes:
    return html_to_pdf(report_html(report))


def report_pdf_html(rendering) -> str:
    """The report of an order (reports.rendering), made by a worker."""
    from reports.models import Report

    report = Report.objects.select_related("project", "filed_paragraph__minutes__meeting").get(
        pk=rendering.params["report"]
    )
    return report_html(report)
