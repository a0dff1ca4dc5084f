"""Charts for the reports, as SVG from matplotlib.

Text stays text (``svg.fonttype = none``), so the PDF carries the labels as
searchable text in DejaVu Sans, the same font as the report. Colours are the
Okabe–Ito palette, which stays apart for colour-blind readers, and every bar
has its number written on it, so no reader depends on colour alone. A chart
shows only what may be shown: a count below the förbund's threshold is left
out (with a note under the chart saying so), and a chart with nothing left
to show is not drawn at all."""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal

import matplotlib
from django.core.cache import cache
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from finsam.lib.formatting import format_number
from participants.statistics import hidden_cells

matplotlib.use("Agg")
matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "finsam",  # the same data gives the same SVG
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#333333",
        "axes.labelcolor": "#000000",
        "xtick.color": "#000000",
        "ytick.color": "#000000",
    }
)
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
WIDTH_IN = 6.3  # the text width of an A4 page with the report's margins


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def data_uri(svg: str) -> str:
    """An <img src> for the chart: the page's CSP allows data: images, and
    inside an image the SVG's own styles apply."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@dataclass
class Chart:
    svg: str  # "" when nothing may be shown
    note: str = ""  # under the chart: what it leaves out, or why it is not drawn


def _visible(categories, series, threshold, *, category_totals=True):
    """The categories and series a chart may draw: a count below the threshold
    is left out, and so is one more wherever a single left-out count could be
    worked out from a total the report prints (per category and per series);
    a category or series with nothing left goes. Returns them and whether
    anything was left out."""
    names = list(series)
    matrix = [[series[name][i] for name in names] for i in range(len(categories))]
    if threshold:
        # The report prints each series' total (and each category's): they are
        # the sums a reader could subtract from.
        table = [[*row, sum(row)] for row in matrix] if category_totals else [*map(list, matrix)]
        table.append([sum(column) for column in zip(*table, strict=True)])
        hidden = hidden_cells(table, threshold, rows=category_totals)
        hidden = [flags[: len(names)] for flags in hidden[:-1]]
    else:
        hidden = [[False] * len(names) for _row in matrix]
    shown = [
        [0 if hide else value for value, hide in zip(row, flags, strict=True)]
        for row, flags in zip(matrix, hidden, strict=True)
    ]
    left_out = any(
        matrix[i][j] and hidden[i][j] for i in range(len(matrix)) for j in range(len(names))
    )
    keep = [i for i, row in enumerate(shown) if any(row)]
    kept = {
        name: [shown[i][j] for i in keep]
        for j, name in enumerate(names)
        if any(shown[i][j] for i in keep)
    }
    return [categories[i] for i in keep], kept, left_out


def _counted(categories, series, threshold, *, category_totals=True, **options) -> Chart:
    """A chart of participant counts, with only what may be shown.
    ``category_totals``: the report prints each category's total (by
    åldersgrupp), not only each series' (by kön)."""
    categories, series, hidden = _visible(
        categories, series, threshold, category_totals=category_totals
    )
    if not categories:
        return Chart(
            "",
            _("Diagrammet visas inte: varje grupp har färre än %(n)s deltagare och redovisas inte.")
            % {"n": threshold},
        )
    note = (
        _("Grupper med färre än %(n)s deltagare visas inte i diagrammet.") % {"n": threshold}
        if hidden
        else ""
    )
    return Chart(grouped_bars(categories, series, ylabel=_("Antal deltagare"), **options), note)


def grouped_bars(
    categories: list[str],
    series: dict[str, list[int]],
    *,
    ylabel: str = "",
    horizontal: bool = False,
    money: bool = False,
    legend: bool | None = None,
) -> str:
    """Bars side by side per category, one colour per series, each bar labelled.

    Drawing takes matplotlib tens of milliseconds, and a draft's page and
    preview draw the same charts on every view: the SVG is kept in the cache
    under a hash of what it shows (the same data gives the same SVG)."""
    key = (
        "chart:"
        + hashlib.sha256(
            repr((categories, series, ylabel, horizontal, money, legend)).encode()
        ).hexdigest()
    )
    svg = cache.get(key)
    if svg is None:
        svg = _draw_bars(categories, series, ylabel, horizontal, money, legend)
        cache.set(key, svg, timeout=24 * 3600)
    return svg


def _draw_bars(categories, series, ylabel, horizontal, money, legend) -> str:
    rows = max(len(categories), 1)
    height = 0.24 * rows * max(len(series), 1) + 0.9 if horizontal else 2.8
    fig = Figure(figsize=(WIDTH_IN, min(max(height, 2.4), 7.0)))
    ax = fig.add_subplot()
    n = max(len(series), 1)
    width = 0.8 / n
    for index, (name, values) in enumerate(series.items()):
        heights = values
        offsets = [i - 0.4 + width * (index + 0.5) for i in range(len(categories))]
        colour = PALETTE[index % len(PALETTE)]
        if horizontal:
            bars = ax.barh(offsets, heights, height=width, label=name, color=colour)
        else:
            bars = ax.bar(offsets, heights, width=width, label=name, color=colour)
        labels = [
            format_number(round(v / 1000)) + " tkr"
            if money
            else ("" if v == 0 else format_number(v))
            for v in values
        ]
        ax.bar_label(bars, labels=labels, padding=2, fontsize=8)
    ticks = list(range(len(categories)))
    if horizontal:
        ax.set_yticks(ticks, categories)
        ax.invert_yaxis()
        ax.set_xlabel(ylabel)
        ax.margins(x=0.15)
    else:
        ax.set_xticks(ticks, categories)
        ax.set_ylabel(ylabel)
        ax.margins(y=0.15)
    axis = ax.xaxis if horizontal else ax.yaxis
    axis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(
            lambda v, _pos: format_number(round(v / 1000)) if money else format_number(v)
        )
    )
    if not money:
        axis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    if legend or (legend is None and len(series) > 1):
        ax.legend(
            frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(series), fontsize=8.5
        )
    return _svg(fig)


def sex_and_age(table: dict[str, dict[str, int]], *, threshold: int) -> Chart:
    """Participants by age band, one bar per kön."""
    bands = list(table)
    sexes = list(next(iter(table.values()), {}))
    return _counted(bands, {sex: [table[b][sex] for b in bands] for sex in sexes}, threshold)


def income_before_after(before: dict[str, int], after: dict[str, int], *, threshold: int) -> Chart:
    sources = list(before) + [s for s in after if s not in before]
    return _counted(
        sources,
        {
            _("Före insatsen (alla i perioden)"): [before.get(s, 0) for s in sources],
            _("Efter insatsen (avslutade)"): [after.get(s, 0) for s in sources],
        },
        threshold,
        # Before and after are different people: no report prints their sum.
        category_totals=False,
        horizontal=True,
        legend=True,  # also when one of them has nothing left to show
    )


def budget_and_spent(years: list[dict]) -> Chart:
    """Budget, utfall and (where given) prognos per year, in thousands of kronor."""
    labels = [str(y["year"]) for y in years]
    series = {
        _("Budget"): [int(Decimal(y["total"]["budget"])) for y in years],
        _("Utfall"): [int(Decimal(y["total"]["spent"])) for y in years],
    }
    if any(y["total"]["forecast"] is not None for y in years):
        series[_("Prognos")] = [
            int(Decimal(y["total"]["forecast"] or y["total"]["spent"])) for y in years
        ]
    return Chart(grouped_bars(labels, series, ylabel=_("Tusen kronor"), money=True))
