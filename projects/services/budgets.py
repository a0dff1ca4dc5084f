"""Writes for budgets, utfall and prognoser."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
