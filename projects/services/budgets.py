"""Writes for budgets, utfall and prognoser."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from finsam.lib.formatting import format_kronor
from finsam.lib.services import service
from projects import access
from projects.models import (
    BudgetLine,
    CostEntry,
    Forecast,
    Project,
    month_end,
)

# --- Budget, costs and forecasts ---------------------------------------------


@service(access.manages_budgets)
def budget_line_save(*, actor, line: BudgetLine) -> BudgetLine:
    line.apply_formula()
    line.full_clean()
    line.save()
    return line


@service(access.manages_budgets)
def budget_line_delete(*, actor, line: BudgetLine) -> None:
    line.delete()


@service(access.manages_budgets)
def budget_distribute(
    *, actor, project: Project, year: int, amounts: dict[int, Decimal]
) -> list[BudgetLine]:
    """The year's budget lines set anew so that they add up to what was
    granted (a partial grant, or more one year and less the next). A line
    whose amount changes is no longer the personnel formula's."""
    from projects.selectors import granted_per_year

    Project.objects.select_for_update().get(pk=project.pk)
    lines = {line.pk: line for line in BudgetLine.objects.filter(project=project, year=year)}
    unknown = set(amounts) - set(lines)
    if unknown:
        raise ValidationError(_("Budgetposten finns inte för året."))
    for amount in amounts.values():
        if amount is None or amount < 0 or amount != amount.to_integral_value():
            raise ValidationError(_("Ange varje post i hela kronor, 0 eller mer."))
    total = sum((amounts.get(pk, line.amount) for pk, line in lines.items()), Decimal(0))
    granted = granted_per_year(project).get(year, Decimal(0))
    if total != granted:
        raise ValidationError(
            _(
                "Budgetposterna för %(year)s blir %(total)s men beviljat är %(granted)s. "
                "Fördela så att summan blir det beviljade."
            )
            % {"year": year, "total": format_kronor(total), "granted": format_kronor(granted)}
        )
    changed = []
    for pk, amount in amounts.items():
        line = lines[pk]
        if line.amount == amount:
            continue
        line.amount = amount
        line.monthly_cost = line.months = line.uplift_percent = line.overhead_percent = None
        line.full_clean()
        changed.append(line)
    BudgetLine.objects.bulk_update(
        changed, ["amount", "monthly_cost", "months", "uplift_percent", "overhead_percent"]
    )
    return changed


def cost_period_problem(
    project: Project, start: dt.date, end: dt.date, category=None, *, replacing=None
) -> str | None:
    """Why utfall for ``start``–``end`` cannot be recorded, if it cannot:
    whole months of one year inside the insats's time, not overlapping utfall
    of the same kostnadsslag for another period. An entry that starts in the
    same month is the one being corrected (``replacing``: its start)."""
    period = f"{start:%Y-%m}" if start.month == end.month else f"{start:%Y-%m} – {end:%Y-%m}"
    if end < start or end.year != start.year:
        return _("Perioden %(period)s ska vara hela månader inom ett år.") % {"period": period}
    if (
        start < project.start_date.replace(day=1)
        or start > project.end_date
        or (end > month_end(project.end_date))
    ):
        return _("Perioden %(period)s ligger utanför insatsens tid (%(start)s – %(end)s).") % {
            "period": period,
            "start": project.start_date.isoformat(),
            "end": project.end_date.isoformat(),
        }
    if category is not None:
        overlapping = CostEntry.objects.filter(
            project=project, category=category, month__lte=end, period_end__gte=start
        ).exclude(month=replacing or start)
        other = overlapping.first()
        if other is not None:
            return _(
                "Perioden %(period)s överlappar utfallet %(other)s för %(category)s. Ta bort "
                "eller ändra det först."
            ) % {"period": period, "other": other.period_display, "category": category}
    return None


@service(access.manages_budgets)
def cost_entry_save(*, actor, entry: CostEntry) -> CostEntry:
    """Record (or correct) the utfall of a month or period and category."""
    entry.month = entry.month.replace(day=1)
    entry.period_end = month_end(entry.period_end or entry.month)
    problem = cost_period_problem(entry.project, entry.month, entry.period_end, entry.category)
    if problem:
        raise ValidationError({"month": problem})
    existing = CostEntry.objects.filter(
        project=entry.project, month=entry.month, category=entry.category
    ).first()
    if existing and existing.pk != entry.pk:
        existing.amount = entry.amount
        existing.note = entry.note
        existing.period_end = entry.period_end
        entry = existing
    entry.full_clean()
    entry.save()
    return entry


@service(access.manages_budgets)
def cost_entry_delete(*, actor, entry: CostEntry) -> None:
    entry.delete()


@service(access.manages_budgets)
def forecasts_set(*, actor, project: Project, year: int, amounts: dict) -> None:
    """Set the year's prognos per category (category → kronor, None clears)."""
    for category, amount in amounts.items():
        if amount is None:
            Forecast.objects.filter(project=project, year=year, category=category).delete()
            continue
        forecast = Forecast.objects.filter(project=project, year=year, category=category).first()
        forecast = forecast or Forecast(project=project, year=year, category=category)
        forecast.amount = amount
        forecast.full_clean()
        forecast.save()
