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


def cost_month_problem(project: Project, month: dt.date) -> str | None:
    first = project.start_date.replace(day=1)
    if month < first or month > project.end_date:
        return _("Perioden %(month)s ligger utanför insatsens tid (%(start)s – %(end)s).") % {
            "month": month.strftime("%Y-%m"),
            "start": project.start_date.isoformat(),
            "end": project.end_date.isoformat(),
        }
    return None


@service(access.manages_budgets)
def cost_entry_save(*, actor, entry: CostEntry) -> CostEntry:
    """Record (or correct) the utfall of one month and category."""
    entry.month = entry.month.replace(day=1)
    problem = cost_month_problem(entry.project, entry.month)
    if problem:
        raise ValidationError({"month": problem})
    existing = CostEntry.objects.filter(
        project=entry.project, month=entry.month, category=entry.category
    ).first()
    if existing and existing.pk != entry.pk:
        existing.amount = entry.amount
        existing.note = entry.note
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
