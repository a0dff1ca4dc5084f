"""Budgets, co-financing, granted amounts, utfall and prognoser."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from finsam.audit import AuditTrigger
from finsam.lib.formatting import format_kronor, format_number
from finsam.lib.periods import month_end
from finsam.models import Member
from projects.models.applications import Application
from projects.models.insatser import KRONOR, CostCategory, Project


def personnel_amount(
    monthly_cost: Decimal, months: Decimal, *percentages: Decimal | None
) -> Decimal:
    """Månadskostnad × månader × (1 + påslag %) × …, exact, to whole kronor.

    Seed 002: 22 000 × 9 × 1,012 × 1,428 = 286 136,9 → 286 137 kr.
    Rounding is half up, as a person rounds money.
    """
    amount = Decimal(monthly_cost) * Decimal(months)
    for percent in percentages:
        if percent:
            amount *= 1 + Decimal(percent) / 100
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


class BudgetAmount(models.Model):
    """A budget amount for one year and cost category, optionally from the
    personnel formula."""

    year = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    category = models.ForeignKey(
        CostCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("kostnadsslag")
    )
    description = models.CharField(_("beskrivning"), max_length=200, blank=True)
    amount = models.DecimalField(_("belopp (kr)"), validators=[MinValueValidator(0)], **KRONOR)
    monthly_cost = models.DecimalField(
        _("månadskostnad (kr)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    months = models.DecimalField(
        _("antal månader"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(12)],
    )
    uplift_percent = models.DecimalField(
        _("påslag (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("T.ex. semestertillägg eller löneökning, 1,2 %."),
    )
    overhead_percent = models.DecimalField(
        _("personalomkostnadspålägg (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Arbetsgivaravgifter m.m., t.ex. 42,8 %."),
    )

    class Meta:
        abstract = True

    @property
    def uses_formula(self) -> bool:
        return self.monthly_cost is not None and self.months is not None

    def apply_formula(self) -> None:
        if self.uses_formula:
            self.amount = personnel_amount(
                self.monthly_cost, self.months, self.uplift_percent, self.overhead_percent
            )

    @property
    def formula_display(self) -> str:
        """ "22 000 kr × 9 mån × 1,012 × 1,428 = 286 137 kr"."""
        if not self.uses_formula:
            return ""

        def plain(value: Decimal) -> str:
            text = format_number(value, 4)
            return text.rstrip("0").rstrip(",") if "," in text else text

        parts = [format_kronor(self.monthly_cost.quantize(Decimal(1))), f"{plain(self.months)} mån"]
        for percent in (self.uplift_percent, self.overhead_percent):
            if percent:
                parts.append(plain(1 + percent / 100))
        return " × ".join(parts) + f" = {format_kronor(self.amount)}"


class ApplicationBudgetLine(BudgetAmount):
    """A line of the budget an application asks for."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("ansökan"),
    )

    class Meta:
        verbose_name = _("sökt budgetpost")
        verbose_name_plural = _("sökta budgetposter")
        ordering = ["year", "category__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="application_budget_not_negative"
            )
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.year} {self.category}: {self.amount}"


class BudgetLine(BudgetAmount):
    """A line of an insats's approved budget (copied from a granted application)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("insats")
    )
    source = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("från ansökan"),
    )

    class Meta:
        verbose_name = _("budgetpost")
        verbose_name_plural = _("budgetposter")
        ordering = ["year", "category__order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative")
        ]
        indexes = [models.Index(fields=["year"], name="budget_line_year_idx")]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.project.reference} {self.year} {self.category}: {self.amount}"


class CofinancingKind(models.TextChoices):
    MONEY = "pengar", _("Pengar")
    STAFF_TIME = "personaltid", _("Personaltid")


class Cofinancing(models.Model):
    """Medfinansiering a member puts into an application: money or staff time."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="cofinancing", verbose_name=_("ansökan")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("medlem")
    )
    kind = models.CharField(_("form"), max_length=20, choices=CofinancingKind.choices)
    year = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = models.DecimalField(_("värde (kr)"), validators=[MinValueValidator(0)], **KRONOR)
    description = models.CharField(
        _("beskrivning"), max_length=200, blank=True, help_text=_("T.ex. handläggare 20 %.")
    )

    class Meta:
        verbose_name = _("medfinansiering")
        verbose_name_plural = _("medfinansiering")
        ordering = ["year", "member__name", "id"]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.member} {self.year}: {self.amount}"


class GrantedAmount(models.Model):
    """What the board granted for one year of an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="granted", verbose_name=_("ansökan")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("beviljat (kr)"), validators=[MinValueValidator(0)], **KRONOR)

    class Meta:
        verbose_name = _("beviljat belopp")
        verbose_name_plural = _("beviljade belopp")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="granted_once_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="granted_not_negative"),
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.year}: {self.amount}"


class CostEntry(models.Model):
    """Utfall: an insats's actual cost for a period and cost category. The
    ekonomisystem often reports a period (April–July), which is kept as it
    came: from the first day of ``month`` to ``period_end``, whole months of
    one year, never split into invented months."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="costs", verbose_name=_("insats")
    )
    month = models.DateField(_("från månad"), help_text=_("Första dagen i periodens första månad."))
    period_end = models.DateField(
        _("till och med"), help_text=_("Sista dagen i periodens sista månad.")
    )
    category = models.ForeignKey(
        CostCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("kostnadsslag")
    )
    amount = models.DecimalField(_("belopp (kr)"), **KRONOR)
    note = models.CharField(_("anteckning"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        ordering = ["month", "category__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month", "category"], name="cost_once_per_month_and_category"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="cost_month_first_day"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("month")) & Q(period_end__year=ExtractYear("month")),
                name="cost_period_in_one_year",
                violation_error_message=_("Perioden är hela månader inom ett år."),
            ),
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.project.reference} {self.period_display} {self.category}: {self.amount}"

    def save(self, *args, **kwargs):
        if self.period_end is None and self.month:
            self.period_end = month_end(self.month)  # one month, unless a period is given
        super().save(*args, **kwargs)

    @property
    def is_one_month(self) -> bool:
        return (self.month.year, self.month.month) == (self.period_end.year, self.period_end.month)

    @property
    def period_display(self) -> str:
        """ "2026-04", or "2026-04 – 2026-07" for a period."""
        if self.is_one_month:
            return f"{self.month:%Y-%m}"
        return f"{self.month:%Y-%m} – {self.period_end:%Y-%m}"

    def clean(self):
        if self.month:
            self.month = self.month.replace(day=1)
            self.period_end = month_end(self.period_end or self.month)


class Forecast(models.Model):
    """Prognos: what an insats expects to spend in a year per cost category."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="forecasts", verbose_name=_("insats")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    category = models.ForeignKey(
        CostCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("kostnadsslag")
    )
    amount = models.DecimalField(_("prognos (kr)"), validators=[MinValueValidator(0)], **KRONOR)

    class Meta:
        verbose_name = _("prognos")
        verbose_name_plural = _("prognoser")
        ordering = ["year", "category__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "category"], name="forecast_once_per_year_and_category"
            )
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.project.reference} {self.year} {self.category}: {self.amount}"


class AdjustmentKind(models.TextChoices):
    RELEASED = "frigjort", _("Frigjort")
    CARRIED_OUT = "overfort_fran", _("Överfört till nästa år")
    CARRIED_IN = "overfort_till", _("Överfört från föregående år")


class GrantAdjustment(models.Model):
    """A decision that changes what an insats has for a year after its grant:
    unspent money released when the insats is cancelled, or unused money
    carried into the next year (a tilläggsansökan or ändrad inriktning
    decided it). Signed: less for the year is negative."""

    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="grant_adjustments",
        verbose_name=_("insats"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("slag"), max_length=20, choices=AdjustmentKind.choices)
    amount = models.DecimalField(_("belopp (kr)"), **KRONOR)
    reason = models.TextField(_("skäl"))
    decided_on = models.DateField(_("beslutsdatum"))
    reference = models.CharField(_("beslut"), max_length=200, blank=True)
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_adjustments",
        verbose_name=_("ansökan som beslutet gällde"),
    )
    created_by = models.ForeignKey(
        "finsam.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerad av")
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("ändring av beviljade medel")
        verbose_name_plural = _("ändringar av beviljade medel")
        ordering = ["year", "decided_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="overfort_till") & Q(amount__gt=0))
                | (Q(kind__in=["frigjort", "overfort_fran"]) & Q(amount__lt=0)),
                name="grant_adjustment_signed_by_kind",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="grant_adjustment_has_reason"),
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.project.reference} {self.year} {self.get_kind_display()}: {self.amount}"


# What an insats has for each year: its granted applications' amounts and
# the decisions that changed them since. One view, read by every page, the
# rekvisition's check and the ceiling trigger alike.
YEAR_GRANT_VIEW = """
CREATE OR REPLACE VIEW projects_yeargrant AS
SELECT project_id, year, SUM(amount)::numeric(14, 0) AS amount FROM (
    SELECT a.project_id, g.year, g.amount
      FROM projects_grantedamount g
      JOIN projects_application a ON a.id = g.application_id
     WHERE a.status IN ('beviljad', 'delvis_beviljad')
    UNION ALL
    SELECT project_id, year, amount FROM projects_grantadjustment
) AS grants
GROUP BY project_id, year
"""


class YearGrant(models.Model):
    """A row of the ``projects_yeargrant`` view: granted for an insats's year."""

    pk = models.CompositePrimaryKey("project", "year")
    project = models.ForeignKey(
        Project, on_delete=models.DO_NOTHING, related_name="year_grants", verbose_name=_("insats")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("beviljat (kr)"), **KRONOR)

    class Meta:
        managed = False
        db_table = "projects_yeargrant"
        verbose_name = _("beviljat per år")
        verbose_name_plural = _("beviljat per år")

    def __str__(self):
        return f"{self.year}: {self.amount}"
