"""Insatser, their applications, goals, budgets and costs."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finsam.audit import AuditTrigger
from finsam.lib.formatting import format_kronor, format_number
from finsam.models import Member

KRONOR = {"max_digits": 14, "decimal_places": 0}


def years_between(start, end) -> list[int]:
    """The calendar years a period touches."""
    return list(range(start.year, end.year + 1))


class CostCategory(models.Model):
    """A kostnadsslag. Data, not code: the förbund may add or retire them."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    is_personnel = models.BooleanField(
        _("personalkostnad"),
        default=False,
        help_text=_("Budgetposter kan anges som månadskostnad × månader × påslag."),
    )
    active = models.BooleanField(_("används"), default=True)

    class Meta:
        verbose_name = _("kostnadsslag")
        verbose_name_plural = _("kostnadsslag")
        ordering = ["order", "name"]
        triggers = [AuditTrigger()]

    def __str__(self):
        return self.name


class ReferenceCounter(models.Model):
    """The last diarienummer given out per year (``2026/14``)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("diarieräknare")
        verbose_name_plural = _("diarieräknare")
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Orientation(models.TextChoices):
    INDIVIDUAL = "individinriktad", _("Individinriktad")
    STRUCTURAL = "strukturovergripande", _("Strukturövergripande")


class ProjectForm(models.TextChoices):
    PRESTUDY = "forstudie", _("Förstudie")
    PROJECT = "projekt", _("Projekt")
    IMPLEMENTATION = "implementering", _("Implementering")
    ORDINARY = "ordinarie", _("Insats i ordinarie verksamhet")


class ProjectStatus(models.TextChoices):
    APPLIED = "ansokan", _("Ansökan")
    GRANTED = "beviljad", _("Beviljad")
    RUNNING = "pagaende", _("Pågående")
    FINISHED = "avslutad", _("Avslutad")
    CANCELLED = "avbruten", _("Avbruten")
    REJECTED = "avslagen", _("Avslagen")


# Follow-up applications (continuation, supplement, change) need a live insats.
FOLLOW_UP_STATUSES = (ProjectStatus.GRANTED, ProjectStatus.RUNNING)


class ProjectQuerySet(models.QuerySet):
    def staffed_by(self, user, *, roles=None):
        """The insatser ``user`` works in (in one of ``roles``, if given)."""
        return self.filter(pk__in=ProjectStaff.objects.of(user, roles=roles).values("project_id"))


class Project(models.Model):
    """An insats: a project, förstudie or structural effort the förbund funds."""

    reference = models.CharField(_("diarienummer"), max_length=20, unique=True, editable=False)
    reference_year = models.PositiveSmallIntegerField(_("diarieår"), editable=False)
    reference_number = models.PositiveIntegerField(_("löpnummer"), editable=False)
    name = models.CharField(_("namn"), max_length=200)
    orientation = models.CharField(_("inriktning"), max_length=30, choices=Orientation.choices)
    form = models.CharField(_("form"), max_length=20, choices=ProjectForm.choices)
    owner = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="owned_projects",
        verbose_name=_("huvudman"),
    )
    partners = models.ManyToManyField(
        Member,
        related_name="partner_projects",
        verbose_name=_("samverkansparter"),
        blank=True,
        help_text=_("Medlemmar som deltar utöver huvudmannen. Minst två parter ska delta."),
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=200)
    contact_email = models.EmailField(_("kontaktpersonens e-post"), blank=True)
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=40, blank=True)
    target_group = models.TextField(_("målgrupp"), blank=True)
    planned_participants = models.PositiveIntegerField(
        _("planerat antal deltagare"), null=True, blank=True
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.APPLIED
    )
    status_note = models.TextField(_("kommentar till status"), blank=True)
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["-reference_year", "-reference_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference_year", "reference_number"], name="project_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="project_period_in_order",
                violation_error_message=_("Slutdatum kan inte ligga före startdatum."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="project_status_idx")]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.reference} {self.name}"

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.pk])

    @property
    def years(self) -> list[int]:
        return years_between(self.start_date, self.end_date)


class StaffRole(models.TextChoices):
    PROCESS_LEADER = "processledare", _("Processledare")
    PROJECT_LEADER = "projektledare", _("Projektledare")
    PARTICIPANT_LEAD = "deltagaransvarig", _("Deltagaransvarig")


class ProjectStaffQuerySet(models.QuerySet):
    def of(self, user, *, roles=None):
        """The staff rows that put ``user`` in an insats: the one place the
        staff scope is decided (who sees and follows an insats's participants,
        writes its reports and follow-up applications). Every other scope rule
        is derived from this one."""
        if not getattr(user, "pk", None):
            return self.none()
        rows = self.filter(user=user)
        return rows.filter(role__in=roles) if roles else rows


class ProjectStaff(models.Model):
    """Who works in an insats. This is the scope for participant data."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="staff", verbose_name=_("insats")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="project_roles",
        verbose_name=_("person"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=StaffRole.choices)

    objects = ProjectStaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal i insats")
        verbose_name_plural = _("personal i insatser")
        ordering = ["role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user", "role"], name="project_staff_once_per_role"
            )
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.project.reference})"


class ApplicationKind(models.TextChoices):
    NEW = "ny", _("Ny ansökan")
    CONTINUATION = "fortsattning", _("Fortsättning/förlängning")
    SUPPLEMENT = "tillagg", _("Tilläggsansökan")
    CHANGE = "andrad_inriktning", _("Ändrad inriktning")


class ApplicationStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    SUBMITTED = "inlamnad", _("Inlämnad")
    IN_PREPARATION = "under_beredning", _("Under beredning")
    READY = "redo_for_beslut", _("Redo för beslut")
    GRANTED = "beviljad", _("Beviljad")
    PARTLY_GRANTED = "delvis_beviljad", _("Delvis beviljad")
    REJECTED = "avslag", _("Avslag")


DECIDED_STATUSES = (
    ApplicationStatus.GRANTED,
    ApplicationStatus.PARTLY_GRANTED,
    ApplicationStatus.REJECTED,
)
GRANTED_STATUSES = (ApplicationStatus.GRANTED, ApplicationStatus.PARTLY_GRANTED)


class Recommendation(models.TextChoices):
    GRANT = "bevilja", _("Bevilja")
    GRANT_PARTLY = "delvis_bevilja", _("Bevilja delvis")
    REJECT = "avsla", _("Avslå")


class Decision(models.TextChoices):
    GRANTED = "beviljad", _("Beviljad")
    PARTLY_GRANTED = "delvis_beviljad", _("Delvis beviljad")
    REJECTED = "avslag", _("Avslag")
    REFERRED_BACK = "aterremiss", _("Återremiss")


class Application(models.Model):
    """An ansökan om medel: new, continuation, supplement or change of direction."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="applications", verbose_name=_("insats")
    )
    kind = models.CharField(_("typ av ansökan"), max_length=20, choices=ApplicationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    title = models.CharField(_("rubrik"), max_length=200)
    # Sections of the form.
    change_summary = models.TextField(
        _("vad ändras"),
        blank=True,
        help_text=_("För fortsättning, tillägg och ändrad inriktning: vad ansökan ändrar."),
    )
    background = models.TextField(_("bakgrund och problembeskrivning"), blank=True)
    target_group = models.TextField(_("målgrupp och urval"), blank=True)
    planned_participants = models.PositiveIntegerField(
        _("planerat antal deltagare"), null=True, blank=True
    )
    purpose = models.TextField(_("syfte"), blank=True)
    method = models.TextField(_("metod och aktiviteter"), blank=True)
    steering_group = models.TextField(_("styrgrupp"), blank=True)
    working_group = models.TextField(_("arbetsgrupp"), blank=True)
    period_start = models.DateField(_("sökt period från"), null=True, blank=True)
    period_end = models.DateField(_("sökt period till"), null=True, blank=True)
    follow_up = models.TextField(_("uppföljning och utvärdering"), blank=True)
    implementation = models.TextField(_("implementering i ordinarie verksamhet"), blank=True)
    # Workflow.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("skapad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("inlämnad av"),
    )
    return_reason = models.TextField(_("skäl till återremiss"), blank=True)
    preparation_statement = models.TextField(_("beredningsgruppens yttrande"), blank=True)
    recommendation = models.CharField(
        _("beredningsgruppens förslag"), max_length=20, choices=Recommendation.choices, blank=True
    )
    prepared_at = models.DateTimeField(_("beredd"), null=True, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decision_note = models.TextField(_("beslutets motivering"), blank=True)
    # The board paragraph that took the decision, as text ("Styrelsen
    # 2026-03-12 § 31"). The board app links its Paragraph here and fills
    # this in when a paragraph decides the application.
    decision_reference = models.CharField(_("beslutsparagraf"), max_length=200, blank=True)
    decision_paragraph = models.ForeignKey(
        "board.Paragraph",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_applications",
        verbose_name=_("beslutsparagraf i protokollet"),
    )

    class Meta:
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="application_period_in_order",
                violation_error_message=_("Periodens slut kan inte ligga före dess början."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[s.value for s in DECIDED_STATUSES])
                | Q(decided_on__isnull=False),
                name="application_decision_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="application_status_idx")]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return reverse("projects:application", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES

    @property
    def is_granted(self) -> bool:
        return self.status in GRANTED_STATUSES


class GoalUnit(models.TextChoices):
    PERCENT = "procent", _("procent")
    COUNT = "antal", _("antal")


class GoalMeasure(models.TextChoices):
    """How a report finds the goal's outcome: from the participant data, or by hand."""

    MANUAL = "", _("Anges för hand i rapporten")
    STATUS = "status", _("Deltagare som nått en status (t.ex. praktik)")
    OCCUPATION = "sysselsattning", _("Avslutade deltagare med en sysselsättning efter")


class Goal(models.Model):
    """A measurable goal, e.g. 60 % of participants get a placement for 3 months."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="goals", verbose_name=_("ansökan")
    )
    text = models.TextField(_("mål"))
    indicator = models.CharField(
        _("indikator"),
        max_length=300,
        help_text=_("Hur målet mäts, t.ex. andel deltagare med praktik minst 3 månader."),
    )
    target_value = models.DecimalField(
        _("målvärde"), max_digits=10, decimal_places=1, validators=[MinValueValidator(0)]
    )
    target_unit = models.CharField(_("enhet"), max_length=10, choices=GoalUnit.choices)
    measure = models.CharField(
        _("utfallet räknas"),
        max_length=20,
        choices=GoalMeasure.choices,
        blank=True,
        default="",
        help_text=_(
            "Går målet att mäta i deltagarregistreringen räknar rapporterna utfallet själva."
        ),
    )
    measure_status = models.ForeignKey(
        "participants.StatusKind",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status som räknas"),
    )
    measure_group = models.CharField(
        _("sysselsättning efter som räknas"),
        max_length=20,
        blank=True,
        choices=[
            ("forvarvsarbete", _("Förvärvsarbete")),
            ("studier", _("Studier")),
            ("arbete_eller_studier", _("Förvärvsarbete eller studier")),
        ],
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_unit="procent") | Q(target_value__lte=100),
                name="goal_percent_at_most_100",
                violation_error_message=_("Ett mål i procent kan inte vara över 100."),
            ),
            models.CheckConstraint(
                condition=(Q(measure="") & Q(measure_status__isnull=True) & Q(measure_group=""))
                | (Q(measure="status") & Q(measure_status__isnull=False) & Q(measure_group=""))
                | (
                    Q(measure="sysselsattning")
                    & Q(measure_status__isnull=True)
                    & ~Q(measure_group="")
                ),
                name="goal_measure_complete",
                violation_error_message=_(
                    "Välj vilken status eller sysselsättning som räknas, eller att utfallet "
                    "anges för hand."
                ),
            ),
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        if self.measure == GoalMeasure.STATUS and not self.measure_status_id:
            raise ValidationError({"measure_status": _("Välj vilken status som räknas.")})
        if self.measure == GoalMeasure.OCCUPATION and not self.measure_group:
            raise ValidationError(
                {"measure_group": _("Välj vilken sysselsättning efter insatsen som räknas.")}
            )
        if self.measure != GoalMeasure.STATUS:
            self.measure_status = None
        if self.measure != GoalMeasure.OCCUPATION:
            self.measure_group = ""

    @property
    def target_display(self) -> str:
        decimals = 0 if self.target_value == self.target_value.to_integral_value() else 1
        value = format_number(self.target_value, decimals)
        return f"{value}\xa0%" if self.target_unit == GoalUnit.PERCENT else value


class Phase(models.Model):
    """A phase of the timetable: "fas 1 modell", "fas 2 genomförande"."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="phases", verbose_name=_("ansökan")
    )
    name = models.CharField(_("fas"), max_length=200)
    start_date = models.DateField(_("från"))
    end_date = models.DateField(_("till"))
    description = models.TextField(_("innehåll"), blank=True)

    class Meta:
        verbose_name = _("fas")
        verbose_name_plural = _("faser")
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="phase_period_in_order",
                violation_error_message=_("Fasens slut kan inte ligga före dess början."),
            )
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return self.name


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


def attachment_path(instance, filename):
    return f"ansokningar/{instance.application_id}/{filename}"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("ansökan")
    )
    file = models.FileField(_("fil"), upload_to=attachment_path)
    name = models.CharField(_("filnamn"), max_length=200)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["uploaded_at", "id"]
        triggers = [AuditTrigger()]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:attachment", args=[self.pk])


class CostEntry(models.Model):
    """Utfall: an insats's actual cost for one month and cost category."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="costs", verbose_name=_("insats")
    )
    month = models.DateField(_("månad"), help_text=_("Första dagen i månaden."))
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
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.project.reference} {self.month:%Y-%m} {self.category}: {self.amount}"


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
