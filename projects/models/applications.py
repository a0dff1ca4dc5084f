"""Applications, their goals, phases and attachments."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finsam.audit import AuditTrigger
from finsam.lib.formatting import format_number
from finsam.lib.validators import no_personnummer_in_public_text
from projects.models.insatser import Project


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


class PaymentSchedule(models.TextChoices):
    """How a grant is paid out, as the decision says."""

    QUARTER = "kvartal", _("Förskott per kvartal")
    HALF_YEAR = "halvar", _("Förskott per halvår")
    ARREARS = "efterskott", _("I efterskott mot redovisat utfall")


class Decision(models.TextChoices):
    """What is decided on an application, by the board in a § or by the kansli
    on delegation. The board's decision types take these values as they are;
    the beredningsgrupp proposes one of ``RECOMMENDATIONS``."""

    GRANT = "bevilja", _("Bevilja")
    GRANT_PARTLY = "delvis_bevilja", _("Bevilja delvis")
    REJECT = "avsla", _("Avslå")
    REFER_BACK = "aterremiss", _("Återremiss")

    @property
    def resulting_status(self) -> ApplicationStatus:
        """The status the application takes: återremiss sends it back to utkast."""
        return _RESULTING_STATUS[self]


_RESULTING_STATUS = {
    Decision.GRANT: ApplicationStatus.GRANTED,
    Decision.GRANT_PARTLY: ApplicationStatus.PARTLY_GRANTED,
    Decision.REJECT: ApplicationStatus.REJECTED,
    Decision.REFER_BACK: ApplicationStatus.DRAFT,
}

# What the beredningsgrupp may propose: a decision, never an återremiss.
RECOMMENDATIONS = [
    (d.value, d.label) for d in (Decision.GRANT, Decision.GRANT_PARTLY, Decision.REJECT)
]


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
    # Registration facts, as on a paper application.
    received_on = models.DateField(
        _("ankomstdatum"),
        null=True,
        blank=True,
        help_text=_("Dagen ansökan kom in till förbundet."),
    )
    applicant_reference = models.CharField(
        _("sökandes referens"),
        max_length=100,
        blank=True,
        help_text=_("Huvudmannens eget diarienummer eller beteckning, om den har en."),
    )
    signed_for_applicant = models.CharField(
        _("undertecknad för sökanden av"),
        max_length=200,
        blank=True,
        validators=[no_personnummer_in_public_text],
        help_text=_("Namn och funktion, t.ex. ”Anna Andersson, enhetschef, för styrgruppen”."),
    )
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
        _("beredningsgruppens förslag"), max_length=20, choices=RECOMMENDATIONS, blank=True
    )
    prepared_at = models.DateTimeField(_("beredd"), null=True, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decision_note = models.TextField(_("beslutets motivering"), blank=True)
    payment_schedule = models.CharField(
        _("utbetalning"),
        max_length=20,
        choices=PaymentSchedule.choices,
        default=PaymentSchedule.QUARTER,
        help_text=_("Hur insatsen rekvirerar de beviljade medlen."),
    )
    conditions = models.TextField(
        _("villkor"),
        blank=True,
        help_text=_("Villkor som beslutet ställer, utöver rapportkraven."),
    )
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
    def is_submitted(self) -> bool:
        return self.status == ApplicationStatus.SUBMITTED

    @property
    def is_in_preparation(self) -> bool:
        return self.status == ApplicationStatus.IN_PREPARATION

    @property
    def is_ready_for_decision(self) -> bool:
        return self.status == ApplicationStatus.READY

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


class GoalGroup(models.TextChoices):
    """The sysselsättning after the insats that a goal counts; participants'
    statistics say which SUS groups each one takes in."""

    WORK = "forvarvsarbete", _("Förvärvsarbete")
    STUDIES = "studier", _("Studier")
    WORK_OR_STUDIES = "arbete_eller_studier", _("Förvärvsarbete eller studier")


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
        choices=GoalGroup.choices,
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
