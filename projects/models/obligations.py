"""What a grant obliges an insats to do: its report obligations (rapportkrav),
their due dates from the förbund's rules, and the reminders sent about them.

The rules are data (Administration → Listor → Rapportkrav): the förbund says
which reports it asks for and when they are due; a grant decision turns them
into obligations with dates for the insats's period.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finsam.audit import AuditTrigger
from projects.models.applications import Application
from projects.models.insatser import Project, ProjectForm


class ReportKind(models.TextChoices):
    """The kinds of report an insats writes (Rapporter) and a rule may ask for."""

    STATUS = "lagesrapport", _("Lägesrapport")
    INTERIM = "delrapport", _("Delrapport")
    TERTIAL = "tertialrapport", _("Tertialrapport")
    FINAL = "slutrapport", _("Slutrapport")
    PRESTUDY = "forstudierapport", _("Förstudierapport")


def tertial_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The tertial (January–April, May–August, September–December) of ``day``."""
    first_month = ((day.month - 1) // 4) * 4 + 1
    start = dt.date(day.year, first_month, 1)
    return start, start + relativedelta(months=4, days=-1)


def tertials(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The tertials a period touches, whole (not cut to the period)."""
    result, (first, last) = [], tertial_of(start)
    while first <= end:
        result.append((first, last))
        first = last + dt.timedelta(days=1)
        last = first + relativedelta(months=4, days=-1)
    return result


class RuleScope(models.TextChoices):
    ALL = "alla", _("Alla insatser")
    PRESTUDY = "forstudier", _("Bara förstudier")
    NOT_PRESTUDY = "ej_forstudier", _("Alla utom förstudier")


class RuleCadence(models.TextChoices):
    TERTIAL = "tertial", _("En för varje tertial som insatsen pågår")
    END = "slut", _("En när insatsen slutar")


class ObligationRule(models.Model):
    """A report the förbund asks of the insatser it funds, and when it is due.

    A tertial rule gives one obligation per tertial, due ``months_after`` months
    and ``days_after`` days after the tertial ends (15 days: 15 May,
    15 September, 15 January); an end rule gives one, due that long after the
    insats ends (the slutrapport, two months)."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    report_kind = models.CharField(_("rapport"), max_length=20, choices=ReportKind.choices)
    scope = models.CharField(
        _("gäller"), max_length=20, choices=RuleScope.choices, default=RuleScope.ALL
    )
    cadence = models.CharField(_("när"), max_length=10, choices=RuleCadence.choices)
    months_after = models.PositiveSmallIntegerField(
        _("månader efter periodens slut"), default=0, validators=[MaxValueValidator(24)]
    )
    days_after = models.PositiveSmallIntegerField(
        _("dagar efter periodens slut"),
        default=0,
        validators=[MaxValueValidator(365)],
        help_text=_("Räknas efter månaderna."),
    )
    skip_last = models.BooleanField(
        _("inte för sista tertialet"),
        default=False,
        help_text=_("Slutrapporten täcker tertialet då insatsen slutar."),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("påminn dagar före"),
        default=14,
        validators=[MaxValueValidator(90)],
        help_text=_("Insatsens personal påminns så här många dagar före och på dagen."),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("används"), default=True)

    class Meta:
        verbose_name = _("rapportkrav")
        verbose_name_plural = _("rapportkrav")
        ordering = ["order", "name"]
        triggers = [AuditTrigger()]

    def __str__(self):
        return self.name

    def applies_to(self, project: Project) -> bool:
        prestudy = project.form == ProjectForm.PRESTUDY
        return (
            self.scope == RuleScope.ALL
            or (self.scope == RuleScope.PRESTUDY and prestudy)
            or (self.scope == RuleScope.NOT_PRESTUDY and not prestudy)
        )

    def due_after(self, period_end: dt.date) -> dt.date:
        """Months, then days, after ``period_end``; from a month's last day the
        months land on a month's last day (30 June + 2 months = 31 August)."""
        due = period_end + relativedelta(months=self.months_after)
        if (period_end + dt.timedelta(days=1)).day == 1:
            due += relativedelta(day=31)
        return due + dt.timedelta(days=self.days_after)

    def periods(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date, dt.date]]:
        """(period start, period end, due date) of each report the rule asks
        for an insats running from ``start`` to ``end``. A tertial's report
        covers the part the insats ran, and is due from the tertial's end."""
        if self.cadence == RuleCadence.END:
            return [(start, end, self.due_after(end))]
        periods = tertials(start, end)
        if self.skip_last:
            periods = periods[:-1]
        return [
            (max(first, start), min(last, end), self.due_after(last)) for first, last in periods
        ]


class ObligationStatus(models.TextChoices):
    OPEN = "vantar", _("Väntar")
    HANDED_IN = "inlamnad", _("Inlämnad")
    CLOSED = "stangd", _("Lagd till handlingarna")
    WAIVED = "undantagen", _("Undantagen")


class ObligationQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=ObligationStatus.OPEN)


class ReportObligation(models.Model):
    """A report an insats owes the förbund, by a date: set by a grant's rules,
    or added by the kansli. Handing the report in fulfils it; the board laying
    it to handlingarna closes it."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="obligations", verbose_name=_("insats")
    )
    kind = models.CharField(_("rapport"), max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(_("perioden från"))
    period_end = models.DateField(_("perioden till"))
    due_date = models.DateField(_("senast"))
    status = models.CharField(
        _("status"), max_length=20, choices=ObligationStatus.choices, default=ObligationStatus.OPEN
    )
    rule = models.ForeignKey(
        ObligationRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enligt regel"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="obligations",
        verbose_name=_("beslutet"),
    )
    note = models.CharField(_("anteckning"), max_length=300, blank=True)
    handed_in_on = models.DateField(_("inlämnad"), null=True, blank=True)
    closed_on = models.DateField(_("lagd till handlingarna"), null=True, blank=True)
    waived_reason = models.TextField(_("skäl till undantag"), blank=True)
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapportkrav för insats")
        verbose_name_plural = _("rapportkrav för insatser")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "period_end"],
                name="obligation_once_per_period",
                violation_error_message=_(
                    "Insatsen har redan ett rapportkrav av den typen för den perioden."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="obligation_period_in_order",
                violation_error_message=_("Periodens slut kan inte ligga före dess början."),
            ),
            models.CheckConstraint(
                condition=~Q(status="undantagen") | ~Q(waived_reason=""),
                name="obligation_waived_with_reason",
                violation_error_message=_("Skriv skälet till att rapportkravet undantas."),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="obligation_due_idx")]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start}–{self.period_end}"

    def get_absolute_url(self):
        return reverse("projects:obligation", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == ObligationStatus.OPEN

    def days_left(self, today: dt.date) -> int:
        """Days until the due date; negative when it has passed."""
        return (self.due_date - today).days

    def is_late(self, today: dt.date) -> bool:
        return self.is_open and self.due_date < today

    def state(self, today: dt.date) -> tuple[str, str]:
        """(css name, label) of what a person sees: "Försenad" for a late one."""
        if self.is_late(today):
            return "forsenad", str(_("Försenad"))
        return self.status, self.get_status_display()

    def due_text(self, today: dt.date) -> str:
        """ "om 12 dagar", "i dag", "3 dagar sent" — for an open obligation."""
        days = self.days_left(today)
        if days == 0:
            return str(_("i dag"))
        if days > 0:
            return str(_("om 1 dag") if days == 1 else _("om %(n)s dagar") % {"n": days})
        return str(_("1 dag sent") if days == -1 else _("%(n)s dagar sent") % {"n": -days})


class ReminderKind(models.TextChoices):
    BEFORE = "fore", _("Påminnelse före")
    DUE = "sista_dagen", _("Sista dagen")
    OVERDUE = "forsenad", _("Försenad")


class ObligationReminder(models.Model):
    """A reminder the system sent about an obligation: when, and to whom.
    At most one a day per obligation (the constraint)."""

    obligation = models.ForeignKey(
        ReportObligation,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("rapportkrav"),
    )
    kind = models.CharField(_("slag"), max_length=20, choices=ReminderKind.choices)
    sent_on = models.DateField(_("dag"))
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("till")
    )

    class Meta:
        verbose_name = _("påminnelse om rapport")
        verbose_name_plural = _("påminnelser om rapporter")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "sent_on"], name="obligation_reminded_once_a_day"
            )
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.get_kind_display()} {self.sent_on}"
