"""Participant figures out of the system, only as aggregates with small counts suppressed."""

from __future__ import annotations

import tablib
from django.utils.translation import gettext as _

from finsam.lib.spreadsheet import (
    MONEY_SUFFIX,
    write_xlsx,
)
from participants.followup import followup_rows
from participants.models import (
    Sex,
)
from participants.statistics import protected, protected_row, suppress
from projects.models import Project

# --- Out ------------------------------------------------------------------------


def followup_dataset(participations, *, year: int, threshold: int) -> tablib.Dataset:
    """Uppföljning Finsam: people per insats in the year, by kön, and the
    insats's money for the year (beviljat, utfall, utbetalt)."""
    from projects.selectors import year_money_by_project

    dataset = tablib.Dataset(
        headers=[
            _("Diarienummer"),
            _("Insats"),
            _("År"),
            *[str(sex.label) for sex in Sex],
            _("Totalt"),
            f"{_('Beviljat')} {MONEY_SUFFIX}",
            f"{_('Utfall')} {MONEY_SUFFIX}",
            f"{_('Utbetalt')} {MONEY_SUFFIX}",
        ]
    )
    dataset.title = _("Uppföljning Finsam")
    money = year_money_by_project(year)
    nothing = (0, 0, 0)
    for row in followup_rows(participations, year=year):
        # Each insats's total is published beside its kön: a lone small one hides one more.
        *by_sex, total = protected_row([row[sex.value] for sex in Sex], threshold)
        dataset.append(
            [
                row["project__reference"],
                row["project__name"],
                year,
                *by_sex,
                total,
                *money.get(row["project"], nothing),
            ]
        )
    return dataset


def _figures(title: str, heading: str, figures, threshold: int, *, adds_up=True) -> tablib.Dataset:
    """One distribution per sheet; ``adds_up``: its counts sum to a published
    total (a person is in one kön), so a lone small one hides one more."""
    dataset = tablib.Dataset(headers=[heading, _("Antal")])
    dataset.title = title[:31]
    counts = [figure.count for figure in figures]
    shown = protected(counts, threshold) if adds_up else [suppress(n, threshold) for n in counts]
    for figure, count in zip(figures, shown, strict=True):
        dataset.append([figure.label, count])
    return dataset


def statistics_workbook(stats, *, threshold: int, project: Project | None = None) -> bytes:
    overview = tablib.Dataset(headers=[_("Uppgift"), _("Värde")])
    overview.title = _("Översikt")
    overview.append([_("Insats"), f"{project.reference} {project.name}" if project else _("Alla")])
    overview.append([_("Period"), f"{stats.start} – {stats.end}"])
    overview.append([_("Deltagare (personer)"), suppress(stats.persons, threshold)])
    overview.append([_("Deltaganden"), suppress(stats.participations, threshold)])
    overview.append([_("Nya under perioden"), suppress(stats.started, threshold)])
    overview.append([_("Avslutade under perioden"), suppress(stats.ended, threshold)])
    overview.append(
        [
            _(
                "Tal under %(n)s visas som ”<%(n)s”; ”..” döljer ett tal som annars skulle "
                "låta ett sådant räknas fram ur summan."
            )
            % {"n": threshold},
            "",
        ],
    )
    cross = tablib.Dataset(headers=[_("Försörjning före"), *stats.after_columns, _("Totalt före")])
    cross.title = _("Efter givet före")
    for row in stats.after_given_before:
        cross.append([row.label, *protected_row([cell.count for cell in row.cells], threshold)])
    sheets = [
        overview,
        _figures(_("Kön"), _("Kön"), stats.by_sex, threshold),
        _figures(_("Ålder"), _("Åldersgrupp"), stats.by_age, threshold),
        _figures(_("Kommun"), _("Kommun"), stats.by_kommun, threshold),
        _figures(_("Försörjning före"), _("Försörjning"), stats.income_before, threshold),
        _figures(_("Försörjning efter"), _("Försörjning"), stats.income_after, threshold),
        cross,
        _figures(_("Sysselsättning efter"), _("Grupp"), stats.occupation_after, threshold),
        _figures(_("Avslutsorsak"), _("Avslutsorsak"), stats.exit_reasons, threshold),
        _figures(_("Tid i insatsen"), _("Tid"), stats.duration, threshold),
        # One person can reach several statuses: these do not add up.
        _figures(
            _("Status som nåtts"), _("Status"), stats.statuses_reached, threshold, adds_up=False
        ),
        _figures(_("Senaste status"), _("Status"), stats.latest_status, threshold),
    ]
    return write_xlsx(sheets)
