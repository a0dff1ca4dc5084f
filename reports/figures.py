"""The computed part of a report, as plain JSON: participant statistics,
the Mål/Utfall table, the economy table and the charts.

A draft computes them afresh each time it is shown; handing it in freezes
the result into ``Report.figures``, and everything that shows a report (the
page, the preview, the PDF) reads the same dictionary, so a frozen report
looks the same whatever happens to the data later."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.lib.formatting import format_number
from participants import goals as participant_goals
from participants import statistics as participant_statistics
from participants.models import Participation
from projects import selectors as project_selectors
from projects.models import GoalMeasure, GoalUnit
from reports import charts
from reports import selectors as report_selectors
from reports.models import ReportKind
from reports.sections import ECONOMY, GOALS, PARTICIPANTS, sections_for

VERSION = 1  # of this dictionary's shape


def compute(report, *, with_charts: bool = True) -> dict:
    keys = {s.key for s in sections_for(report)}
    threshold = participant_statistics.federation_threshold()
    start, end = report.period_start, report.period_end
    participations = Participation.objects.filter(project=report.project)
    figures: dict = {
        "version": VERSION,
        "computed_at": timezone.localtime().isoformat(timespec="seconds"),
        "threshold": threshold,
        "period": [start.isoformat(), end.isoformat()],
        "participants": None,
        "goals": [],
        "economy": None,
        "charts": {},
    }
    if PARTICIPANTS in keys:
        figures["participants"] = _participants(participations, start, end)
    if GOALS in keys:
        figures["goals"] = goal_rows(report, participations, threshold)
    if ECONOMY in keys:
        figures["economy"] = _economy(report)
    if with_charts:
        figures["charts"] = draw(figures)
    return figures


def draw(figures: dict) -> dict[str, dict[str, str]]:
    """The charts for the figures: {name: {"title", "svg", "note"}}; "svg" is
    empty when nothing in the chart may be shown, and "note" says why."""
    threshold = figures["threshold"]
    drawn = {}

    def add(name, title, chart):
        drawn[name] = {"title": title, "svg": chart.svg, "note": chart.note}

    people = figures["participants"]
    if people and people["totals"]["participations"]:
        add(
            "kon_alder",
            _("Deltagare per åldersgrupp och kön"),
            charts.sex_and_age(people["sex_by_age"], threshold=threshold),
        )
        before = {f["label"]: f["count"] for f in people["income_before"]}
        after = {f["label"]: f["count"] for f in people["income_after"]}
        add(
            "forsorjning",
            _("Försörjning före och efter insatsen"),
            charts.income_before_after(before, after, threshold=threshold),
        )
    economy = figures["economy"]
    if economy and economy["years"]:
        add(
            "budget",
            _("Budget, utfall och prognos per år"),
            charts.budget_and_spent(economy["years"]),
        )
    return drawn


def _participants(participations, start: dt.date, end: dt.date) -> dict:
    stats = participant_statistics.statistics(participations, start=start, end=end)
    data = asdict(stats)

    def figures(name):
        return [{"label": f["label"], "count": f["count"]} for f in data[name]]

    return {
        "totals": {
            "participations": stats.participations,
            "persons": stats.persons,
            "started": stats.started,
            "ended": stats.ended,
        },
        "by_sex": figures("by_sex"),
        "by_age": figures("by_age"),
        "by_kommun": figures("by_kommun"),
        "income_before": figures("income_before"),
        "income_after": figures("income_after"),
        "occupation_after": figures("occupation_after"),
        "exit_reasons": figures("exit_reasons"),
        "duration": figures("duration"),
        "statuses_reached": figures("statuses_reached"),
        "latest_status": figures("latest_status"),
        "average_days": stats.average_days,
        "sex_by_age": stats.sex_by_age,
    }


def _money(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal(1)))


def _economy(report) -> dict:
    years = project_selectors.budget_overview(report.project, until=report.period_end)
    result, totals = [], {"granted": Decimal(0), "budget": Decimal(0), "spent": Decimal(0)}
    for year in years:
        result.append(
            {
                "year": year.year,
                "granted": _money(year.granted),
                "rows": [
                    {
                        "category": category.name,
                        "budget": _money(cell.budget),
                        "spent": _money(cell.spent),
                        "forecast": _money(cell.forecast),
                        "remaining": _money(cell.remaining),
                    }
                    for category, cell in year.rows
                ],
                "total": {
                    "budget": _money(year.total.budget),
                    "spent": _money(year.total.spent),
                    "forecast": _money(year.total.forecast),
                    "remaining": _money(year.total.remaining),
                },
            }
        )
        totals["granted"] += year.granted
        totals["budget"] += year.total.budget
        totals["spent"] += year.total.spent
    return {
        "years": result,
        "total": {
            "granted": _money(totals["granted"]),
            "budget": _money(totals["budget"]),
            "spent": _money(totals["spent"]),
            "remaining": _money(totals["budget"] - totals["spent"]),
            "surplus": _money(totals["granted"] - totals["spent"]),
            # Only a final report (slutrapport, förstudierapport) or one that
            # reaches the insats's end can speak of an överskott; before that,
            # what is left is money not yet spent.
            "settled": report.kind in (ReportKind.FINAL, ReportKind.PRESTUDY)
            or report.period_end >= report.project.end_date,
        },
    }


# --- Mål/Utfall ----------------------------------------------------------------


def _percent(count: int, base: int) -> Decimal:
    return (Decimal(100) * count / base).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def goal_rows(report, participations, threshold: int) -> list[dict]:
    """One row per goal of the insats's granted applications: the target, and
    the outcome computed from the participations where the goal is measurable
    (status reached, sysselsättning after), else the report's hand-entered one."""
    hand = report_selectors.hand_outcomes(report)
    rows = []
    for goal in project_selectors.goals_for_project(report.project).select_related(
        "measure_status"
    ):
        outcome = hand.get(goal.pk)
        row = {
            "goal_id": goal.pk,
            "text": goal.text,
            "indicator": goal.indicator,
            "unit": goal.target_unit,
            "target": str(goal.target_value),
            "target_display": goal.target_display,
            "computed": bool(goal.measure),
            "value": None,
            "count": None,
            "base": None,
            "comment": outcome.comment if outcome else "",
        }
        if goal.measure:
            measured = _measure(goal, participations, report.period_start, report.period_end)
            row["count"], row["base"] = measured.count, measured.base
            if goal.target_unit == GoalUnit.PERCENT:
                row["value"] = (
                    str(_percent(measured.count, measured.base)) if measured.base else None
                )
            else:
                row["value"] = str(measured.count)
        elif outcome and outcome.value is not None:
            row["value"] = str(outcome.value)
        row["outcome_display"] = outcome_display(row, threshold)
        row["reached"] = (
            None if row["value"] is None else Decimal(row["value"]) >= goal.target_value
        )
        rows.append(row)
    return rows


def _measure(goal, participations, start, end):
    if goal.measure == GoalMeasure.STATUS:
        return participant_goals.measured_with_status(
            participations, kind=goal.measure_status, start=start, end=end
        )
    return participant_goals.measured_with_occupation(
        participations, group=goal.measure_group, start=start, end=end
    )


def _value(value: str) -> str:
    number = Decimal(value)
    return format_number(number, 0 if number == number.to_integral_value() else 1)


def outcome_display(row: dict, threshold: int) -> str:
    """As a förbund's reports write it: "14 % (7 deltagare)"; small groups are not shown."""
    if not row["computed"]:
        if row["value"] is None:
            return _("Ej angivet")
        suffix = "\xa0%" if row["unit"] == GoalUnit.PERCENT else ""
        return _value(row["value"]) + suffix
    count, base = row["count"], row["base"]
    if not base:
        return _("Inga deltagare att räkna på i perioden")
    if base < threshold:
        return _("Redovisas inte: färre än %(n)s deltagare att räkna på") % {"n": threshold}
    if participant_statistics.is_small(count, threshold):  # the share would give it away
        if row["unit"] == GoalUnit.PERCENT:
            ceiling = math.ceil(100 * threshold / base)
            return _("under %(ceiling)s\xa0%% (<%(n)s av %(base)s deltagare)") % {
                "ceiling": ceiling,
                "n": threshold,
                "base": format_number(base),
            }
        return _("<%(n)s deltagare") % {"n": threshold}
    if row["unit"] == GoalUnit.PERCENT:
        share = _value(row["value"])
        return _("%(share)s\xa0%% (%(count)s av %(base)s deltagare)") % {
            "share": share,
            "count": format_number(count),
            "base": format_number(base),
        }
    return _("%(count)s deltagare") % {"count": format_number(count)}
